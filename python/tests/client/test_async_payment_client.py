"""AsyncPaymentClient: the main paths of PaymentClient, over httpx.AsyncClient, against the same real fake."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from gateway_fake import FakeGateway, Step, error_body
from prometheus_client import CollectorRegistry

from checkout_payments.client import (
    AsyncPaymentClient,
    PaymentCircuitOpenError,
    PaymentDeadlineExceededError,
    PaymentTimeoutError,
    PaymentUpstreamUnavailableError,
)
from checkout_payments.config import LoadedConfig
from checkout_payments.resilience import BreakerState

TOKEN = "tok_visa_4242"


def still_clock() -> int:
    """A clock that does not move: a relay attempt then gets exactly the whole deadline (2000 ms)."""
    return 1_000_000


def test_authorises_and_declines(gateway: FakeGateway, config: LoadedConfig) -> None:
    async def run() -> tuple[str, str, str | None]:
        async with AsyncPaymentClient(gateway.url, config=config, clock=still_clock) as client:
            authorised = await client.pay("order-a1", 1999, "EUR", TOKEN, idempotency_key="idem-async-1")
            declined = await client.pay("order-a2", 1999, "EUR", "tok_decline_9", idempotency_key="idem-async-2")
            return authorised.status, declined.status, declined.decline_reason

    assert asyncio.run(run()) == ("authorised", "declined", "insufficient_funds")
    assert [(seen.idempotency_key, seen.deadline_ms) for seen in gateway.posts()] == [
        ("idem-async-1", "1950"),
        ("idem-async-2", "1950"),
    ]


def test_connection_failures_are_retried_with_the_same_key(
    make_gateway: Callable[..., FakeGateway], config: LoadedConfig, free_port: int
) -> None:
    gateway = make_gateway(free_port)
    gateway.script_post(Step(drop=True))
    slept: list[int] = []

    async def sleep(ms: int) -> None:
        slept.append(ms)
        if len(slept) == 1:
            gateway.start()
        await asyncio.sleep(ms / 1000)

    async def run() -> tuple[str, int]:
        async with AsyncPaymentClient(gateway.url, config=config, sleep=sleep) as client:
            result = await client.pay("order-a3", 700, "EUR", TOKEN, idempotency_key="idem-async-3")
            return result.status, result.attempts

    assert asyncio.run(run()) == ("authorised", 3)
    assert gateway.keys_posted() == ["idem-async-3", "idem-async-3"]
    assert len(slept) == 2


def test_a_timeout_is_unknown_and_get_payment_settles_it(gateway: FakeGateway, config: LoadedConfig) -> None:
    gateway.script_post(Step(charge=True, hang=True))

    async def run() -> tuple[PaymentTimeoutError, str, float]:
        async with AsyncPaymentClient(gateway.url, config=config, clock=still_clock) as client:
            started = time.monotonic()
            with pytest.raises(PaymentTimeoutError) as raised:
                await client.pay("order-a4", 100, "EUR", TOKEN, idempotency_key="idem-async-4")
            waited_ms = (time.monotonic() - started) * 1000
            status = await client.get_payment("idem-async-4")
            return raised.value, status.status, waited_ms

    error, settled, waited_ms = asyncio.run(run())
    assert (error.outcome, error.attempts, error.retryable) == ("unknown", 1, True)
    assert settled == "authorised"
    # One attempt ended by its timeout, the whole 2000 ms deadline: nothing is retried after it.
    assert 2000 <= waited_ms < 2500
    assert len(gateway.posts()) == 1


def test_a_slow_answer_is_cut_at_the_attempt_timeout_as_a_whole(gateway: FakeGateway, config: LoadedConfig) -> None:
    # The answer comes 600 ms after the attempt's 400 ms (a 400 ms deadline): the attempt ends at its
    # timeout, not later.
    gateway.script_post(Step(delay_ms=1000))

    async def run() -> float:
        async with AsyncPaymentClient(gateway.url, config=config) as client:
            started = time.monotonic()
            with pytest.raises(PaymentDeadlineExceededError) as raised:
                await client.pay("order-a5", 100, "EUR", TOKEN, deadline_ms=400)
            assert raised.value.outcome == "unknown"
            return (time.monotonic() - started) * 1000

    assert 400 <= asyncio.run(run()) < 800


def test_the_breaker_opens_and_then_rejects_without_calling_the_gateway(
    gateway: FakeGateway, config: LoadedConfig
) -> None:
    gateway.script_post(*[Step(502, error_body("UPSTREAM_UNAVAILABLE", "provider 5xx", status="failed"))] * 3)

    async def run() -> tuple[BreakerState, PaymentCircuitOpenError]:
        async with AsyncPaymentClient(gateway.url, config=config) as client:
            for n in range(3):
                with pytest.raises(PaymentUpstreamUnavailableError):
                    await client.pay(f"order-ab{n}", 100, "EUR", TOKEN)
            with pytest.raises(PaymentCircuitOpenError) as raised:
                await client.pay("order-ab3", 100, "EUR", TOKEN)
            return client.stats.breaker_state, raised.value

    state, rejected = asyncio.run(run())
    assert state is BreakerState.OPEN
    assert (rejected.attempts, rejected.outcome) == (0, "failed")
    assert len(gateway.posts()) == 3


def test_a_cancelled_payment_counts_as_unknown_and_leaves_nothing_in_flight(
    gateway: FakeGateway, config: LoadedConfig
) -> None:
    gateway.script_post(Step(charge=True, hang=True))
    registry = CollectorRegistry()

    async def run() -> tuple[int, BreakerState]:
        async with AsyncPaymentClient(gateway.url, config=config, registry=registry) as client:
            task = asyncio.create_task(client.pay("order-a6", 100, "EUR", TOKEN))
            while not gateway.posts():
                await asyncio.sleep(0.005)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return client.stats.unknown_outcomes, client.stats.breaker_state

    unknown, state = asyncio.run(run())
    assert (unknown, state) == (1, BreakerState.CLOSED)
    assert registry.get_sample_value("checkout_inflight_requests", {"service": "payment-client"}) == 0
    assert (
        registry.get_sample_value("checkout_payment_outcomes_total", {"service": "payment-client", "status": "unknown"})
        == 1
    )
