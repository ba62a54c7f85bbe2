"""Latency draws: one uniform draw `u` in [0, 1) becomes milliseconds, whatever the distribution."""

from __future__ import annotations

import math
from statistics import NormalDist

from tools.simulator.behaviour import (
    FixedLatency,
    HistogramLatency,
    Latency,
    LognormalLatency,
)

_STANDARD_NORMAL = NormalDist()
# inv_cdf is undefined at 0 and 1; clamping keeps the draw total without moving any realistic quantile.
_U_MIN = 1e-12
_U_MAX = 1.0 - 1e-12


def latency_ms(latency: Latency, u: float) -> float:
    """Exactly one draw per request for every kind, so switching kinds never shifts the other draws."""
    if isinstance(latency, FixedLatency):
        return latency.ms
    if isinstance(latency, LognormalLatency):
        z = _STANDARD_NORMAL.inv_cdf(min(max(u, _U_MIN), _U_MAX))
        return math.exp(latency.mu + latency.sigma * z)
    return _histogram_ms(latency, u)


def _histogram_ms(latency: HistogramLatency, u: float) -> float:
    total = sum(bucket.weight for bucket in latency.buckets)
    target = u * total
    cumulative = 0.0
    for bucket in latency.buckets:
        cumulative += bucket.weight
        if target < cumulative:
            return bucket.ms
    return latency.buckets[-1].ms
