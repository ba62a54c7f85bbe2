"""The soak's verdict on made-up samples: a flat run passes, each kind of leak fails its own check."""

from __future__ import annotations

from typing import Any

from tools.faults.soak_verdict import JUDGED, verdict

TRAFFIC_S = 600.0
POOLS = {"orders": 100, "gateway": 20}


def sawtooth(t: float, period_s: float = 120.0) -> float:
    """A collector giving 34 MB back every `period_s`, then growing back over a minute (as V8 did in the soak)."""
    since = t % period_s
    return 0.0 if since >= 60 else -34.0 * (1 - since / 60)


def run(
    rss: float = 300.0,
    rss_growth_per_s: float = 0.0,
    wave: bool = False,
    fds_at_end: int = 40,
    idle_connections: int = 6,
    rows_cap: int = 4000,
) -> list[dict[str, Any]]:
    samples = []
    for step in range(0, int(TRAFFIC_S) + 60, 10):
        t = float(step)
        idle = t > TRAFFIC_S
        samples.append(
            {
                "t": t,
                "rss_mb": dict.fromkeys(JUDGED, rss + rss_growth_per_s * t + (sawtooth(t) if wave else 0.0)),
                "fds": dict.fromkeys(JUDGED, fds_at_end if idle else 40),
                "db_connections": {"orders": idle_connections if idle else 6, "gateway": 4},
                "payment_records": min(rows_cap, int(20 * t)),
            }
        )
    return samples


def failed(samples: list[dict[str, Any]]) -> list[str]:
    result = verdict(samples, TRAFFIC_S, POOLS)
    return [name for name, ok, _ in result["checks"] if not ok]


def test_a_flat_run_passes_every_check() -> None:
    assert failed(run()) == []


def test_memory_that_keeps_growing_fails_the_rss_check_only() -> None:
    assert failed(run(rss_growth_per_s=0.2)) == ["RSS growth after warm-up < 10%"]


def test_a_collector_sawtooth_is_no_leak() -> None:
    # The window after the warm-up catches the dips, the last one mostly peaks: medians would differ.
    assert failed(run(rss=119.0, wave=True)) == []


def test_a_leak_under_a_sawtooth_still_fails_the_rss_check() -> None:
    assert failed(run(rss=119.0, rss_growth_per_s=0.05, wave=True)) == ["RSS growth after warm-up < 10%"]


def test_descriptors_and_connections_left_open_after_the_traffic_fail_their_checks() -> None:
    assert failed(run(fds_at_end=400)) == ["no leaked descriptors (after the idle time)"]
    assert failed(run(idle_connections=30)) == [
        "no leaked database connections (within the pools; back down when idle)"
    ]


def test_a_table_that_never_stops_growing_fails_the_retention_check() -> None:
    assert failed(run(rows_cap=10**9)) == ["retention keeps payment_records bounded"]


def test_too_few_samples_is_a_failure_not_a_pass() -> None:
    assert not verdict(run()[:3], TRAFFIC_S, POOLS)["ok"]
