"""Outages end to end, on a stack of its own (these tests kill processes): retries stay at one layer,
the breakers open where SEMANTICS.md says they do and close again after recovery.

The spec's reading of "where": a breaker counts the failures of *its* upstream. When the provider
is down the gateway's breaker opens; its callers then get fast `CIRCUIT_OPEN` answers, which are
`ignored` outcomes (SEMANTICS §6) — a gateway that answers at once is not failing — so their breakers
stay closed. When the gateway itself is down, the callers' breakers open.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from e2e_stack import FAILURE_THRESHOLD, HALF_OPEN_CALLS, MAX_ATTEMPTS, RECOVERY_MS, SERVICES, Surfaces, module_stack

from checkout_payments.client import PaymentClient, PaymentError
from tools.stack import Stack

ORDERS = 6


own_stack = module_stack("outage-stack")


@pytest.fixture
def e2e(own_stack: Stack) -> Iterator[Surfaces]:
    with httpx.Client(timeout=30.0) as http:
        surfaces = Surfaces(own_stack, http)
        surfaces.reset_provider()
        assert [surfaces.breaker(service) for service in SERVICES] == ["closed", "closed"]
        yield surfaces
        surfaces.heal()


def pay_until_rejected(client: PaymentClient, prefix: str) -> list[str]:
    """Pay until this client's own breaker rejects; returns the error class of each payment."""
    classes = []
    for n in range(FAILURE_THRESHOLD + 1):
        with pytest.raises(PaymentError) as failed:
            client.pay(f"{prefix}-{n}", 1999, "EUR", "tok_visa_4242", idempotency_key=f"{prefix}-{n}")
        classes.append(failed.value.error_class.value)
        if classes[-1] == "CIRCUIT_OPEN":
            return classes
    raise AssertionError(f"the client's breaker did not open: {classes}")


def close_after_recovery(e2e: Surfaces, client: PaymentClient, prefix: str) -> None:
    """Wait out the recovery time, then the half-open trials close the client's and the services' breakers."""
    time.sleep(RECOVERY_MS / 1000 + 0.2)
    for n in range(HALF_OPEN_CALLS):
        assert client.pay(f"{prefix}-{n}", 1999, "EUR", "tok_visa_4242").status == "authorised"
        assert e2e.order(customer=f"{prefix}-{n}").json()["status"] == "PAID"
    assert client.stats.breaker_state.value == "closed"
    assert [e2e.breaker(service) for service in SERVICES] == ["closed", "closed"]


def test_retries_do_not_multiply_across_hops(e2e: Surfaces) -> None:
    e2e.behave(outage={"mode": "error_503"})  # retryable 5xx: the gateway's retry loop runs
    # Charges only: the reconciler's lookups of the unknown orders have their own breaker (SEMANTICS §11).
    gateway_attempts_before = e2e.metric("gateway", "checkout_upstream_attempts_total", operation="charge")

    orders = [e2e.order(customer=f"retry-{n}").json() for n in range(ORDERS)]
    with e2e.client() as client:
        for n in range(2):
            with pytest.raises(PaymentError):
                client.pay(f"retry-py-{n}", 1999, "EUR", "tok_visa_4242", idempotency_key=f"retry-py-{n}")
        client_attempts = client.stats.attempts

    attempts = {entry["key"]: entry["attempts"] for entry in e2e.ledger()["charges"]}
    gateway_attempts = (
        e2e.metric("gateway", "checkout_upstream_attempts_total", operation="charge") - gateway_attempts_before
    )
    assert any(count > 1 for count in attempts.values()), attempts  # the gateway retried ...
    assert max(attempts.values()) <= MAX_ATTEMPTS, attempts  # ... within its max_attempts: nobody multiplied them
    # Then its breaker stopped calling the provider after exactly failure_threshold failed attempts. An attempt
    # the deadline cut before it reached the provider still counts as a failure (SEMANTICS §5): on a loaded
    # machine the ledger may see fewer attempts than the gateway made, never more.
    assert gateway_attempts == FAILURE_THRESHOLD
    assert sum(attempts.values()) <= FAILURE_THRESHOLD, attempts
    assert all(order["status"] in {"PAYMENT_UNKNOWN", "FAILED"} for order in orders)
    # One attempt per order and per payment at the callers: the gateway's answer said "retryable": false.
    assert e2e.metric("order-service", "checkout_upstream_attempts_total", operation="charge") == ORDERS
    assert e2e.metric("order-service", "checkout_retries_total", operation="charge") == 0
    assert client_attempts == 2
    assert e2e.breaker("gateway") == "open"


