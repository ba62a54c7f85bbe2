"""The handler behind API Gateway: REST (v1) and HTTP API (v2) events, strict validation, answers per taxonomy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from gateway_fake import FakeGateway, Step, error_body
from lambda_support import WallClockContext, body_of, http_api_event, payment, rest_event

from checkout_payments.config.loader import ENV_VAR
from checkout_payments.payment_handler import handler

KEY = {"Idempotency-Key": "idem-http-1"}


def test_a_rest_event_is_authorised_with_the_headers_key(lambda_env: FakeGateway) -> None:
    response = handler(rest_event(payment(), KEY), WallClockContext(5000))

    assert response["statusCode"] == 200
    assert response["headers"] == {"Content-Type": "application/json", "Idempotency-Key": "idem-http-1"}
    body = body_of(response)
    assert (body["status"], body["idempotency_key"], body["amount_minor"], body["attempts"]) == (
        "authorised",
        "idem-http-1",
        1999,
        1,
    )
    assert lambda_env.keys_posted() == ["idem-http-1"]


def test_an_http_api_event_with_a_base64_body_is_authorised(lambda_env: FakeGateway) -> None:
    event = http_api_event(payment(order_id="order-v2"), {"Idempotency-Key": "idem-http-2"}, base64_body=True)

    response = handler(event, WallClockContext(5000))

    assert (response["statusCode"], body_of(response)["status"]) == (200, "authorised")
    assert lambda_env.keys_posted() == ["idem-http-2"]


def test_without_a_key_header_the_key_is_derived_from_the_order(lambda_env: FakeGateway) -> None:
    response = handler(http_api_event(payment(order_id="order-77")), WallClockContext(5000))

    assert body_of(response)["idempotency_key"] == "payment-order-77"
    assert lambda_env.keys_posted() == ["payment-order-77"]


def test_a_decline_answers_200_declined(lambda_env: FakeGateway) -> None:
    response = handler(rest_event(payment(payment_token="tok_decline_1"), KEY), WallClockContext(5000))

    assert response["statusCode"] == 200
    assert (body_of(response)["status"], body_of(response)["decline_reason"]) == ("declined", "insufficient_funds")


def test_a_redelivered_event_reuses_its_key_and_is_charged_once(lambda_env: FakeGateway) -> None:
    event = rest_event(payment(order_id="order-again"))

    first = handler(event, WallClockContext(5000))
    second = handler(event, WallClockContext(5000))

    assert body_of(first)["charge_id"] == body_of(second)["charge_id"]
    assert lambda_env.keys_posted() == ["payment-order-again", "payment-order-again"]
    assert lambda_env.charges() == 1


def test_one_client_serves_every_invocation_of_a_container(lambda_env: FakeGateway) -> None:
    for n in range(3):
        handler(rest_event(payment(order_id=f"order-warm-{n}")), WallClockContext(5000))

    # The pooled connection of the first invocation carried the later ones too.
    peers = {seen.peer for seen in lambda_env.posts()}
    assert len(peers) == 1


BAD_EVENTS: list[tuple[str, dict[str, Any], int, str]] = [
    ("missing field", rest_event({k: v for k, v in payment().items() if k != "currency"}, KEY), 400, "/currency"),
    ("fractional amount", rest_event(payment(amount_minor=19.5), KEY), 400, "/amount_minor"),
    (
        "integral float amount",
        rest_event(raw_body=json.dumps(payment()).replace("1999", "1999.0"), headers=KEY),
        400,
        "/amount_minor",
    ),
    ("amount as text", http_api_event(payment(amount_minor="1999"), KEY), 400, "/amount_minor"),
    ("boolean amount", http_api_event(payment(amount_minor=True), KEY), 400, "/amount_minor"),
    ("zero amount", http_api_event(payment(amount_minor=0), KEY), 400, "/amount_minor"),
    ("lower-case currency", rest_event(payment(currency="eur"), KEY), 400, "/currency"),
    ("unknown field", rest_event(payment(tip=5), KEY), 400, "/tip"),
    ("empty token", rest_event(payment(payment_token=""), KEY), 400, "/payment_token"),
    ("long order id", rest_event(payment(order_id="o" * 65), KEY), 400, "/order_id"),
    # config/api-limits.json: the same limits as the order service and the gateway.
    ("token over the shared limit", rest_event(payment(payment_token="t" * 256), KEY), 400, "/payment_token"),
    ("currency no hop accepts", http_api_event(payment(currency="XXX"), KEY), 400, "/currency"),
    ("duplicate member", rest_event(raw_body='{"order_id":"a","order_id":"b"}', headers=KEY), 400, "/order_id"),
    ("not JSON", rest_event(raw_body="{order_id: 1}", headers=KEY), 400, ""),
    ("NaN", rest_event(raw_body=json.dumps(payment()).replace("1999", "NaN"), headers=KEY), 400, ""),
    ("array body", rest_event([payment()], KEY), 400, ""),
    ("no body", rest_event(None, KEY), 400, ""),
    ("key with a space", rest_event(payment(), {"Idempotency-Key": "idem 1"}), 400, "/headers/Idempotency-Key"),
    (
        "key sent twice",
        rest_event(payment(), KEY, multi_headers={"Idempotency-Key": ["a", "b"]}),
        400,
        "/headers/Idempotency-Key",
    ),
    ("order id no key can be made of", http_api_event(payment(order_id="order é")), 400, "/order_id"),
    ("not base64", {**http_api_event(payment(), KEY), "isBase64Encoded": True, "body": "%%%"}, 400, ""),
    ("GET", rest_event(payment(), KEY, method="GET"), 405, ""),
    ("too large", rest_event(raw_body=" " * (64 * 1024 + 1), headers=KEY), 413, ""),
]


@pytest.mark.parametrize(
    ("event", "status", "pointer"), [case[1:] for case in BAD_EVENTS], ids=[c[0] for c in BAD_EVENTS]
)
def test_a_bad_request_answers_its_status_naming_the_field_and_calls_no_one(
    lambda_env: FakeGateway, event: dict[str, Any], status: int, pointer: str
) -> None:
    response = handler(event, WallClockContext(5000))

    assert response["statusCode"] == status
    body = body_of(response)
    assert (body["error"]["class"], body["error"]["retryable"], body["status"]) == ("INVALID_REQUEST", False, "failed")
    if status == 400:
        assert pointer in [detail["pointer"] for detail in body["error"]["details"]]
    assert lambda_env.posts() == []


@pytest.mark.parametrize("event", [{}, {"Records": []}, "text", None, [1, 2], {"Records": [{"eventSource": "aws:s3"}]}])
def test_an_event_of_no_known_shape_answers_400_without_raising(lambda_env: FakeGateway, event: Any) -> None:
    response = handler(event, WallClockContext(5000))

    assert response["statusCode"] == 400
    assert body_of(response)["error"]["class"] == "INVALID_REQUEST"


def test_the_payment_token_is_never_echoed(lambda_env: FakeGateway) -> None:
    token = "tok_" + "9" * 300
    response = handler(rest_event(payment(payment_token=token), KEY), WallClockContext(5000))

    assert response["statusCode"] == 400
    assert "9" * 20 not in response["body"]


@pytest.mark.parametrize(
    ("step", "status", "error_class", "settled"),
    [
        # Nothing was charged and the same key may pass later: 503 (outcome rule), whatever the gateway's status.
        (
            Step(502, error_body("UPSTREAM_UNAVAILABLE", "provider 5xx", status="failed")),
            503,
            "UPSTREAM_UNAVAILABLE",
            "failed",
        ),
        (Step(503, error_body("CIRCUIT_OPEN", "gateway breaker open", status="failed")), 503, "CIRCUIT_OPEN", "failed"),
        (Step(429, error_body("OVERLOADED", "slow down", status="failed")), 503, "OVERLOADED", "failed"),
        (Step(422, error_body("IDEMPOTENCY_CONFLICT", "other payload")), 422, "IDEMPOTENCY_CONFLICT", "failed"),
        (Step(504, error_body("TIMEOUT", "provider timed out", status="unknown")), 202, "TIMEOUT", "unknown"),
        # The relay's one attempt has the whole deadline: TIMEOUT, or DEADLINE_EXCEEDED when the clock moved
        # a millisecond between the call's start and the attempt's (SEMANTICS §5 counts that attempt as cut).
        (Step(charge=True, hang=True), 202, "TIMEOUT|DEADLINE_EXCEEDED", "unknown"),
    ],
    ids=["upstream-unavailable", "circuit-open", "overloaded", "conflict", "gateway-timeout", "client-timeout"],
)
def test_failures_answer_per_taxonomy_and_unknown_outcomes_202(
    lambda_env: FakeGateway, step: Step, status: int, error_class: str, settled: str
) -> None:
    lambda_env.script_post(step)

    response = handler(rest_event(payment(), KEY), WallClockContext(5000))

    body = body_of(response)
    assert response["statusCode"] == status
    assert (body["status"], body["idempotency_key"]) == (settled, "idem-http-1")
    assert body["error"]["class"] in error_class.split("|")
    assert body["error"]["retryable"] is False
    assert len(lambda_env.posts()) == 1


def test_an_invalid_config_answers_500_without_raising(
    lambda_env: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": "x"}', encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(broken))

    response = handler(rest_event(payment(), KEY), WallClockContext(5000))

    assert (response["statusCode"], body_of(response)["error"]["class"]) == (500, "INVALID_CONFIG")
    assert lambda_env.posts() == []
