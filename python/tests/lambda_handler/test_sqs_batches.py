"""The handler behind SQS: partial batch failures, keys that survive redelivery, FIFO order."""

from __future__ import annotations

from gateway_fake import FakeGateway, Step, error_body
from lambda_support import WallClockContext, failed_ids, payment, sqs_event, sqs_record

from checkout_payments.payment_handler import handler


def test_a_mixed_batch_reports_every_record_without_an_answer(lambda_env: FakeGateway) -> None:
    lambda_env.script_post_for("idem-hang", Step(charge=True, hang=True))
    lambda_env.script_post_for(
        "idem-busy", Step(503, error_body("CIRCUIT_OPEN", "gateway breaker open", status="failed"))
    )
    event = sqs_event(
        sqs_record("m-ok-body-key", payment(order_id="o1", idempotency_key="idem-body")),
        sqs_record("m-ok-attribute-key", payment(order_id="o2"), key_attribute="idem-attribute"),
        sqs_record("m-ok-derived-key", payment(order_id="o3")),
        sqs_record("m-declined", payment(order_id="o4", payment_token="tok_decline")),
        sqs_record("m-unknown", payment(order_id="o5", idempotency_key="idem-hang")),
        sqs_record("m-failed", payment(order_id="o6", idempotency_key="idem-busy")),
        sqs_record("m-not-json", None, raw_body="{oops"),
        sqs_record("m-missing-field", {"order_id": "o8"}),
        sqs_record("m-two-keys", payment(order_id="o9", idempotency_key="a"), key_attribute="b"),
    )

    response = handler(event, WallClockContext(5000))

    assert failed_ids(response) == ["m-failed", "m-missing-field", "m-not-json", "m-two-keys", "m-unknown"]
    assert sorted(key or "" for key in lambda_env.keys_posted()) == [
        "idem-attribute",
        "idem-body",
        "idem-busy",
        "idem-hang",
        "payment-o3",
        "payment-o4",
    ]


def test_a_redelivered_unknown_record_is_settled_with_the_same_key_and_charged_once(lambda_env: FakeGateway) -> None:
    # First delivery: the gateway charges but answers too late; the record comes back with its key.
    lambda_env.script_post_for("payment-o-redelivered", Step(charge=True, hang=True))
    event = sqs_event(sqs_record("m-1", payment(order_id="o-redelivered")))

    first = handler(event, WallClockContext(5000))
    second = handler(event, WallClockContext(5000))

    assert failed_ids(first) == ["m-1"]
    assert failed_ids(second) == []
    assert lambda_env.keys_posted() == ["payment-o-redelivered", "payment-o-redelivered"]
    assert lambda_env.charges() == 1


def test_a_fifo_batch_holds_back_every_record_after_the_first_failure(lambda_env: FakeGateway) -> None:
    lambda_env.script_post_for("payment-f2", Step(502, error_body("UPSTREAM_UNAVAILABLE", "5xx", status="failed")))
    event = sqs_event(
        sqs_record("f-1", payment(order_id="f1"), fifo=True),
        sqs_record("f-2", payment(order_id="f2"), fifo=True),
        sqs_record("f-3", payment(order_id="f3"), fifo=True),
    )

    response = handler(event, WallClockContext(5000))

    assert failed_ids(response) == ["f-2", "f-3"]
    assert lambda_env.keys_posted() == ["payment-f1", "payment-f2"]


def test_a_record_without_a_message_id_fails_the_whole_batch(lambda_env: FakeGateway) -> None:
    record = sqs_record("m-1", payment())
    del record["messageId"]

    response = handler(sqs_event(record, sqs_record("m-2", payment(order_id="o2"))), WallClockContext(5000))

    # An empty itemIdentifier is AWS's "the whole batch failed": both come back.
    assert response == {"batchItemFailures": [{"itemIdentifier": ""}]}
    assert lambda_env.posts() == []