def test_a_killed_provider_opens_the_gateway_breaker_and_a_restarted_one_closes_it(e2e: Surfaces) -> None:
    e2e.stack.simulator.signal(signal.SIGKILL)
    e2e.stack.simulator.popen.wait(10)

    with e2e.client() as client:
        classes = pay_until_rejected_by_gateway(client)
        assert e2e.breaker("gateway") == "open"
        started = time.perf_counter()
        rejected = e2e.order(customer="while-open").json()
        took_ms = (time.perf_counter() - started) * 1000
        assert rejected["status"] == "FAILED"
        assert rejected["payment"]["error_class"] == "CIRCUIT_OPEN"
        assert took_ms < 1000, f"a rejected order took {took_ms:.0f} ms"
        # The callers saw fast answers (CIRCUIT_OPEN is `ignored`): their breakers stay closed.
        assert client.stats.breaker_state.value == "closed"
        assert e2e.breaker("order-service") == "closed"
        assert classes[-1] == "CIRCUIT_OPEN"

        e2e.stack.restart_simulator()
        close_after_recovery(e2e, client, "provider-back")
    transitions = e2e.metric("gateway", "checkout_breaker_transitions_total", to="open")
    assert transitions >= 1


def order_until_rejected(e2e: Surfaces) -> list[dict[str, Any]]:
    """Order until the order service's breaker rejects the payment; returns the orders."""
    orders = []
    for n in range(FAILURE_THRESHOLD + 1):
        orders.append(e2e.order(customer=f"gateway-down-{n}").json())
        if orders[-1]["payment"].get("error_class") == "CIRCUIT_OPEN":
            return orders
    raise AssertionError(f"the order service's breaker did not open: {[o['payment'] for o in orders]}")


def pay_until_rejected_by_gateway(client: PaymentClient) -> list[str]:
    classes = []
    for n in range(FAILURE_THRESHOLD + 1):
        with pytest.raises(PaymentError) as failed:
            client.pay(f"killed-provider-{n}", 1999, "EUR", "tok_visa_4242")
        classes.append(failed.value.error_class.value)
        if classes[-1] == "CIRCUIT_OPEN":
            return classes
    raise AssertionError(f"the gateway's breaker did not open: {classes}")


def test_a_killed_gateway_opens_the_callers_breakers_and_a_restarted_one_closes_them(e2e: Surfaces) -> None:
    with e2e.client() as client:
        client.pay("before-kill", 1999, "EUR", "tok_visa_4242")
        e2e.stack.gateway.signal(signal.SIGKILL)
        e2e.stack.gateway.popen.wait(10)

        classes = pay_until_rejected(client, "gateway-down-py")
        orders = order_until_rejected(e2e)

        # Refused connections, retried by the client itself, until its budget or its breaker stops it.
        assert classes[0] == "CONNECTION"
        assert set(classes[:-1]) <= {"CONNECTION", "RETRY_BUDGET_EXHAUSTED"}
        assert client.stats.breaker_state.value == "open"
        # Connection refused: nothing reached the gateway, so nothing can have been charged.
        assert {order["status"] for order in orders} == {"FAILED"}
        assert e2e.breaker("order-service") == "open"
        assert e2e.health("order-service")["status"] == "degraded"

        e2e.stack.restart_gateway()
        close_after_recovery(e2e, client, "gateway-back")
