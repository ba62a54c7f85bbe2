"""The call-site classification of an upstream's answer (SEMANTICS.md §6 "At a call site"), in the kernel."""

from __future__ import annotations

import pytest

from checkout_payments.resilience import AttemptVerdict, ErrorClass, classify_answer


@pytest.mark.parametrize(
    ("status", "body_class", "retry_after", "expected"),
    [
        # The body's class wins when it has a breaker outcome, whatever the status says.
        (503, "CIRCUIT_OPEN", True, ErrorClass.CIRCUIT_OPEN),
        (503, "BULKHEAD_FULL", True, ErrorClass.BULKHEAD_FULL),
        (504, "TIMEOUT", False, ErrorClass.TIMEOUT),
        (409, "IDEMPOTENCY_CONFLICT", False, ErrorClass.IDEMPOTENCY_CONFLICT),
        # A class without one (a database class, INTERNAL) or a name no kernel knows: the status decides.
        (503, "POOL_ACQUIRE_TIMEOUT", False, ErrorClass.UPSTREAM_UNAVAILABLE),
        (500, "INTERNAL", False, ErrorClass.UPSTREAM_UNAVAILABLE),
        (502, "SOMETHING_NEW", False, ErrorClass.UPSTREAM_UNAVAILABLE),
        (429, None, False, ErrorClass.OVERLOADED),
        (503, None, True, ErrorClass.OVERLOADED),
        (503, None, False, ErrorClass.UPSTREAM_UNAVAILABLE),
        (404, None, False, ErrorClass.INVALID_REQUEST),
        (302, None, False, ErrorClass.INTERNAL),
    ],
)
def test_an_error_answer_takes_its_bodys_class_or_its_statuss(
    status: int, body_class: str | None, retry_after: bool, expected: ErrorClass
) -> None:
    assert classify_answer(status, body_class, None, retry_after) == AttemptVerdict(expected)


def test_the_bodys_retryable_travels_on_and_a_2xx_is_an_answer_whatever_its_body() -> None:
    assert classify_answer(502, "UPSTREAM_UNAVAILABLE", False, False) == AttemptVerdict(
        ErrorClass.UPSTREAM_UNAVAILABLE, False
    )
    assert classify_answer(503, None, True, True) == AttemptVerdict(ErrorClass.OVERLOADED, True)
    # A status answer may describe a failed payment in its body: still an answer, not an attempt failure.
    assert classify_answer(200, "UPSTREAM_UNAVAILABLE", False, False) == AttemptVerdict()
