"""Time: no attempt outlives the invocation's remaining time minus the safety margin (300 ms shortened)."""

from __future__ import annotations

import time

from gateway_fake import FakeGateway, Step
from lambda_support import WallClockContext, body_of, failed_ids, payment, rest_event, sqs_event, sqs_record

from checkout_payments.payment_handler import handler

SAFETY_MARGIN_MS = 300
TIMEOUT_MS = 400


def test_time_running_short_answers_unknown_before_the_context_expires(lambda_env: FakeGateway) -> None:
    # 700 ms left, 300 ms kept back: less than the 400 ms attempt timeout remains, so the one attempt is
    # cut to fit, runs out against a gateway that charged and hangs, and the answer is an unknown outcome.
    lambda_env.script_post(Step(charge=True, hang=True))
    context = WallClockContext(700)
    started = time.monotonic()

    response = handler(rest_event(payment(order_id="order-late")), context)

    waited_ms = (time.monotonic() - started) * 1000
    body = body_of(response)
    assert (response["statusCode"], body["status"], body["error"]["class"]) == (202, "unknown", "DEADLINE_EXCEEDED")
    assert body["idempotency_key"] == "payment-order-late"
    [seen] = lambda_env.posts()
    assert 0 < int(seen.deadline_ms or "0") < TIMEOUT_MS
    # The property: the handler answered while the Lambda still had time (a loaded machine may be slow,
    # but an answer after the context expired would be a Lambda timeout).
    assert waited_ms < 700
    assert context.get_remaining_time_in_millis() > 0


def test_no_time_left_answers_503_failed_safe_with_the_same_key_without_calling_the_gateway(
    lambda_env: FakeGateway,
) -> None:
    response = handler(rest_event(payment(order_id="order-too-late")), WallClockContext(SAFETY_MARGIN_MS - 50))

    body = body_of(response)
    assert (response["statusCode"], body["status"], body["error"]["class"]) == (503, "failed", "DEADLINE_EXCEEDED")
    assert body["error"]["message"].endswith(
        "nothing was charged; retrying later with the same Idempotency-Key is safe"
    )
    assert "Retry-After" not in response["headers"]
    assert lambda_env.posts() == []


def test_an_sqs_batch_stops_before_the_context_expires_and_reports_the_unsettled(lambda_env: FakeGateway) -> None:
    lambda_env.script_post_for("payment-s2", Step(charge=True, hang=True))
    context = WallClockContext(600)

    response = handler(
        sqs_event(sqs_record("s-1", payment(order_id="s1")), sqs_record("s-2", payment(order_id="s2"))), context
    )

    assert failed_ids(response) == ["s-2"]
    assert context.get_remaining_time_in_millis() > SAFETY_MARGIN_MS - 200
