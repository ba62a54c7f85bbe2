"""The payment outcome rule in the Lambda: a payment that charged nothing answers 503 (+ Retry-After) saying the
same key is safe, and its SQS record comes back so the redelivery — same order-derived key — can succeed."""

from __future__ import annotations

from pathlib import Path

import pytest
from gateway_fake import FakeGateway, Step, error_body
from lambda_support import WallClockContext, body_of, failed_ids, payment, rest_event, sqs_event, sqs_record
from short_config import short_config_file

from checkout_payments import payment_handler
from checkout_payments.client.errors import payment_error
from checkout_payments.config.loader import ENV_VAR
from checkout_payments.lambda_.responses import outcome_response
from checkout_payments.lambda_.runtime import GATEWAY_URL_ENV
from checkout_payments.payment_handler import handler
from checkout_payments.resilience import ErrorClass

# The gateway's answers when its breaker is open or it sheds load: `failed`, nothing charged, no relay retry.
GATEWAY_BREAKER_OPEN = Step(
    503,
    error_body("CIRCUIT_OPEN", "the provider's breaker is open; nothing was charged", status="failed"),
    headers={"Retry-After": "2"},
)
GATEWAY_SHED = Step(
    503,
    error_body("OVERLOADED", "load shed; nothing was charged", status="failed"),
    headers={"Retry-After": "1"},
)


@pytest.mark.parametrize("first", [GATEWAY_BREAKER_OPEN, GATEWAY_SHED], ids=["breaker-open", "load-shed"])
def test_an_sqs_record_that_met_an_open_breaker_is_redelivered_and_succeeds_with_the_same_key(
    lambda_env: FakeGateway, first: Step
) -> None:
    lambda_env.script_post_for("payment-o-shed", first)
    event = sqs_event(sqs_record("m-1", payment(order_id="o-shed")))

    first_delivery = handler(event, WallClockContext(5000))
    redelivery = handler(event, WallClockContext(5000))

    assert failed_ids(first_delivery) == ["m-1"]
    assert failed_ids(redelivery) == []
    assert lambda_env.keys_posted() == ["payment-o-shed", "payment-o-shed"]
    assert lambda_env.charges() == 1


def test_an_sqs_batch_reports_exactly_the_records_whose_payment_is_not_final(lambda_env: FakeGateway) -> None:
    lambda_env.script_post_for("k-open", GATEWAY_BREAKER_OPEN)
    lambda_env.script_post_for("k-unknown", Step(504, error_body("TIMEOUT", "provider timed out", status="unknown")))
    lambda_env.script_post_for("k-conflict", Step(422, error_body("IDEMPOTENCY_CONFLICT", "another payload")))
    event = sqs_event(
        sqs_record("m-authorised", payment(order_id="o1", idempotency_key="k-ok")),
        sqs_record("m-declined", payment(order_id="o2", idempotency_key="k-declined", payment_token="tok_decline")),
        sqs_record("m-failed-no-charge", payment(order_id="o3", idempotency_key="k-open")),
        sqs_record("m-unknown", payment(order_id="o4", idempotency_key="k-unknown")),
        sqs_record("m-conflict", payment(order_id="o5", idempotency_key="k-conflict")),
    )

    response = handler(event, WallClockContext(5000))

    # Authorised and declined are final; a failure without a charge and an unknown outcome come back
    # to run again under their key; a conflict cannot pass, and is reported so it reaches the DLQ.
    assert failed_ids(response) == ["m-conflict", "m-failed-no-charge", "m-unknown"]


