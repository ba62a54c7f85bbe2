"""The generated lint: each rule of tools/configlint/rules.py fires past its bound and holds at it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checkout_payments.generated import TimeoutConfig, lint_config, worst_case_call_ms
from tools.codegen import emit_java, emit_python, emit_typescript, java_lint, lint_text
from tools.codegen.model import load_schema
from tools.configlint import rules
from tools.configlint.rules import RULES, Cmp, Const, Product, Ref, Rule, Sum
from tools.conformance.config_cases import changed

DB_MAX = "/fleet/database_max_connections"
LEASE = "/gateway/idempotency/lease_ms"
RETENTION = "/gateway/idempotency/retention_ms"
LOOKUP = "/payment/lookup"

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
    "legacy-retry-timeout-as-new-payment-off": (
        {"/order_service/legacy_retry_timeout_as_new_payment": True},
        {"/order_service/legacy_retry_timeout_as_new_payment": False},
    ),
    # 50 x 2 + 10 x 2 + 10 = 130 connections
    "fleet-connections-fit": ({DB_MAX: 129}, {DB_MAX: 130}),
    # floor 1000 + margin 500 against the 20000 ms timeout
    "deadline-floor-leaves-an-attempt": (
        {"/payment/min_deadline_ms": 19501, LOOKUP + "/timeout_ms": 30000},
        {"/payment/min_deadline_ms": 19500, LOOKUP + "/timeout_ms": 30000},
    ),
    "answer-margin-below-deadline-floor": ({"/payment/answer_margin_ms": 1000}, {"/payment/answer_margin_ms": 999}),
    "idempotency-lease-outlives-deadline": ({LEASE: 70000}, {LEASE: 70001}),
    "idempotency-retention-covers-lease": (
        {LEASE: 86400000, RETENTION: 86399999},
        {LEASE: 86400000, RETENTION: 86400000},
    ),
    "idempotency-retention-covers-a-day": ({RETENTION: 86399999}, {RETENTION: 86400000}),
    # the lookup's policy: 5000 ms timeout, p99 2000, retry base 500 jitter 250 max 2000
    "lookup-timeout-covers-p99": ({LOOKUP + "/timeout_ms": 1999}, {LOOKUP + "/timeout_ms": 2000}),
    "lookup-deadline-floor-leaves-an-attempt": (
        {LOOKUP + "/timeout_ms": 1499, LOOKUP + "/provider_expected_p99_ms": 1000},
        {LOOKUP + "/timeout_ms": 1500, LOOKUP + "/provider_expected_p99_ms": 1000},
    ),
    "lookup-retry-jitter-within-base": ({LOOKUP + "/retry/jitter_ms": 501}, {LOOKUP + "/retry/jitter_ms": 500}),
    "lookup-retry-max-delay-covers-base": (
        {LOOKUP + "/retry/max_delay_ms": 499},
        {LOOKUP + "/retry/max_delay_ms": 500},
    ),
}
# A rule that cannot break alone: a retention below a lease of at most one day is also below a day.
ALSO_FIRES = {"idempotency-retention-covers-lease": ("idempotency-retention-covers-a-day",)}


def settings(changes: dict[str, Any]) -> TimeoutConfig:
    """The incident-fix config with JSON Pointers changed, typed without the schema step."""
    return TimeoutConfig.model_validate(changed(changes))


def test_every_rule_has_bounds_here() -> None:
    assert set(BOUNDS) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_fires_past_its_bound(rule: Any) -> None:
    findings = lint_config(settings(BOUNDS[rule.id][0]))
    expected = {rule.id, *ALSO_FIRES.get(rule.id, ())}
    assert {f.rule for f in findings} == expected
    (finding,) = [f for f in findings if f.rule == rule.id]
    assert (finding.severity, finding.pointer) == (rule.severity, rule.pointer)
    assert "{" not in finding.message


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


def test_fleet_message_names_every_number_and_the_sum() -> None:
    changes = {"/fleet/order_service_replicas": 3, "/fleet/gateway_replicas": 4, DB_MAX: 150}
    (finding,) = lint_config(settings(changes))
    # 50 x 3 + 10 x 4 + 10 = 200
    assert finding.message.startswith("the fleet can open 200 PostgreSQL connections: ")
    for shown in ("max_connections 50 x 3 replicas", "max_connections 10 x 4 replicas", "+ 10 reserved", "150;"):
        assert shown in finding.message


def test_deadline_floor_message_shows_the_sum() -> None:
    (finding,) = lint_config(settings({"/payment/min_deadline_ms": 19600, LOOKUP + "/timeout_ms": 30000}))
    assert "is 20100 ms, more than timeout_ms 20000 ms" in finding.message


def test_sum_inside_a_product_is_parenthesised() -> None:
    a, b, c = Ref("/a"), Ref("/b"), Ref("/c")
    rendered = lint_text.render(
        Product((Sum((a, b)), c)), lambda leaf: leaf.pointer.strip("/") if isinstance(leaf, Ref) else "?"
    )
    assert rendered == "(a + b) * c"
    assert lint_text.render(Sum((Product((a, b)), c)), lambda leaf: "x") == "x * x + x"


@pytest.mark.parametrize("emitter", [emit_python, emit_typescript, emit_java], ids=lambda m: m.__name__)
def test_unknown_message_placeholder_fails_codegen_in_every_language(
    monkeypatch: pytest.MonkeyPatch, emitter: Any
) -> None:
    typo = Rule("typo", "error", DB_MAX, Cmp(Ref(DB_MAX), ">", Const(0)), "needs {fleet_total}")
    for module in (rules, lint_text, emit_python, java_lint):
        monkeypatch.setattr(module, "RULES", (typo,))
    with pytest.raises(ValueError, match="unknown placeholder \\{fleet_total\\}"):
        emitter.emit(load_schema())


def test_value_names_are_unique_over_all_rules() -> None:
    total = Sum((Ref(DB_MAX), Const(1)))
    twice = tuple(
        Rule(f"r{n}", "error", DB_MAX, Cmp(total, ">", Const(0)), "{total}", (("total", total),)) for n in (1, 2)
    )
    with pytest.raises(ValueError, match="value name 'total' is already used by rule r1"):
        lint_text.check_values(twice)
