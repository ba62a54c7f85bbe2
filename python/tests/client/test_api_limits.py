"""The client's argument checks use the one definition of each request limit: config/api-limits.json, generated into
`checkout_payments.generated.api_limits` (the same numbers the order service and the gateway use)."""

from __future__ import annotations

import pytest
from gateway_fake import FakeGateway

from checkout_payments.client import PaymentClient, PaymentInvalidRequestError
from checkout_payments.generated import api_limits


def test_a_token_one_over_the_shared_limit_is_refused_before_any_attempt(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    # The case: a 256-character token passed every hop, then the provider refused it.
    token = "t" * (api_limits.payment_token_max_length + 1)

    with pytest.raises(PaymentInvalidRequestError) as raised:
        client.pay("order-l1", 100, "EUR", token)

    [detail] = raised.value.details
    assert detail.pointer == "/payment_token"
    assert f"1 to {api_limits.payment_token_max_length} characters, but had 256" in detail.message
    assert gateway.posts() == []
    assert client.pay("order-l1", 100, "EUR", token[:-1]).status == "authorised"


@pytest.mark.parametrize("currency", ["ABC", "XXX", "XAU"])
def test_a_currency_outside_the_shared_list_is_refused_before_any_attempt(
    client: PaymentClient, gateway: FakeGateway, currency: str
) -> None:
    assert currency not in api_limits.currencies

    with pytest.raises(PaymentInvalidRequestError) as raised:
        client.pay("order-l2", 100, currency, "tok_a")

    assert [d.pointer for d in raised.value.details] == ["/currency"]
    assert f'but was "{currency}"' in raised.value.details[0].message
    assert gateway.posts() == []


def test_every_currency_of_the_shared_list_is_accepted(client: PaymentClient, gateway: FakeGateway) -> None:
    for currency in ("EUR", "JPY", "BHD"):
        assert currency in api_limits.currencies
        assert client.pay(f"order-{currency}", 100, currency, "tok_a").currency == currency
