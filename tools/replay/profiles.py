"""Traffic and provider profiles, stated in real-world units (the bench scales them by k).

Each profile is an arrival rate per order-service instance and a provider behaviour (a document of
docs/SIMULATOR.md), plus an optional outage window. docs/REPLAY.md lists them with their sources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

OutageMode = Literal["error_503", "drop", "hang"]

# The 0.99 quantile of the standard normal distribution (the simulator's lognormal uses the same).
Z99 = 2.3263478740408408

# The longest a withheld or hanging answer is held (real-world ms) before the simulator closes the
# connection: far above every timeout here, so the caller's own timeout always decides.
HANG_CAP_MS = 300_000


@dataclass(frozen=True)
class OutageWindow:
    """The provider is down from `start_fraction` of the traffic on, for `duration_s` real seconds."""

    start_fraction: float
    duration_s: float
    mode: OutageMode


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    # Orders per second per order-service instance, real-world (Poisson arrivals).
    rate_per_s: float
    # Provider latency: lognormal with this median and p99, real-world ms.
    median_ms: float
    p99_ms: float
    charge_then_timeout_rate: float = 0.0
    decline_rate: float = 0.0
    outage: OutageWindow | None = None

    def share_slower_than(self, real_ms: float) -> float:
        """P(provider latency > real_ms) under this profile's lognormal: what a timeout of real_ms cuts."""
        sigma = math.log(self.p99_ms / self.median_ms) / Z99
        if sigma == 0:
            return float(self.median_ms > real_ms)
        return 0.5 * math.erfc(math.log(real_ms / self.median_ms) / (sigma * math.sqrt(2)))

    def behaviour(self, k: float) -> dict[str, Any]:
        """The simulator's behaviour document: latencies in real-world ms, `time_scale` = 1/k."""
        return {
            "latency": {"kind": "lognormal", "median_ms": self.median_ms, "p99_ms": self.p99_ms},
            "decline_rate": self.decline_rate,
            "charge_then_timeout_rate": self.charge_then_timeout_rate,
            "time_scale": 1.0 / k,
            # The hang cap is not multiplied by time_scale (SIMULATOR.md), so it is scaled here.
            "hang_cap_ms": max(1, round(HANG_CAP_MS / k)),
        }


INCIDENT = Profile(
    name="incident",
    description="the incident's traffic: 3.35 orders/s per instance, provider latency lognormal, median 4 s, p99 19 s",
    rate_per_s=3.35,
    median_ms=4000,
    p99_ms=19000,
)

PROFILES: dict[str, Profile] = {
    profile.name: profile
    for profile in (
        INCIDENT,
        Profile(
            name="provider-slowdown",
            description="the incident's rate with a slower provider: median 12 s, p99 30 s",
            rate_per_s=3.35,
            median_ms=12000,
            p99_ms=30000,
        ),
        Profile(
            name="outage",
            description="the incident profile with the provider down (503 at once) for 2 minutes, then back",
            rate_per_s=3.35,
            median_ms=4000,
            p99_ms=19000,
            outage=OutageWindow(start_fraction=0.3, duration_s=120, mode="error_503"),
        ),
        Profile(
            name="charge-then-timeout",
            description="the incident profile where 5 % of charges succeed but their answer never comes in time",
            rate_per_s=3.35,
            median_ms=4000,
            p99_ms=19000,
            charge_then_timeout_rate=0.05,
        ),
    )
}
