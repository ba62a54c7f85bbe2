"""Both callers of the gateway end to end: Python client → gateway → provider, order service → gateway → provider.

Authorise, decline, slow but within the timeout, and a timeout whose outcome is unknown until
reconciliation settles it — with the provider's ledger as the witness of what was charged.
"""

from __future__ import annotations

import pytest
from e2e_stack import SETTLE_S, TIMEOUT_MS, Surfaces, wait_until

from checkout_payments.client import PaymentError

DECLINE_REASONS = {"insufficient_funds", "card_declined", "expired_card", "do_not_honor"}
# Slow, but inside the attempt timeout with room for two hops on a busy machine.
SLOW_MS = TIMEOUT_MS - 600


def settled_order(e2e: Surfaces, order_id: str) -> dict[str, str]:
    """The order once the reconciler moved it out of PAYMENT_UNKNOWN."""

    def probe() -> dict[str, str] | None:
        order = e2e.get_order(order_id)
        return order if order["status"] not in {"PENDING", "PAYMENT_UNKNOWN"} else None

    return wait_until(f"order {order_id} reconciled", probe, SETTLE_S)


# ---- Python client → gateway → provider ---------------------------------------------------------


def test_python_client_payment_is_authorised_and_charged_once(e2e: Surfaces) -> None:
    with e2e.client() as client:
        result = client.pay("order-py-1", 1999, "EUR", "tok_visa_4242", idempotency_key="e2e-py-authorise")

    assert (result.status, result.attempts) == ("authorised", 1)
    entry = e2e.ledger_entry("e2e-py-authorise")
    assert (entry["charges"], entry["status"], entry["charge_id"]) == (1, "authorised", result.charge_id)


def test_python_client_decline_is_a_result_and_not_retried(e2e: Surfaces) -> None:
    e2e.behave(decline_rate=1)
    with e2e.client() as client:
        result = client.pay("order-py-2", 1999, "EUR", "tok_visa_4242", idempotency_key="e2e-py-decline")

    assert result.status == "declined"
    assert result.decline_reason in DECLINE_REASONS
    assert e2e.ledger_entry("e2e-py-decline")["attempts"] == 1


def test_python_client_slow_payment_within_the_timeout_is_authorised_in_one_attempt(e2e: Surfaces) -> None:
    e2e.behave(latency={"kind": "fixed", "ms": SLOW_MS})
    with e2e.client() as client:
        result = client.pay("order-py-3", 1999, "EUR", "tok_visa_4242", idempotency_key="e2e-py-slow")

    assert (result.status, result.attempts) == ("authorised", 1)
    assert e2e.ledger_entry("e2e-py-slow")["attempts"] == 1


@pytest.mark.parametrize(("fault", "settled"), [("charge_then_timeout_rate", "authorised"), ("hang_rate", "failed")])
def test_python_client_timeout_is_unknown_until_get_payment_settles_it(e2e: Surfaces, fault: str, settled: str) -> None:
    key = f"e2e-py-unknown-{settled}"
    e2e.behave(**{fault: 1})
    with e2e.client() as client:
        with pytest.raises(PaymentError) as unknown:
            client.pay("order-py-4", 1999, "EUR", "tok_visa_4242", idempotency_key=key)
        # Whichever hop's clock ran out first: the client's own timeout, or the gateway's deadline; or the
        # gateway's charge budget, spent by this module's earlier timeouts (only charge successes refill it,
        # SEMANTICS §11), refused its next retry. Each is an attempt sent without an answer: unknown.
        assert unknown.value.error_class.value in {"TIMEOUT", "DEADLINE_EXCEEDED", "RETRY_BUDGET_EXHAUSTED"}
        assert unknown.value.outcome == "unknown"
        e2e.behave(**{fault: 0})

        # Right after the client gave up, the gateway's own attempt may still be running: `pending`.
        status = wait_until(f"{key} settled", lambda: (found := client.get_payment(key)).settled and found)

    assert status.status == settled
    entry = e2e.ledger_entry(key)
    assert entry["charges"] == (1 if settled == "authorised" else 0)
    if settled == "authorised":
        assert status.charge_id == entry["charge_id"]


# ---- order service → gateway → provider ---------------------------------------------------------


def test_order_is_paid_through_the_gateway_and_charged_once(e2e: Surfaces) -> None:
    answer = e2e.order(key="e2e-order-paid")

    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert (order["status"], order["payment"]["status"]) == ("PAID", "authorised")
    key = order["payment"]["idempotency_key"]
    assert e2e.ledger_entry(key)["charges"] == 1
    at_gateway = e2e.http.get(f"{e2e.stack.gateway.url}/payments/{key}").json()
    assert at_gateway["status"] == "authorised"


def test_declined_order_is_declined_and_not_retried(e2e: Surfaces) -> None:
    e2e.behave(decline_rate=1)

    order = e2e.order().json()

    assert order["status"] == "DECLINED"
    assert e2e.ledger_entry(order["payment"]["idempotency_key"])["attempts"] == 1


def test_slow_order_within_the_timeout_is_paid(e2e: Surfaces) -> None:
    e2e.behave(latency={"kind": "fixed", "ms": SLOW_MS})

    order = e2e.order().json()

    assert order["status"] == "PAID"
    assert e2e.ledger_entry(order["payment"]["idempotency_key"])["attempts"] == 1


@pytest.mark.parametrize(("fault", "settled"), [("charge_then_timeout_rate", "PAID"), ("hang_rate", "FAILED")])
def test_order_whose_payment_timed_out_is_unknown_until_the_reconciler_settles_it(
    e2e: Surfaces, fault: str, settled: str
) -> None:
    e2e.behave(**{fault: 1})

    answer = e2e.order()

    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order["status"] == "PAYMENT_UNKNOWN"
    e2e.behave(**{fault: 0})
    assert settled_order(e2e, order["order_id"])["status"] == settled
    entry = e2e.ledger_entry(order["payment"]["idempotency_key"])
    assert entry["charges"] == (1 if settled == "PAID" else 0)
