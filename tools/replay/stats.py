"""Latency histograms and confidence intervals by batch means."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from hdrh.histogram import HdrHistogram

# Two-sided 95 % Student t quantiles by degrees of freedom (batch means use few batches).
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
_T975_LARGE = 1.96

# Latencies in ms, 1 ms to 1 h, 3 significant digits.
_HIGHEST_MS = 3_600_000


class Latencies:
    """An HDR histogram of latencies in ms (values are clamped into its range, never dropped)."""

    def __init__(self) -> None:
        self._histogram = HdrHistogram(1, _HIGHEST_MS, 3)

    def record(self, ms: float) -> None:
        self._histogram.record_value(min(_HIGHEST_MS, max(1, round(ms))))

    @property
    def count(self) -> int:
        return int(self._histogram.get_total_count())

    def percentile(self, p: float) -> float | None:
        return float(self._histogram.get_value_at_percentile(p)) if self.count else None

    def max(self) -> float | None:
        return float(self._histogram.get_max_value()) if self.count else None

    def summary(self) -> dict[str, float | None]:
        return {
            "p50": self.percentile(50),
            "p95": self.percentile(95),
            "p99": self.percentile(99),
            "max": self.max(),
            "count": float(self.count),
        }


@dataclass(frozen=True)
class Interval:
    """Mean of the batch values and the half-width of its 95 % confidence interval."""

    mean: float
    half_width: float
    batches: int

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def to_json(self) -> dict[str, float]:
        return {"mean": self.mean, "ci95_low": self.low, "ci95_high": self.high, "batches": self.batches}


def batch_means(values: Sequence[float]) -> Interval | None:
    """95 % CI of the mean of batch values (Student t); None with fewer than two batches."""
    finite = [value for value in values if not math.isnan(value)]
    if len(finite) < 2:
        return None
    degrees = len(finite) - 1
    t = _T975.get(degrees, _T975_LARGE)
    return Interval(statistics.fmean(finite), t * statistics.stdev(finite) / math.sqrt(len(finite)), len(finite))


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) of samples, nearest rank; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]
