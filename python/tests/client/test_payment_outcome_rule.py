"""The payment outcome rule, shared with the gateway and the Lambda: `failed` charged nothing and the same
Idempotency-Key may pay again (`safe_to_retry_same_key`, after `retry_after_ms`); `unknown` is reconciled
with `GET /payments/{key}`, never paid again under a new key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from gateway_fake import FakeGateway, Step, error_body
from manual_clock import ManualClock

from checkout_payments.client import (
    PaymentCircuitOpenError,
    PaymentClient,
    PaymentConnectionError,
    PaymentDeadlineExceededError,
    PaymentError,
    PaymentIdempotencyConflictError,
    PaymentOverloadedError,
    PaymentTimeoutError,
)

TOKEN = "tok_visa_4242"
# What the gateway answers when its own breaker is open or it sheds load: nothing was charged.
GATEWAY_FAILED = [
    pytest.param(
        Step(
            503,
            error_body("CIRCUIT_OPEN", "provider breaker open; nothing was charged", status="failed"),
            headers={"Retry-After": "2"},
        ),
        PaymentCircuitOpenError,
        id="gateway-breaker-open",
    ),
    pytest.param(
        Step(503, error_body("OVERLOADED", "shed; nothing was charged", status="failed"), headers={"Retry-After": "2"}),
        PaymentOverloadedError,
        id="gateway-load-shed",
    ),
]


@pytest.mark.parametrize(("step", "error_type"), GATEWAY_FAILED)
def test_a_gateway_failure_without_a_charge_is_safe_to_retry_with_the_same_key_after_retry_after(
    client: PaymentClient, gateway: FakeGateway, step: Step, error_type: type[PaymentError]
) -> None:
    gateway.script_post(step)

    with pytest.raises(error_type) as raised:
        client.pay("order-f1", 100, "EUR", TOKEN, idempotency_key="idem-failed-1")

    error = raised.value
    assert (error.outcome, error.safe_to_retry_same_key, error.retry_after_ms) == ("failed", True, 2000)
    assert error.message.endswith("nothing was charged; retrying with the same Idempotency-Key is safe after 2000 ms")
    # The gateway keeps no final record of it: the same key and body pay now, once.
    result = client.pay("order-f1", 100, "EUR", TOKEN, idempotency_key="idem-failed-1")
    assert result.status == "authorised"
    assert gateway.keys_posted() == ["idem-failed-1", "idem-failed-1"]
    assert gateway.charges() == 1


def test_a_failed_key_keeps_its_payload_so_another_body_is_still_a_conflict(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    gateway.script_post(Step(503, error_body("CIRCUIT_OPEN", "open", status="failed"), headers={"Retry-After": "1"}))
    with pytest.raises(PaymentCircuitOpenError):
        client.pay("order-f2", 100, "EUR", TOKEN, idempotency_key="idem-failed-2")

    with pytest.raises(PaymentIdempotencyConflictError) as raised:
        client.pay("order-f2", 999, "EUR", TOKEN, idempotency_key="idem-failed-2")

    assert (raised.value.upstream_status, raised.value.safe_to_retry_same_key) == (422, False)
    assert gateway.charges() == 0


def test_a_refused_connection_charged_nothing_and_is_safe_to_retry_with_the_same_key(
    make_client: Callable[..., PaymentClient], free_port: int
) -> None:
    client = make_client(f"http://127.0.0.1:{free_port}", sleep=lambda ms: None)

    with pytest.raises(PaymentConnectionError) as raised:
        client.pay("order-f3", 100, "EUR", TOKEN, idempotency_key="idem-refused-3")

    error = raised.value
    assert (error.outcome, error.attempts, error.safe_to_retry_same_key) == ("failed", 3, True)
    assert "could not connect to the gateway" in error.message
    assert error.message.endswith("nothing was charged; retrying later with the same Idempotency-Key is safe")


def test_the_clients_own_open_breaker_says_when_the_same_key_may_pay_again(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway
) -> None:
    client = make_client(gateway.url, clock=ManualClock())
    gateway.script_post(*[Step(502, error_body("UPSTREAM_UNAVAILABLE", "down", status="failed"))] * 3)
    for n in range(3):
        with pytest.raises(PaymentError):
            client.pay(f"order-b{n}", 100, "EUR", TOKEN)

    with pytest.raises(PaymentCircuitOpenError) as raised:
        client.pay("order-b3", 100, "EUR", TOKEN, idempotency_key="idem-open-3")

    error = raised.value
    assert (error.attempts, error.safe_to_retry_same_key, error.retry_after_ms) == (0, True, 300)
    assert error.message.endswith("retrying with the same Idempotency-Key is safe after 300 ms")


def test_an_unknown_outcome_says_reconcile_with_get_payments_never_a_new_key(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    gateway.script_post(Step(504, error_body("TIMEOUT", "the provider did not answer", status="unknown")))

    with pytest.raises(PaymentTimeoutError) as raised:
        client.pay("order-u1", 100, "EUR", TOKEN, idempotency_key="idem/unknown-1")

    error = raised.value
    assert (error.outcome, error.retryable, error.safe_to_retry_same_key, error.retry_after_ms) == (
        "unknown",
        True,
        False,
        None,
    )
    assert error.message.endswith(
        "reconcile with get_payment('idem/unknown-1') (GET /payments/idem%2Funknown-1), never with a new key"
    )


def test_a_failed_status_from_the_gateway_is_safe_to_retry_with_the_same_key(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    gateway.script_post(Step(503, error_body("OVERLOADED", "shed", status="failed"), headers={"Retry-After": "1"}))
    with pytest.raises(PaymentOverloadedError):
        client.pay("order-s1", 100, "EUR", TOKEN, idempotency_key="idem-status-1")

    status = client.get_payment("idem-status-1")

    assert (status.status, status.charged, status.safe_to_retry_same_key) == ("failed", False, True)
    assert client.pay("order-s1", 100, "EUR", TOKEN, idempotency_key="idem-status-1").status == "authorised"
    assert client.get_payment("idem-status-1").safe_to_retry_same_key is False


def test_retry_after_reads_delta_seconds_and_http_dates() -> None:
    from checkout_payments.client.wire import retry_after_ms  # new with the rule: imported here, not at collection

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)

    assert retry_after_ms("3", now) == 3000
    assert retry_after_ms("Thu, 01 Jan 2026 12:00:05 GMT", now) == 5000
    assert retry_after_ms("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0
    assert [retry_after_ms(value, now) for value in (None, "", "soon", "-1", "1.5")] == [None] * 5


def test_too_little_time_for_the_gateways_deadline_floor_is_not_sent_and_safe_to_retry_with_the_same_key(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway
) -> None:
    # 120 ms left: an attempt would send X-Deadline-Ms 70 (120 − answer_margin_ms 50), which the gateway
    # refuses below its min_deadline_ms 100 as INVALID_REQUEST ("fix your request"). It is not sent.
    client = make_client(gateway.url, clock=ManualClock())

    with pytest.raises(PaymentDeadlineExceededError) as raised:
        client.pay("order-floor", 100, "EUR", TOKEN, idempotency_key="idem-floor", deadline_ms=120)

    error = raised.value
    assert (error.outcome, error.safe_to_retry_same_key, error.upstream_status) == ("failed", True, None)
    assert "had no time left in its 120 ms deadline for an attempt" in error.message
    assert gateway.seen == [], "an attempt below the floor is never sent"
    assert gateway.posts() == []
    assert client.pay("order-floor", 100, "EUR", TOKEN, idempotency_key="idem-floor").status == "authorised"
