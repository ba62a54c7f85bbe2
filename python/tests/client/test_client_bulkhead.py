"""The client's own bulkhead (SEMANTICS §11): a payment it refuses sent nothing, and the same key pays later."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from gateway_fake import FakeGateway, Step
from short_config import short_config

from checkout_payments.client import PaymentBulkheadFullError, PaymentClient, PaymentNotFoundError, PaymentResult

TOKEN = "tok_visa_4242"


def test_a_full_charge_bulkhead_fails_without_sending_and_the_same_key_pays_later(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway, tmp_path: Path
) -> None:
    client = make_client(gateway.url, config=short_config(tmp_path, {"payment/bulkhead/max_concurrent": 1}))
    gateway.script_post_for("idem-slow", Step(delay_ms=300))
    paid: list[PaymentResult] = []
    slow = threading.Thread(
        target=lambda: paid.append(client.pay("order-slow", 100, "EUR", TOKEN, idempotency_key="idem-slow"))
    )
    slow.start()
    # The slow payment holds the charges' only slot once the gateway has its request.
    waited_until = time.monotonic() + 5
    while not gateway.posts() and time.monotonic() < waited_until:
        time.sleep(0.005)

    with pytest.raises(PaymentBulkheadFullError) as raised:
        client.pay("order-full", 100, "EUR", TOKEN, idempotency_key="idem-full")
    # A status request meanwhile runs on the lookup's own bulkhead.
    with pytest.raises(PaymentNotFoundError):
        client.get_payment("idem-never-sent")
    slow.join(5)

    error = raised.value
    assert (error.outcome, error.attempts, error.retryable, error.safe_to_retry_same_key) == ("failed", 0, True, True)
    assert (error.error_class.value, error.retry_after_ms, error.idempotency_key) == (
        "BULKHEAD_FULL",
        None,
        "idem-full",
    )
    assert "the client's bulkhead for the gateway's charge calls is full (max_concurrent 1 " in error.message
    assert error.message.endswith("nothing was charged; retrying later with the same Idempotency-Key is safe")
    assert [result.status for result in paid] == ["authorised"]
    # Sent again with the same key once a slot is free: it pays, once.
    assert client.pay("order-full", 100, "EUR", TOKEN, idempotency_key="idem-full").status == "authorised"
    assert gateway.keys_posted() == ["idem-slow", "idem-full"]
    assert gateway.charges() == 2
