"""Restarts end to end: a service killed with SIGKILL in the middle of payments, then started again on the
same PostgreSQL. The invariant after every restart: each order is final, PAID exactly when the provider's
ledger holds its charge, no key is charged twice, and a client's retry with its key finds the same order.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from e2e_stack import TOKEN, Surfaces, module_stack, wait_until

from tools.stack import Stack

FINAL = {"PAID", "DECLINED", "FAILED"}
# Longer than the stack's gateway lease and the order service's stale-PENDING age (e2e_stack.SHORTENED),
# plus a reconcile run or two on a busy 2-core machine.
RECOVERY_S = 45.0
IN_FLIGHT = 4


own_stack = module_stack("restart-stack")


@pytest.fixture
def e2e(own_stack: Stack) -> Iterator[Surfaces]:
    with httpx.Client(timeout=30.0) as http:
        surfaces = Surfaces(own_stack, http)
        surfaces.reset_provider()
        yield surfaces
        surfaces.behave(latency={"kind": "fixed", "ms": 50})


def post_order(url: str, key: str) -> int | str:
    """One POST /orders whose answer may never come (the service is killed under it)."""
    body = {"customer_id": "c-restart", "amount_minor": 2599, "currency": "EUR", "payment_token": TOKEN}
    try:
        return httpx.post(f"{url}/orders", json=body, headers={"Idempotency-Key": key}, timeout=30.0).status_code
    except httpx.HTTPError as lost:
        return type(lost).__name__


def kill_mid_payment(e2e: Surfaces, victim: str, prefix: str) -> list[str]:
    """Start IN_FLIGHT orders against a slow provider, SIGKILL `victim` while they are in flight."""
    e2e.behave(latency={"kind": "fixed", "ms": 1200})
    keys = [f"{prefix}-{n}" for n in range(IN_FLIGHT)]
    url = e2e.stack.order_service.url
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        answers = [pool.submit(post_order, url, key) for key in keys]
        wait_until("every order reached the provider", lambda: len(charges_started(e2e)) >= IN_FLIGHT)
        e2e.stack.services[victim].signal(signal.SIGKILL)
        outcomes = [answer.result() for answer in answers]
    if victim == "order-service":
        assert all(isinstance(outcome, str) for outcome in outcomes), f"answers that should be lost: {outcomes}"
    return keys


def charges_started(e2e: Surfaces) -> list[dict[str, Any]]:
    charges: list[dict[str, Any]] = e2e.http.get(f"{e2e.stack.simulator.url}/ledger").json()["charges"]
    return charges


def retry_until_final(e2e: Surfaces, key: str) -> dict[str, Any]:
    """What a client does after a lost answer: the same request with the same key, until the order is final."""

    def final() -> dict[str, Any] | None:
        answer = e2e.order(key, customer="c-restart")
        if answer.status_code in (200, 201) and answer.json()["status"] in FINAL:
            body: dict[str, Any] = answer.json()
            return body
        return None

    return wait_until(f"order {key} final after the restart", final, timeout_s=RECOVERY_S, every_s=0.5)


def assert_orders_match_ledger(e2e: Surfaces, orders: list[dict[str, Any]]) -> None:
    ledger = e2e.ledger()  # asserts that no key was charged twice
    charged = {entry["key"] for entry in ledger["charges"] if entry.get("status") == "authorised"}
    for order in orders:
        paid_in_ledger = order["payment"]["idempotency_key"] in charged
        assert (order["status"] == "PAID") == paid_in_ledger, (order, sorted(charged))


def test_a_killed_order_service_settles_every_order_after_restart_and_retries_find_the_same_order(
    e2e: Surfaces,
) -> None:
    keys = kill_mid_payment(e2e, "order-service", "killed-order-service")
    e2e.stack.restart_order_service()
    e2e.behave(latency={"kind": "fixed", "ms": 50})
    orders = [retry_until_final(e2e, key) for key in keys]
    assert len({order["order_id"] for order in orders}) == IN_FLIGHT
    # The provider got every charge before the kill and answered after it: each one is PAID, once.
    assert [order["status"] for order in orders] == ["PAID"] * IN_FLIGHT, orders
    assert_orders_match_ledger(e2e, orders)
    again = [e2e.order(key, customer="c-restart") for key in keys]
    assert [answer.status_code for answer in again] == [200] * IN_FLIGHT
    assert [answer.json()["order_id"] for answer in again] == [order["order_id"] for order in orders]


def test_a_killed_gateway_leaves_no_order_unsettled_and_no_key_charged_twice(e2e: Surfaces) -> None:
    keys = kill_mid_payment(e2e, "gateway", "killed-gateway")
    e2e.stack.restart_gateway()
    e2e.behave(latency={"kind": "fixed", "ms": 50})
    orders = [retry_until_final(e2e, key) for key in keys]
    assert_orders_match_ledger(e2e, orders)
    time.sleep(0.5)
    assert [e2e.get_order(order["order_id"])["status"] for order in orders] == [o["status"] for o in orders]
