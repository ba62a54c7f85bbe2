"""A request's fate: a pure function of (seed, idempotency key, attempt number of that key, behaviour).

Each request seeds its own `random.Random(f"{seed}:{key}:{attempt}")` (string seeds are hashed with
SHA-512, so the stream is the same in every process and every PYTHONHASHSEED) and takes its draws in a
fixed order, whatever the behaviour says. Arrival order and concurrency therefore change nothing but the
attempt number, and changing one rate never reshuffles the other draws.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

from tools.simulator.behaviour import Behaviour
from tools.simulator.latency import latency_ms

DECLINE_REASONS = (
    "insufficient_funds",
    "card_declined",
    "expired_card",
    "do_not_honor",
)


class Fault(Enum):
    NONE = "none"
    ERROR = "error"
    HANG = "hang"
    DROP = "drop"
    CHARGE_THEN_TIMEOUT = "charge_then_timeout"


@dataclass(frozen=True)
class Fate:
    latency_ms: float
    """Already multiplied by the behaviour's time_scale."""
    fault: Fault
    error_status: int
    """The status answered when `fault` is ERROR."""
    decline_reason: str | None
    """Set when a charge that is processed is declined."""


def draw_fate(seed: int, key: str, attempt: int, behaviour: Behaviour) -> Fate:
    rng = random.Random(f"{seed}:{key}:{attempt}")
    # Fixed order and count of draws: latency, fault, error status, decline, decline reason.
    u_latency, u_fault, u_status, u_decline, u_reason = (rng.random() for _ in range(5))
    statuses = behaviour.error_statuses
    declined = u_decline < behaviour.decline_rate
    return Fate(
        latency_ms=latency_ms(behaviour.latency, u_latency) * behaviour.time_scale,
        fault=_fault(behaviour, u_fault),
        error_status=statuses[min(int(u_status * len(statuses)), len(statuses) - 1)],
        decline_reason=DECLINE_REASONS[int(u_reason * len(DECLINE_REASONS))] if declined else None,
    )


def _fault(behaviour: Behaviour, u: float) -> Fault:
    # Faults are exclusive slices of one draw, in this order: [error | hang | drop | charge-then-timeout | none].
    edge = 0.0
    for fault, rate in (
        (Fault.ERROR, behaviour.error_rate),
        (Fault.HANG, behaviour.hang_rate),
        (Fault.DROP, behaviour.drop_rate),
        (Fault.CHARGE_THEN_TIMEOUT, behaviour.charge_then_timeout_rate),
    ):
        edge += rate
        if u < edge:
            return fault
    return Fault.NONE
