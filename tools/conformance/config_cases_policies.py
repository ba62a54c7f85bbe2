"""Config cases of the per-operation policies (SEMANTICS §11): the bulkheads and the lookup's own policy."""

from __future__ import annotations

from tools.conformance.config_case_kit import LOOKUP, Case, bounds, invalid, valid

LRETRY, LBREAKER, LBUDGET = f"{LOOKUP}/retry", f"{LOOKUP}/circuit_breaker", f"{LOOKUP}/retry_budget"

POLICY_CASES: list[Case] = [
    # --- the lookup's lint rules, each firing and at its bound ---
    invalid(
        "lint-lookup-timeout-below-p99",
        "a lookup timeout 1 ms below the lookup's p99 (2000 ms) is refused",
        {f"{LOOKUP}/timeout_ms": 1999},
        f"{LOOKUP}/timeout_ms",
    ),
    valid("lint-lookup-timeout-equals-p99", "a lookup timeout equal to its p99 loads", {f"{LOOKUP}/timeout_ms": 2000}),
    invalid(
        "lint-lookup-floor-plus-margin-above-timeout",
        "floor 1000 + margin 500 = 1500 ms is more than a 1499 ms lookup timeout",
        {f"{LOOKUP}/timeout_ms": 1499, f"{LOOKUP}/provider_expected_p99_ms": 1000},
        f"{LOOKUP}/timeout_ms",
    ),
    valid(
        "lint-lookup-floor-plus-margin-equals-timeout",
        "floor 1000 + margin 500 = a 1500 ms lookup timeout loads",
        {f"{LOOKUP}/timeout_ms": 1500, f"{LOOKUP}/provider_expected_p99_ms": 1000},
    ),
    invalid(
        "lint-lookup-jitter-above-base",
        "lookup jitter 501 ms above its 500 ms base delay is refused",
        {f"{LRETRY}/jitter_ms": 501},
        f"{LRETRY}/jitter_ms",
    ),
    valid(
        "lint-lookup-jitter-equals-base", "lookup jitter equal to its base delay loads", {f"{LRETRY}/jitter_ms": 500}
    ),
    invalid(
        "lint-lookup-max-delay-below-base",
        "a lookup max_delay_ms of 499 below its 500 ms base delay is refused",
        {f"{LRETRY}/max_delay_ms": 499},
        f"{LRETRY}/max_delay_ms",
    ),
    valid(
        "lint-lookup-max-delay-equals-base",
        "a lookup max_delay_ms equal to its base delay loads",
        {f"{LRETRY}/max_delay_ms": 500},
    ),
    # --- every range bound of the new settings, just past it ---
    *bounds("/payment/bulkhead/max_concurrent", 0, 100001, "payment bulkhead max_concurrent"),
    *bounds(f"{LOOKUP}/bulkhead/max_concurrent", 0, 100001, "lookup bulkhead max_concurrent", "lookup-"),
    *bounds(f"{LOOKUP}/timeout_ms", 0, 600001, "lookup timeout_ms"),
    *bounds(f"{LOOKUP}/deadline_ms", 0, 3600001, "lookup deadline_ms"),
    *bounds(f"{LOOKUP}/provider_expected_p99_ms", 0, 600001, "lookup provider_expected_p99_ms"),
    *bounds(f"{LRETRY}/max_attempts", 0, 11, "lookup retry max_attempts", "lookup-"),
    *bounds(f"{LRETRY}/base_delay_ms", 0, 600001, "lookup retry base_delay_ms", "lookup-"),
    *bounds(f"{LRETRY}/backoff_multiplier", 0.999, 10.001, "lookup retry backoff_multiplier", "lookup-"),
    *bounds(f"{LRETRY}/jitter_ms", -1, 600001, "lookup retry jitter_ms", "lookup-"),
    *bounds(f"{LRETRY}/max_delay_ms", 0, 3600001, "lookup retry max_delay_ms", "lookup-"),
    *bounds(f"{LBREAKER}/failure_threshold", 0, 1001, "lookup circuit_breaker failure_threshold", "lookup-"),
    *bounds(f"{LBREAKER}/recovery_timeout_ms", 0, 3600001, "lookup circuit_breaker recovery_timeout_ms", "lookup-"),
    *bounds(f"{LBREAKER}/half_open_max_calls", 0, 1001, "lookup circuit_breaker half_open_max_calls", "lookup-"),
    *bounds(f"{LBUDGET}/max_tokens", 0, 1001, "lookup retry_budget max_tokens", "lookup-"),
    *bounds(f"{LBUDGET}/token_ratio", 0, 1000.001, "lookup retry_budget token_ratio (exclusive minimum 0)", "lookup-"),
]
