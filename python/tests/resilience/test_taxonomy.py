"""The error taxonomy (SEMANTICS.md §6) and retry at one layer (§7)."""

from __future__ import annotations

import pytest

from checkout_payments.resilience import TAXONOMY, ErrorClass, Outcome, ResilienceError, Role, is_retried


def test_every_class_has_one_row() -> None:
    assert set(TAXONOMY) == set(ErrorClass)


def test_only_upstream_faults_count_as_breaker_failures() -> None:
    failures = {c for c in ErrorClass if c.breaker is Outcome.FAILURE}
    assert failures == {
        ErrorClass.TIMEOUT,
        ErrorClass.CONNECTION,
        ErrorClass.UPSTREAM_UNAVAILABLE,
        ErrorClass.OVERLOADED,
    }


def test_classes_are_their_wire_names() -> None:
    assert ErrorClass("HALF_OPEN_LIMIT") is ErrorClass.HALF_OPEN_LIMIT
    assert f"{ErrorClass.TIMEOUT}" == "TIMEOUT"


@pytest.mark.parametrize("role", list(Role))
def test_a_body_saying_not_retryable_is_never_retried(role: Role) -> None:
    assert is_retried(ErrorClass.CONNECTION, role, None)
    assert is_retried(ErrorClass.CONNECTION, role, True)
    assert not is_retried(ErrorClass.CONNECTION, role, False)


def test_a_relay_does_not_retry_a_timeout_and_nobody_retries_database_classes() -> None:
    assert is_retried(ErrorClass.TIMEOUT, Role.ORIGIN, None)
    assert not is_retried(ErrorClass.TIMEOUT, Role.RELAY, None)
    for role in Role:
        assert not is_retried(ErrorClass.DB_SERIALIZATION, role, True)


def test_an_error_takes_its_class_retryable_unless_told() -> None:
    assert ResilienceError(ErrorClass.TIMEOUT, "slow").retryable is True
    assert ResilienceError(ErrorClass.TIMEOUT, "slow", False).retryable is False
    assert str(ResilienceError(ErrorClass.NOT_FOUND, "no order 7")) == "NOT_FOUND: no order 7"
