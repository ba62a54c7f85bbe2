"""What a fleet adds up to: each replica has its own breaker and retry budget, so the fleet's figures are the
config's per-replica figures times the replicas in `fleet` (config/SEMANTICS.md §10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def retries_from_full_bucket(max_tokens: int) -> int:
    """Retries one budget allows in a burst from full: each failure takes a token, a retry needs more than half
    (SEMANTICS §4: tokens × 2 > max)."""
    max_milli, tokens, allowed = max_tokens * 1000, max_tokens * 1000, 0
    while True:
        tokens = max(0, tokens - 1000)
        if tokens * 2 <= max_milli:
            return allowed
        allowed += 1


def fleet_figures(config: Mapping[str, Any]) -> dict[str, int | float]:
    """Per tier: failures through before every breaker of the tier is open, half-open trials per recovery,
    retries a burst may add before every budget refuses, and the steady retry ratio (unchanged by N)."""
    payment, fleet = config["payment"], config["fleet"]
    breaker, budget = payment["circuit_breaker"], payment["retry_budget"]
    burst = retries_from_full_bucket(int(budget["max_tokens"]))
    figures: dict[str, int | float] = {"retry_ratio": float(budget["token_ratio"])}
    for tier, replicas in (("gateway", fleet["gateway_replicas"]), ("order_service", fleet["order_service_replicas"])):
        figures[f"{tier}_replicas"] = int(replicas)
        figures[f"{tier}_failures_before_all_open"] = int(replicas) * int(breaker["failure_threshold"])
        figures[f"{tier}_half_open_trials_per_recovery"] = int(replicas) * int(breaker["half_open_max_calls"])
        figures[f"{tier}_retry_burst"] = int(replicas) * burst
    return figures
