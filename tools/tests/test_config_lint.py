"""The generated lint: each rule of tools/configlint/rules.py fires past its bound and holds at it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checkout_payments.generated import TimeoutConfig, lint_config, worst_case_call_ms
from tools.configlint.rules import RULES
from tools.conformance.config_cases import changed

# rule id: (changes that break it, changes that put it exactly at its bound)
BOUNDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "payment-timeout-covers-p99": ({"/payment/timeout_ms": 18999}, {"/payment/timeout_ms": 19000}),
    "payment-deadline-covers-retries": ({"/payment/deadline_ms": 66999}, {"/payment/deadline_ms": 67000}),
    "retry-jitter-within-base": (
        {"/payment/retry/jitter_ms": 2001, "/payment/deadline_ms": 80000},
        {"/payment/retry/jitter_ms": 2000},
    ),
    "retry-max-delay-covers-base": ({"/payment/retry/max_delay_ms": 1999}, {"/payment/retry/max_delay_ms": 2000}),
    "pool-acquire-within-deadline": (
        {"/database/pool/acquire_timeout_ms": 70000},
        {"/database/pool/acquire_timeout_ms": 69999},
    ),
    "monitoring-warn-below-critical": (
        {"/monitoring/pool_utilization_warn": 0.9},
        {"/monitoring/pool_utilization_warn": 0.899},
    ),
    "circuit-breaker-enabled": (
        {"/payment/circuit_breaker/enabled": False},
        {"/payment/circuit_breaker/enabled": True},
    ),
    "retry-backoff-grows": ({"/payment/retry/backoff_multiplier": 1}, {"/payment/retry/backoff_multiplier": 1.001}),
    "retry-jitter-present": ({"/payment/retry/jitter_ms": 0}, {"/payment/retry/jitter_ms": 1}),
    "legacy-hold-connection-off": (
        {"/order_service/legacy_hold_connection_during_payment": True},
        {"/order_service/legacy_hold_connection_during_payment": False},
    ),
}


def settings(changes: dict[str, Any]) -> TimeoutConfig:
    """The incident-fix config with JSON Pointers changed, typed without the schema step."""
    return TimeoutConfig.model_validate(changed(changes))


def test_every_rule_has_bounds_here() -> None:
    assert set(BOUNDS) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_fires_past_its_bound(rule: Any) -> None:
    findings = lint_config(settings(BOUNDS[rule.id][0]))
    assert [(f.rule, f.severity, f.pointer) for f in findings] == [(rule.id, rule.severity, rule.pointer)]
    assert "{" not in findings[0].message


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_holds_at_its_bound(rule: Any) -> None:
    assert lint_config(settings(BOUNDS[rule.id][1])) == []


def test_message_shows_the_values_found() -> None:
    (finding,) = lint_config(settings({"/payment/deadline_ms": 66999}))
    assert "deadline_ms is 66999 ms" in finding.message
    assert "(67000 ms: every attempt" in finding.message


def test_single_attempt_needs_neither_growing_backoff_nor_jitter() -> None:
    changes = {"/payment/retry/max_attempts": 1, "/payment/retry/backoff_multiplier": 1, "/payment/retry/jitter_ms": 0}
    assert lint_config(settings(changes)) == []


def test_worst_case_of_the_repo_config() -> None:
    # 3 x 20000 + (2000 + 500) + (4000 + 500)
    assert worst_case_call_ms(settings({})) == 67000


def test_worst_case_floors_each_backoff() -> None:
    # 1001 x 1.5 = 1501.5 → 1501: 3 x 20000 + (1001 + 500) + (1501 + 500)
    changes = {"/payment/retry/base_delay_ms": 1001, "/payment/retry/backoff_multiplier": 1.5}
    assert worst_case_call_ms(settings(changes)) == 63502


@given(
    attempts=st.integers(1, 10),
    timeout=st.integers(1, 600000),
    base=st.integers(1, 10000),
    multiplier=st.integers(1, 10),
    jitter=st.integers(0, 10000),
    cap=st.integers(1, 3600000),
)
def test_worst_case_with_integer_multiplier_is_the_capped_geometric_sum(
    attempts: int, timeout: int, base: int, multiplier: int, jitter: int, cap: int
) -> None:
    assume(base <= cap)
    changes = {
        "/payment/timeout_ms": timeout,
        "/payment/retry/max_attempts": attempts,
        "/payment/retry/base_delay_ms": base,
        "/payment/retry/backoff_multiplier": multiplier,
        "/payment/retry/jitter_ms": jitter,
        "/payment/retry/max_delay_ms": cap,
    }
    backoffs = sum(min(cap, base * multiplier ** (n - 1)) + jitter for n in range(1, attempts))
    assert worst_case_call_ms(settings(changes)) == attempts * timeout + backoffs
