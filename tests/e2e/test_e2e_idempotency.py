"""No key is ever charged twice: not after a charge whose answer was lost, not under concurrent duplicates.

The provider's ledger counts the charges executed per Idempotency-Key; `double_charged` must stay
empty (every `Surfaces.ledger()` read asserts it).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from e2e_stack import Surfaces, wait_until

from checkout_payments.client import PaymentError, PaymentIdempotencyConflictError, PaymentResult

DUPLICATES = 8
# Long enough that every duplicate arrives while the first is still being charged.
CHARGE_MS = 600


def test_python_client_paying_again_after_a_lost_answer_charges_once(e2e: Surfaces) -> None:
    key = "e2e-py-charge-then-timeout"
    e2e.behave(charge_then_timeout_rate=1)
    with e2e.client() as client:
        with pytest.raises(PaymentError) as lost:
            client.pay("order-ctt", 1999, "EUR", "tok_visa_4242", idempotency_key=key)
        assert lost.value.outcome == "unknown"
        e2e.behave(charge_then_timeout_rate=0)

        # The same payment again, same key: the gateway finds the first charge instead of making one.
        def pay_again() -> PaymentResult | None:
            try:
                return client.pay("order-ctt", 1999, "EUR", "tok_visa_4242", idempotency_key=key)
            except PaymentIdempotencyConflictError:
                return None  # the gateway's first attempt is still in flight: 409, later

        result = wait_until(f"{key} answered", pay_again)

    entry = e2e.ledger_entry(key)
    assert (result.status, result.charge_id) == ("authorised", entry["charge_id"])
    assert entry["charges"] == 1


def test_order_sent_again_after_a_lost_answer_is_not_paid_twice(e2e: Surfaces) -> None:
    e2e.behave(charge_then_timeout_rate=1)
    first = e2e.order(key="e2e-order-ctt").json()
    assert first["status"] == "PAYMENT_UNKNOWN"
    e2e.behave(charge_then_timeout_rate=0)

    again = e2e.order(key="e2e-order-ctt")

    assert again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["order_id"] == first["order_id"]
    settled = wait_until("order reconciled", lambda: (o := e2e.get_order(first["order_id"]))["status"] == "PAID" and o)
    assert e2e.ledger_entry(settled["payment"]["idempotency_key"])["charges"] == 1
    assert e2e.ledger()["totals"]["charges"] == 1


def test_concurrent_duplicate_payments_at_the_gateway_charge_once(e2e: Surfaces) -> None:
    e2e.behave(latency={"kind": "fixed", "ms": CHARGE_MS})

    with ThreadPoolExecutor(DUPLICATES) as pool:
        answers = list(pool.map(lambda _: e2e.pay("e2e-gateway-duplicate"), range(DUPLICATES)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(200) >= 1, statuses
    assert set(statuses) <= {200, 409}, statuses
    charge_ids = {answer.json()["charge_id"] for answer in answers if answer.status_code == 200}
    assert len(charge_ids) == 1
    assert e2e.ledger_entry("e2e-gateway-duplicate")["charges"] == 1


def test_concurrent_duplicate_payments_from_python_clients_charge_once(e2e: Surfaces) -> None:
    e2e.behave(latency={"kind": "fixed", "ms": CHARGE_MS})
    key = "e2e-py-duplicate"

    def pay(_: int) -> str:
        with e2e.client() as client:
            try:
                return client.pay("order-dup", 1999, "EUR", "tok_visa_4242", idempotency_key=key).charge_id
            except PaymentIdempotencyConflictError as in_flight:
                # 409: the first is still running, so this one's outcome is unknown, not failed.
                return f"in-flight, {in_flight.outcome}"

    with ThreadPoolExecutor(DUPLICATES) as pool:
        results = list(pool.map(pay, range(DUPLICATES)))

    charged = {result for result in results if not result.startswith("in-flight")}
    assert charged == {e2e.ledger_entry(key)["charge_id"]}
    assert {result for result in results if result.startswith("in-flight")} <= {"in-flight, unknown"}
    assert e2e.ledger_entry(key)["charges"] == 1


def test_concurrent_duplicate_orders_create_one_order_and_one_charge(e2e: Surfaces) -> None:
    e2e.behave(latency={"kind": "fixed", "ms": CHARGE_MS})

    with ThreadPoolExecutor(DUPLICATES) as pool:
        answers = list(pool.map(lambda _: e2e.order(key="e2e-order-duplicate"), range(DUPLICATES)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {200, 201, 409}, statuses
    order_ids = {answer.json()["order_id"] for answer in answers if answer.status_code in {200, 201}}
    assert len(order_ids) == 1
    ledger = e2e.ledger()
    assert (ledger["totals"]["keys"], ledger["totals"]["charges"]) == (1, 1)
