"""The behaviour document (`GET/PUT /control/behaviour`): what fraction of requests fails, and how."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Rate = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
Millis = Annotated[float, Field(strict=True, ge=0.0, allow_inf_nan=False)]
Positive = Annotated[float, Field(strict=True, gt=0.0, allow_inf_nan=False)]

# The 0.99 quantile of the standard normal distribution: a lognormal's p99 = median × e^(σ × Z99).
Z99 = 2.3263478740408408


class _Strict(BaseModel):
    # Numbers are strict ("0.5" is not a rate, true is not 1); extra="forbid": a typo is an error, not a no-op.
    model_config = ConfigDict(extra="forbid", frozen=True)


class FixedLatency(_Strict):
    kind: Literal["fixed"]
    ms: Millis


class LognormalLatency(_Strict):
    kind: Literal["lognormal"]
    median_ms: Positive
    p99_ms: Positive

    @model_validator(mode="after")
    def _p99_not_below_median(self) -> LognormalLatency:
        if self.p99_ms < self.median_ms:
            raise ValueError(f"p99_ms must be >= median_ms ({self.median_ms}), but was {self.p99_ms}")
        return self

    @property
    def mu(self) -> float:
        return math.log(self.median_ms)

    @property
    def sigma(self) -> float:
        return math.log(self.p99_ms / self.median_ms) / Z99


class Bucket(_Strict):
    ms: Millis
    weight: Positive


class HistogramLatency(_Strict):
    kind: Literal["histogram"]
    buckets: Annotated[tuple[Bucket, ...], Field(min_length=1)]


Latency = Annotated[FixedLatency | LognormalLatency | HistogramLatency, Field(discriminator="kind")]
LATENCY_KINDS = frozenset({"fixed", "lognormal", "histogram"})


class Outage(_Strict):
    """`error_503`: every request answers 503 at once; `drop`: every connection is closed unanswered;
    `hang`: every request is held open until the client gives up (or `hang_cap_ms`)."""

    mode: Literal["none", "error_503", "drop", "hang"] = "none"


class Behaviour(_Strict):
    """Defaults are the healthy provider; PUT replaces the whole document, so an absent field is its default."""

    latency: Latency = FixedLatency(kind="fixed", ms=50.0)
    decline_rate: Rate = 0.0
    error_rate: Rate = 0.0
    error_statuses: Annotated[tuple[Literal[500, 503], ...], Field(min_length=1)] = (
        500,
        503,
    )
    hang_rate: Rate = 0.0
    drop_rate: Rate = 0.0
    charge_then_timeout_rate: Rate = 0.0
    outage: Outage = Outage()
    time_scale: Positive = 1.0
    hang_cap_ms: Positive = 300_000.0

    @model_validator(mode="after")
    def _faults_fit_in_one(self) -> Behaviour:
        # The faults share one draw (error, hang, drop, charge-then-timeout are exclusive), so they must fit in [0, 1].
        total = self.fault_rate
        if total > 1.0:
            raise ValueError(
                f"error_rate + hang_rate + drop_rate + charge_then_timeout_rate must be <= 1, but was {total:g}"
            )
        return self

    @property
    def fault_rate(self) -> float:
        return self.error_rate + self.hang_rate + self.drop_rate + self.charge_then_timeout_rate
