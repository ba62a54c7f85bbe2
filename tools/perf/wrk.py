"""wrk (Debian's, 4.1): the command line for one closed-loop run, and the numbers read from its report.

wrk keeps every connection busy (closed loop): its requests/s at enough connections is the saturation
throughput. Its latencies are those of a saturated server and are reported as such; the latency at a
fixed rate comes from the open-loop generator (tools/perf/openloop.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "perf" / "load" / "unique-key.lua"

_UNITS_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_TIME = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)$")
_TOTAL = re.compile(r"^\s*([0-9]+) requests in ([0-9.]+(?:us|ms|s|m|h)),", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([0-9.]+)\s*$", re.MULTILINE)
_PERCENTILE = re.compile(r"^\s+([0-9]+(?:\.[0-9]+)?)%\s+([0-9.]+(?:us|ms|s|m|h))\s*$", re.MULTILINE)
_SOCKET = re.compile(r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: ([0-9]+)")


@dataclass(frozen=True)
class WrkResult:
    requests: int  # answers received (any status)
    duration_s: float
    requests_per_s: float
    latency_ms: dict[str, float]  # "50", "75", "90", "99" (with --latency)
    non_2xx: int
    socket_errors: dict[str, int]  # connect, read, write, timeout

    @property
    def ok(self) -> int:
        """Answers that count: not a 4xx/5xx (wrk's "Non-2xx or 3xx" counts status > 399) and not timed out.
        wrk counts an answer that came after --timeout both in `requests` and as a timeout, so timeouts are
        taken off too (a timeout that never got an answer is then taken off twice: the error is on the low side)."""
        return max(0, self.requests - self.non_2xx - self.socket_errors.get("timeout", 0))

    @property
    def ok_per_s(self) -> float:
        return self.ok / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())


def parse_time_s(text: str) -> float:
    """wrk's time format (`850.00us`, `1.23ms`, `3.03s`, `1.00m`) in seconds."""
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"not a wrk time: {text!r} (expected a number and one of us, ms, s, m, h)")
    return float(match.group(1)) * _UNITS_S[match.group(2)]


def parse(text: str) -> WrkResult:
    """The report wrk prints on stdout (run with --latency for the percentiles)."""
    total = _TOTAL.search(text)
    rate = _RATE.search(text)
    if total is None or rate is None:
        raise ValueError(f"not a wrk report (no 'N requests in T' or 'Requests/sec' line):\n{text[-2000:]}")
    latency: dict[str, float] = {}
    distribution = text.partition("Latency Distribution")[2]
    for match in _PERCENTILE.finditer(distribution):
        latency[_percent_label(match.group(1))] = parse_time_s(match.group(2)) * 1000.0
    socket = _SOCKET.search(text)
    names = ("connect", "read", "write", "timeout")
    errors = {name: int(socket.group(i + 1)) if socket else 0 for i, name in enumerate(names)}
    non_2xx = _NON_2XX.search(text)
    return WrkResult(
        requests=int(total.group(1)),
        duration_s=parse_time_s(total.group(2)),
        requests_per_s=float(rate.group(1)),
        latency_ms=latency,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=errors,
    )


def argv(
    url: str,
    *,
    key_prefix: str,
    body: str,
    connections: int,
    duration_s: float,
    threads: int = 1,
    timeout_s: float = 10.0,
    script: Path = SCRIPT,
    wrk: str = "wrk",
) -> list[str]:
    """A wrk run POSTing `body` with a fresh Idempotency-Key per request (`key_prefix`-thread-n)."""
    if connections < threads:
        raise ValueError(f"connections ({connections}) must be >= threads ({threads}): wrk gives each thread one")
    return [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration_s))}s",
        f"--timeout={max(1, round(timeout_s))}s",
        "--latency",
        "-s",
        str(script),
        url,
        "--",
        key_prefix,
        body,
    ]


def _percent_label(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else f"{value:g}"
