"""The fixed-rate, open-loop generator (perf/load/openloop.mjs): its command line and its one JSON result line.

Debian has no wrk2, and wrk's closed loop is not a fixed rate, so the latency at a fixed sub-saturation rate
comes from this bounded open-loop generator: request i is due at start + i/rate whatever the server does,
and its latency runs from that due time (no coordinated omission).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "perf" / "load" / "openloop.mjs"


@dataclass(frozen=True)
class OpenLoopResult:
    rate: float
    scheduled: int
    sent: int
    ok: int
    non_2xx: int
    errors: int
    timeouts: int
    throttled: int  # times every slot was taken when a request was due (its wait stays in its latency)
    elapsed_s: float
    max_lag_ms: float  # how late the generator itself sent a request, at worst
    latency_ms: dict[str, float | None]  # p50, p90, p99, p999, max, mean of the 2xx answers
    statuses: dict[str, int]

    @property
    def achieved_per_s(self) -> float:
        return self.ok / self.elapsed_s if self.elapsed_s > 0 else 0.0


def parse(stdout: str) -> OpenLoopResult:
    """The last `{"event": "done", …}` line of the generator's stdout."""
    for line in reversed(stdout.splitlines()):
        try:
            message: Any = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("event") == "done":
            return _result(message)
    raise ValueError(f"no 'done' line in the open-loop generator's output:\n{stdout[-2000:]}")


def argv(
    url: str,
    *,
    rate: float,
    duration_s: float,
    key_prefix: str,
    body: str,
    max_inflight: int = 256,
    timeout_ms: int = 10_000,
    script: Path = SCRIPT,
    node: str = "node",
) -> list[str]:
    if rate <= 0:
        raise ValueError(f"rate must be > 0 requests/s, got {rate}")
    return [
        node,
        str(script),
        "--url",
        url,
        "--rate",
        f"{rate:g}",
        "--duration-s",
        f"{duration_s:g}",
        "--key-prefix",
        key_prefix,
        "--body",
        body,
        "--max-inflight",
        str(max_inflight),
        "--timeout-ms",
        str(timeout_ms),
    ]


def _result(message: dict[str, Any]) -> OpenLoopResult:
    latency = message.get("latency_ms") or {}
    return OpenLoopResult(
        rate=float(message["rate"]),
        scheduled=int(message["scheduled"]),
        sent=int(message["sent"]),
        ok=int(message["ok"]),
        non_2xx=int(message["non_2xx"]),
        errors=int(message["errors"]),
        timeouts=int(message["timeouts"]),
        throttled=int(message["throttled"]),
        elapsed_s=float(message["elapsed_s"]),
        max_lag_ms=float(message["max_lag_ms"]),
        latency_ms={name: (None if value is None else float(value)) for name, value in latency.items()},
        statuses={str(code): int(count) for code, count in (message.get("statuses") or {}).items()},
    )
