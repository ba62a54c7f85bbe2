"""`AsyncPaymentClient`: the same API as `PaymentClient`, over a pooled `httpx.AsyncClient`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

import httpx

from checkout_payments.client.core import ClientCore, UpstreamHooks
from checkout_payments.client.exchange import Exchange
from checkout_payments.client.reloading import ReloadingConfig
from checkout_payments.client.results import ClientStats, PaymentResult, PaymentStatus
from checkout_payments.client.transport import USER_AGENT
from checkout_payments.client.wire import CLASSIFIERS, AttemptEnd
from checkout_payments.config import LoadedConfig
from checkout_payments.generated import PaymentSettings
from checkout_payments.resilience import AsyncResilientCall, AsyncUpstream, AttemptContext, Role

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

R = TypeVar("R", PaymentResult, PaymentStatus)


async def _sleep_ms(ms: int) -> None:
    await asyncio.sleep(ms / 1000)


class AsyncPaymentClient:
    """Pays through the payment gateway from coroutines; one instance per gateway and event loop.

    Same settings, injection points and semantics as `PaymentClient` (the decisions are the same code,
    `exchange.py`). Each attempt is also bounded as a whole by its timeout (`asyncio.timeout`), not only
    per phase, so an attempt never outlives the time the kernel gave it — what the Lambda handler relies on.
    """

    def __init__(
        self,
        base_url: str,
        *,
        config: LoadedConfig | ReloadingConfig | None = None,
        clock: Callable[[], int] | None = None,
        random: Callable[[], float] | None = None,
        sleep: Callable[[int], Awaitable[None]] | None = None,
        registry: CollectorRegistry | None = None,
        logger: logging.Logger | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        self._sleep = sleep or _sleep_ms
        self._core = ClientCore(config, clock, random, registry, logger, self._upstream)
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT},
            limits=limits or httpx.Limits(),
            follow_redirects=False,
        )

    def _upstream(self, payment: PaymentSettings, hooks: UpstreamHooks) -> AsyncUpstream[AttemptEnd]:
        async def sleep(delay_ms: int) -> None:
            hooks.before_sleep(delay_ms)
            await self._sleep(delay_ms)

        return AsyncUpstream(
            payment,
            Role.RELAY,
            CLASSIFIERS,
            clock=hooks.clock,
            random=hooks.random,
            sleep=sleep,
            on_transition=hooks.on_transition,
        )

    async def pay(
        self,
        order_id: str,
        amount_minor: int,
        currency: str,
        payment_token: str,
        *,
        idempotency_key: str | None = None,
        deadline_ms: int | None = None,
    ) -> PaymentResult:
        """See `PaymentClient.pay`."""
        return await self._run(
            self._core.payment(order_id, amount_minor, currency, payment_token, idempotency_key, deadline_ms)
        )

    async def get_payment(self, idempotency_key: str, *, deadline_ms: int | None = None) -> PaymentStatus:
        """See `PaymentClient.get_payment`."""
        return await self._run(self._core.status(idempotency_key, deadline_ms))

    async def _run(self, exchange: Exchange[AsyncResilientCall[AttemptEnd], R]) -> R:
        with exchange.running():
            call = await exchange.loop.call(partial(self._attempt, exchange), exchange.deadline_at)
        return exchange.finish(call)

    async def _attempt(
        self, exchange: Exchange[AsyncResilientCall[AttemptEnd], R], attempt: AttemptContext
    ) -> AttemptEnd:
        started = time.perf_counter()
        try:
            async with asyncio.timeout(attempt.timeout_ms / 1000):
                response = await self._http.request(
                    exchange.method,
                    exchange.path,
                    json=exchange.body,
                    headers=exchange.headers(attempt),
                    timeout=exchange.timeout(attempt),
                )
        except (httpx.HTTPError, TimeoutError) as error:
            return exchange.failed(attempt, error, started)
        return exchange.answered(attempt, response, started)

    @property
    def stats(self) -> ClientStats:
        """Counters since the client was made, with the charge's breaker state and budget tokens now."""
        return self._core.stats

    @property
    def config(self) -> LoadedConfig:
        """The config in force (with a `ReloadingConfig`: after looking for an edit of its file)."""
        return self._core.current()

    async def aclose(self) -> None:
        """Close the pooled connections; the client cannot be used afterwards."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncPaymentClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
