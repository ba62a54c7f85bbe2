"""Reading wrk's report (Debian's wrk 4.1, with --latency): the outputs below are real runs, copied whole."""

from __future__ import annotations

import pytest

from tools.perf import wrk

# wrk -t1 -c16 -d3s --latency -s perf/load/unique-key.lua …/payments (the forwarder, cold JVM)
CLEAN = """Running 3s test @ http://127.0.0.1:18182/payments
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.84ms   14.74ms 119.74ms   84.99%
    Req/Sec   838.07    348.70     1.39k    56.67%
  Latency Distribution
     50%   16.78ms
     75%   25.12ms
     90%   37.78ms
     99%   79.28ms
  2517 requests in 3.03s, 598.68KB read
Requests/sec:    829.54
Transfer/sec:    197.31KB
"""

# wrk -t1 -c4 -d1s --latency …/nothing (the stub's 404 for an unknown route)
ALL_404 = """Running 1s test @ http://127.0.0.1:18181/nothing
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   484.76us    1.52ms  17.32ms   93.34%
    Req/Sec    36.80k    11.22k   45.94k    90.00%
  Latency Distribution
     50%   86.00us
     75%  103.00us
     90%  794.00us
     99%    8.03ms
  36551 requests in 1.00s, 8.58MB read
  Non-2xx or 3xx responses: 36551
Requests/sec:  36431.47
Transfer/sec:      8.55MB
"""

# wrk -t2 -c4 -d2s --timeout=1s against a stub answering after 1.5 s: every answer came too late
TIMEOUTS = """Running 2s test @ http://127.0.0.1:18181/v1/charges
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     1.00      0.00     1.00    100.00%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  4 requests in 2.01s, 1.05KB read
  Socket errors: connect 0, read 0, write 0, timeout 4
Requests/sec:      1.99
Transfer/sec:     538.40B
"""


def test_a_clean_run_gives_throughput_and_percentiles_in_ms() -> None:
    result = wrk.parse(CLEAN)
    assert result.requests == 2517
    assert result.duration_s == pytest.approx(3.03)
    assert result.requests_per_s == pytest.approx(829.54)
    assert result.latency_ms == pytest.approx({"50": 16.78, "75": 25.12, "90": 37.78, "99": 79.28})
    assert result.non_2xx == 0
    assert result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert result.ok == 2517
    assert result.ok_per_s == pytest.approx(2517 / 3.03)


def test_microsecond_latencies_are_converted_to_ms() -> None:
    assert wrk.parse(ALL_404).latency_ms["50"] == pytest.approx(0.086)


def test_error_answers_do_not_count_as_throughput() -> None:
    result = wrk.parse(ALL_404)
    assert result.requests == 36551
    assert result.non_2xx == 36551
    assert result.ok == 0
    assert result.ok_per_s == 0.0
    assert result.errors == 36551


def test_answers_after_the_timeout_do_not_count_as_throughput() -> None:
    result = wrk.parse(TIMEOUTS)
    assert result.socket_errors["timeout"] == 4
    assert result.ok == 0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("850.00us", 850e-6), ("1.23ms", 1.23e-3), ("3.03s", 3.03), ("1.00m", 60.0), ("2h", 7200.0)],
)
def test_wrk_times_are_read_in_every_unit(text: str, seconds: float) -> None:
    assert wrk.parse_time_s(text) == pytest.approx(seconds)


def test_an_unknown_time_unit_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="12d"):
        wrk.parse_time_s("12d")


def test_output_that_is_no_report_is_refused_with_its_text() -> None:
    with pytest.raises(ValueError, match="unable to connect"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_the_command_line_posts_the_body_with_the_unique_key_script() -> None:
    argv = wrk.argv("http://h:1/payments", key_prefix="run-1", body='{"a":1}', connections=32, duration_s=30)
    assert argv[:6] == ["wrk", "-t1", "-c32", "-d30s", "--timeout=10s", "--latency"]
    assert argv[6:8] == ["-s", str(wrk.SCRIPT)]
    assert argv[8:] == ["http://h:1/payments", "--", "run-1", '{"a":1}']
    assert wrk.SCRIPT.is_file()


def test_fewer_connections_than_threads_is_refused() -> None:
    with pytest.raises(ValueError, match="connections"):
        wrk.argv("http://h:1/", key_prefix="p", body="{}", connections=1, threads=2, duration_s=1)
