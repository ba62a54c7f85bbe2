"""Errors never carry a card-like number or the payment token: masked as the logs mask them (client/masking.py)."""

from __future__ import annotations

import pytest
from gateway_fake import FakeGateway, Step, error_body

from checkout_payments.client import PaymentClient, PaymentError, PaymentInvalidRequestError

CARD = "4111111111111111"
MASKED = "************1111"
TOKEN = "tok_live_8f3a9c2e71d4"


def every_word(error: PaymentError) -> str:
    """Everything an error shows: str(), message, details."""
    return " ".join([str(error), error.message, *(f"{d.pointer} {d.message}" for d in error.details)])


def test_a_card_number_sent_as_the_amount_is_masked_in_the_invalid_request_error(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    with pytest.raises(PaymentInvalidRequestError) as raised:
        client.pay("order-k1", int(CARD), "EUR", TOKEN)

    shown = every_word(raised.value)
    assert CARD not in shown
    assert f"but was {MASKED}" in raised.value.details[0].message
    assert gateway.posts() == []


def test_the_gateways_error_text_brings_neither_the_token_nor_a_card_number_into_the_error(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    said = f"payment_token {TOKEN} does not belong to card 4111 1111 1111 1111"
    gateway.script_post(Step(400, error_body("INVALID_REQUEST", said, pointer="/payment_token")))

    with pytest.raises(PaymentInvalidRequestError) as raised:
        client.pay("order-k2", 100, "EUR", TOKEN)

    shown = every_word(raised.value)
    assert TOKEN not in shown
    assert "4111 1111 1111 1111" not in shown
    assert "****71d4" in shown  # the token's last four, as the logs show it
    assert MASKED in shown


def test_a_card_number_used_as_order_id_is_masked_in_a_failure_message(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    gateway.script_post(Step(502, error_body("UPSTREAM_UNAVAILABLE", f"order {CARD} failed", status="failed")))

    with pytest.raises(PaymentError) as raised:
        client.pay(CARD, 100, "EUR", TOKEN, idempotency_key="idem-k3")

    assert CARD not in every_word(raised.value)


def test_redact_masks_the_calls_secrets_and_card_numbers_but_not_short_words() -> None:
    from checkout_payments.client.masking import redact  # new with the fix: imported here, not at collection

    assert redact(f"token {TOKEN}, card {CARD}", (TOKEN,)) == f"token ****71d4, card {MASKED}"
    assert redact("a tok b", ("tok",)) == "a tok b"  # three characters are no token worth garbling a message for