def test_an_http_payment_that_charged_nothing_answers_503_with_retry_after_and_the_same_key(
    lambda_env: FakeGateway,
) -> None:
    lambda_env.script_post(GATEWAY_BREAKER_OPEN)
    event = rest_event(payment(order_id="order-open"))

    response = handler(event, WallClockContext(5000))

    body = body_of(response)
    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "2"
    assert response["headers"]["Idempotency-Key"] == "payment-order-open"
    assert (body["status"], body["error"]["class"], body["error"]["retryable"]) == ("failed", "CIRCUIT_OPEN", False)
    assert body["error"]["message"].endswith(
        "nothing was charged; retrying with the same Idempotency-Key is safe after 2000 ms"
    )
    # Resent as told, with the same (derived) key: it pays.
    again = handler(event, WallClockContext(5000))
    assert (again["statusCode"], body_of(again)["status"]) == (200, "authorised")
    assert lambda_env.charges() == 1


def test_an_unknown_http_outcome_says_reconcile_with_get_payments_never_a_new_key(lambda_env: FakeGateway) -> None:
    lambda_env.script_post(Step(504, error_body("TIMEOUT", "provider timed out", status="unknown")))

    response = handler(rest_event(payment(order_id="order-unknown")), WallClockContext(5000))

    body = body_of(response)
    assert (response["statusCode"], body["status"]) == (202, "unknown")
    assert "Retry-After" not in response["headers"]
    assert body["error"]["message"].endswith(
        "reconcile with get_payment('payment-order-unknown') (GET /payments/payment-order-unknown), "
        "never with a new key"
    )


def test_an_invocation_too_short_for_the_gateways_deadline_floor_answers_503_not_400(lambda_env: FakeGateway) -> None:
    handler(rest_event(payment(order_id="order-warm-up")), WallClockContext(5000))  # a warm container
    # 410 ms left − 300 ms safety margin ≈ 110 ms: the attempt's X-Deadline-Ms (≈ 60) would be below the
    # gateway's min_deadline_ms (100) and refused as an invalid request. Nothing is sent; resend later.
    response = handler(rest_event(payment(order_id="order-short")), WallClockContext(410))

    body = body_of(response)
    assert (response["statusCode"], body["status"], body["error"]["class"]) == (503, "failed", "DEADLINE_EXCEEDED")
    assert "had no time left" in body["error"]["message"]
    assert lambda_env.keys_posted() == ["payment-order-warm-up"]


def test_an_sqs_record_refused_by_a_full_bulkhead_is_redelivered_and_pays_with_the_same_key(
    gateway: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(GATEWAY_URL_ENV, gateway.url)
    monkeypatch.setenv(ENV_VAR, str(short_config_file(tmp_path, {"payment/bulkhead/max_concurrent": 1})))
    payment_handler.close_runtime()
    gateway.script_post_for("payment-o-slow", Step(delay_ms=200))
    # A standard queue's records run concurrently: the first holds the charges' only slot.
    event = sqs_event(
        sqs_record("m-slow", payment(order_id="o-slow")), sqs_record("m-full", payment(order_id="o-full"))
    )
    try:
        first_delivery = handler(event, WallClockContext(5000))
        redelivery = handler(sqs_event(event["Records"][1]), WallClockContext(5000))
    finally:
        payment_handler.close_runtime()

    assert failed_ids(first_delivery) == ["m-full"]
    assert failed_ids(redelivery) == []
    # Nothing was sent for the refused record: its key reached the gateway once, on redelivery.
    assert gateway.keys_posted() == ["payment-o-slow", "payment-o-full"]
    assert gateway.charges() == 2


def test_an_http_payment_refused_by_a_full_bulkhead_answers_503_with_retry_after_one_second() -> None:
    refused = payment_error(
        ErrorClass.BULKHEAD_FULL,
        "payment k-1 was not sent: the client's bulkhead for the gateway's charge calls is full",
        retryable=True,
        outcome="failed",
        idempotency_key="k-1",
    )

    response = outcome_response(refused, "k-1")

    body = body_of(response)
    assert (response["statusCode"], response["headers"]["Retry-After"]) == (503, "1")
    assert (body["status"], body["error"]["class"], body["error"]["retryable"]) == ("failed", "BULKHEAD_FULL", False)
