"""The demo's config: config/timeout.json as it is, except the waits a 3-minute run cannot afford.

Every other value — the 20 s timeout, the 70 s deadline, the 2 s × 2ⁿ backoff with its jitter, the
5-failure breaker with 3 half-open calls, the pool of 50 — runs as configured. The report prints each
change next to the real value and both fingerprints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkout_payments.config import load_config
from tools.stack.configs import CONFIG, derive, read_config, value_at, write_config


@dataclass(frozen=True)
class Change:
    pointer: str
    demo: Any
    why: str


CHANGES = (
    Change(
        "/payment/circuit_breaker/recovery_timeout_ms",
        6000,
        "the real 60 s would keep the breaker open for a third of the run; 6 s shows open → half-open → closed",
    ),
    Change(
        "/order_service/reconcile_interval_ms",
        3000,
        "the real 30 s would leave lost answers unsettled when the report is due; 3 s settles them in time",
    ),
)


@dataclass(frozen=True)
class DemoConfig:
    path: Path
    real_fingerprint: str
    fingerprint: str
    rows: tuple[tuple[str, Any, Any, str], ...]  # pointer, real value, demo value, why


def write_demo_config(directory: Path) -> DemoConfig:
    """Write the scaled copy into `directory`; both it and the real config pass the loader (schema + lint)."""
    real = read_config(CONFIG)
    path = write_config(derive({change.pointer: change.demo for change in CHANGES}, real), directory / "timeout.json")
    rows = tuple((c.pointer, value_at(real, c.pointer), c.demo, c.why) for c in CHANGES)
    return DemoConfig(path, load_config(CONFIG).fingerprint, load_config(path).fingerprint, rows)
