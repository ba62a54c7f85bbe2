"""PaymentClient against a real HTTP fake of the gateway: answers, faults, retries, the breaker, deadlines."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest
from gateway_fake import FakeGateway, Step, error_body
from manual_clock import ManualClock

from checkout_payments.client import (
    PaymentCircuitOpenError,
    PaymentClient,
    PaymentConnectionError,
    PaymentDeclinedError,
    PaymentIdempotencyConflictError,
    PaymentInternalError,
    PaymentInvalidRequestError,
    PaymentNotFoundError,
    PaymentOverloadedError,
    PaymentTimeoutError,
    PaymentUpstreamUnavailableError,
)
from checkout_payments.resilience import BreakerState, ErrorClass

TOKEN = "tok_visa_4242"
TIMEOUT_MS = 400  # the shortened config's payment.timeout_ms
DEADLINE_MS = 2000  # its payment.deadline_ms: a relay's attempt gets all that is left of it (SEMANTICS §5)
MARGIN_MS = 50  # its payment.answer_margin_ms: X-Deadline-Ms = the attempt's timeout minus this


def breaker_state(client: PaymentClient) -> BreakerState:
    return client.stats.breaker_state


def test_authorises_with_a_generated_key_sent_once_with_the_deadline_less_the_answer_margin_as_header(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway
) -> None:
    client = make_client(gateway.url, clock=ManualClock())
    result = client.pay("order-1", 1999, "EUR", TOKEN)

    assert (result.status, result.amount_minor, result.currency, result.attempts) == ("authorised", 1999, "EUR", 1)
    assert result.charge_id.startswith("ch_")
    assert uuid.UUID(result.idempotency_key).version == 4
    [seen] = gateway.posts()
    assert seen.idempotency_key == result.idempotency_key
    assert seen.deadline_ms == str(DEADLINE_MS - MARGIN_MS)
    assert seen.body == {"order_id": "order-1", "amount_minor": 1999, "currency": "EUR", "payment_token": TOKEN}


def test_a_decline_is_a_result_and_raises_only_when_asked(client: PaymentClient) -> None:
    result = client.pay("order-2", 500, "EUR", "tok_decline_0002", idempotency_key="idem-decline-1")

    assert (result.status, result.decline_reason, result.authorised) == ("declined", "insufficient_funds", False)
    with pytest.raises(PaymentDeclinedError) as raised:
        result.raise_for_decline()
    assert raised.value.result is result
    assert (raised.value.outcome, raised.value.retryable) == ("failed", False)


@pytest.mark.parametrize("error_class", ["UPSTREAM_UNAVAILABLE", "CONNECTION"])
def test_an_answer_saying_retryable_false_is_not_retried(
    client: PaymentClient, gateway: FakeGateway, error_class: str
) -> None:
    # CONNECTION is the one class a relay retries: the body's "retryable": false still wins (§7).
    gateway.script_post(Step(503, error_body(error_class, "provider down", status="failed")))

    with pytest.raises(
        PaymentUpstreamUnavailableError if error_class == "UPSTREAM_UNAVAILABLE" else PaymentConnectionError
    ) as raised:
        client.pay("order-3", 100, "EUR", TOKEN)

    error = raised.value
    assert (error.attempts, error.upstream_status, error.outcome, error.retryable) == (1, 503, "failed", True)
    assert error.safe_to_retry_same_key
    assert "nothing was charged; retrying later with the same Idempotency-Key is safe" in error.message
    assert len(gateway.posts()) == 1


def test_connection_failures_are_retried_with_the_same_key(
    make_gateway: Callable[..., FakeGateway], make_client: Callable[..., PaymentClient], free_port: int
) -> None:
    # Attempt 1: nothing listens (refused). The backoff sleep starts the gateway, which drops
    # attempt 2 after reading it and answers attempt 3.
    gateway = make_gateway(free_port)
    gateway.script_post(Step(drop=True))
    slept: list[int] = []

    def sleep(ms: int) -> None:
        slept.append(ms)
        if len(slept) == 1:
            gateway.start()
        time.sleep(ms / 1000)

    client = make_client(gateway.url, sleep=sleep)
    result = client.pay("order-4", 700, "EUR", TOKEN, idempotency_key="idem-connection-4")

    assert (result.status, result.attempts, result.idempotency_key) == ("authorised", 3, "idem-connection-4")
    assert gateway.keys_posted() == ["idem-connection-4", "idem-connection-4"]
    assert len(slept) == 2
    # Backoff 40 ms then 80 ms, plus jitter below 10 ms (the shortened config).
    assert 40 <= slept[0] < 50
    assert 80 <= slept[1] < 90
    assert gateway.charges() == 1


def test_a_connection_lost_on_every_attempt_leaves_the_outcome_unknown(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    gateway.script_post(Step(drop=True), Step(drop=True), Step(drop=True))

    with pytest.raises(PaymentConnectionError) as raised:
        client.pay("order-5", 700, "EUR", TOKEN, idempotency_key="idem-dropped-5")

    assert (raised.value.attempts, raised.value.outcome) == (3, "unknown")
    assert gateway.keys_posted() == ["idem-dropped-5"] * 3


def test_a_timeout_is_unknown_never_retried_and_get_payment_settles_it(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway
) -> None:
    # The gateway charges, then answers too late. The relay's one attempt had the whole deadline (a still
    # clock: not cut by the time spent before it), so it ends TIMEOUT.
    client = make_client(gateway.url, clock=ManualClock())
    gateway.script_post(Step(charge=True, hang=True))
    started = time.monotonic()

    with pytest.raises(PaymentTimeoutError) as raised:
        client.pay("order-6", 2500, "EUR", TOKEN, idempotency_key="idem-timeout-6")

    waited_ms = (time.monotonic() - started) * 1000
    error = raised.value
    assert (error.error_class, error.outcome, error.retryable, error.attempts) == (
        ErrorClass.TIMEOUT,
        "unknown",
        True,
        1,
    )
    assert error.message == (
        "payment idem-timeout-6 timed out after 2000 ms: the outcome is unknown — do not charge again; "
        "reconcile with get_payment('idem-timeout-6') (GET /payments/idem-timeout-6), never with a new key"
    )
    assert not error.safe_to_retry_same_key
    assert DEADLINE_MS <= waited_ms < DEADLINE_MS + 500
    assert len(gateway.posts()) == 1

    status = client.get_payment("idem-timeout-6")
    assert (status.status, status.settled, status.charged, status.order_id) == ("authorised", True, True, "order-6")
    assert gateway.charges() == 1


def test_get_payment_of_a_key_no_one_has_is_not_found(client: PaymentClient) -> None:
    with pytest.raises(PaymentNotFoundError) as raised:
        client.get_payment("idem-never-sent")
    assert (raised.value.outcome, raised.value.retryable, raised.value.upstream_status) == ("failed", False, 404)
    assert "it was never charged" in raised.value.message


def test_the_breaker_opens_at_the_threshold_then_rejects_without_calling_the_gateway(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway
) -> None:
    clock = ManualClock()
    client = make_client(gateway.url, clock=clock)
    gateway.script_post(*[Step(500, error_body("INTERNAL", "gateway bug"))] * 3)

    for n in range(3):
        with pytest.raises(PaymentUpstreamUnavailableError):
            client.pay(f"order-b{n}", 100, "EUR", TOKEN)
    assert breaker_state(client) is BreakerState.OPEN

    with pytest.raises(PaymentCircuitOpenError) as raised:
        client.pay("order-b3", 100, "EUR", TOKEN)
    error = raised.value
    assert (error.attempts, error.outcome, error.retryable, error.retry_after_ms) == (0, "failed", True, 300)
    assert "was not sent: the client's circuit breaker for the gateway is open" in error.message
    assert len(gateway.posts()) == 3

    # After recovery_timeout_ms one half-open trial (half_open_max_calls = 1) closes it again.
    clock.now += 300
    assert client.pay("order-b4", 100, "EUR", TOKEN).status == "authorised"
    assert breaker_state(client) is BreakerState.CLOSED
    assert len(gateway.posts()) == 4


def test_invalid_arguments_are_refused_before_any_attempt_naming_each_field(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    with pytest.raises(PaymentInvalidRequestError) as raised:
        client.pay("", 0, "eur", "", idempotency_key="bad key")

    pointers = [detail.pointer for detail in raised.value.details]
    assert pointers == ["/order_id", "/amount_minor", "/currency", "/payment_token", "/idempotency_key"]
    assert (raised.value.outcome, raised.value.retryable, raised.value.attempts) == ("failed", False, 0)
    assert gateway.posts() == []


def test_the_gateways_validation_answer_is_an_invalid_request_with_its_details(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    said = "the provider does not take MRU"
    gateway.script_post(Step(400, error_body("INVALID_REQUEST", said, pointer="/currency")))

    with pytest.raises(PaymentInvalidRequestError) as raised:
        client.pay("order-v1", 100, "MRU", TOKEN)

    error = raised.value
    assert (error.upstream_status, error.outcome, error.retryable) == (400, "failed", False)
    assert [(d.pointer, d.message) for d in error.details] == [("/currency", said)]
    assert len(gateway.posts()) == 1


def test_the_same_key_twice_is_answered_from_the_first_charge(client: PaymentClient, gateway: FakeGateway) -> None:
    first = client.pay("order-r1", 100, "EUR", TOKEN, idempotency_key="idem-replay-1")
    second = client.pay("order-r1", 100, "EUR", TOKEN, idempotency_key="idem-replay-1")

    assert second.charge_id == first.charge_id
    assert gateway.charges() == 1


def test_a_key_reused_for_another_payment_is_a_conflict_that_retrying_cannot_fix(client: PaymentClient) -> None:
    client.pay("order-c1", 100, "EUR", TOKEN, idempotency_key="idem-conflict-1")

    with pytest.raises(PaymentIdempotencyConflictError) as raised:
        client.pay("order-c1", 999, "EUR", TOKEN, idempotency_key="idem-conflict-1")

    assert (raised.value.upstream_status, raised.value.outcome, raised.value.retryable) == (422, "failed", False)


def test_a_key_in_flight_elsewhere_leaves_the_outcome_unknown(client: PaymentClient, gateway: FakeGateway) -> None:
    gateway.script_post(Step(409, error_body("IDEMPOTENCY_CONFLICT", "in flight", status="unknown")))

    with pytest.raises(PaymentIdempotencyConflictError) as raised:
        client.pay("order-c2", 100, "EUR", TOKEN)

    assert (raised.value.upstream_status, raised.value.outcome, raised.value.retryable) == (409, "unknown", True)


@pytest.mark.parametrize(
    ("status", "headers"),
    [(429, {}), (503, {"Retry-After": "1"})],
)
def test_load_shedding_is_overloaded_and_not_retried(
    client: PaymentClient, gateway: FakeGateway, status: int, headers: dict[str, str]
) -> None:
    # No class in the body: the status decides (§6).
    gateway.script_post(Step(status, {"message": "busy"}, headers=headers, off_contract=True))

    with pytest.raises(PaymentOverloadedError) as raised:
        client.pay("order-o1", 100, "EUR", TOKEN)

    assert (raised.value.outcome, raised.value.attempts) == ("failed", 1)
    assert len(gateway.posts()) == 1


def test_a_200_that_is_no_payment_result_is_internal_and_unknown(client: PaymentClient, gateway: FakeGateway) -> None:
    gateway.script_post(Step(200, {"status": "maybe"}, off_contract=True))

    with pytest.raises(PaymentInternalError) as raised:
        client.pay("order-i1", 100, "EUR", TOKEN, idempotency_key="idem-internal-1")

    assert (raised.value.outcome, raised.value.retryable) == ("unknown", True)
    assert "reconcile with get_payment('idem-internal-1')" in raised.value.message
