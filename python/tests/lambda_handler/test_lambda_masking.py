"""The handler's answers never echo a card-like number or the payment token back (masked as the logs are)."""

from __future__ import annotations

import json

import pytest
from gateway_fake import FakeGateway, Step, error_body
from lambda_support import WallClockContext, body_of, payment, rest_event

from checkout_payments.payment_handler import handler

CARD = "4111111111111111"
MASKED = "************1111"
TOKEN = "tok_live_5e6f7a8b9c0d"
KEY = {"Idempotency-Key": "idem-mask-1"}


@pytest.mark.parametrize(
    "body",
    [
        payment(amount_minor=int(CARD)),  # the case: a card number sent as amount_minor
        payment(amount_minor=CARD),
        payment(order_id=CARD + "-" + "x" * 60),
        {**payment(), CARD: 1},  # an unknown member named like a card
    ],
    ids=["card-as-amount", "card-as-amount-text", "card-in-long-order-id", "card-as-member-name"],
)
def test_a_400_never_echoes_a_card_number(lambda_env: FakeGateway, body: dict[str, object]) -> None:
    response = handler(rest_event(body, KEY), WallClockContext(5000))

    assert response["statusCode"] == 400
    assert CARD not in response["body"]
    assert MASKED in response["body"]
    assert lambda_env.posts() == []


def test_the_gateways_words_reach_the_answer_without_the_token_or_a_card_number(lambda_env: FakeGateway) -> None:
    said = f"payment_token {TOKEN} is not valid for card {CARD}"
    lambda_env.script_post(Step(400, error_body("INVALID_REQUEST", said, pointer="/payment_token")))

    response = handler(rest_event(payment(payment_token=TOKEN), KEY), WallClockContext(5000))

    assert response["statusCode"] == 400
    text = json.dumps(body_of(response))
    assert TOKEN not in text
    assert CARD not in text
    assert "****9c0d" in text
