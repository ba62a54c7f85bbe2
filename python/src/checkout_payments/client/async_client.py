"""`AsyncPaymentClient`: the same API as `PaymentClient`, over a pooled `httpx.AsyncClient`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx

from checkout_payments.client.core import ClientCore
from checkout_payments.client.journal import Journal
from checkout_payments.client.reloading import ReloadingConfig
from checkout_payments.client.results import ClientStats, PaymentResult, PaymentStatus
from checkout_payments.client.transport import USER_AGENT, attempt_headers, attempt_timeout
from checkout_payments.client.wire import CLASSIFIER, AttemptEnd, payment_answer, status_answer, unanswered
from checkout_payments.config import LoadedConfig
from checkout_payments.resilience import AsyncResilientCall, Attempt, CallResult, Role

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry


async def _sleep_ms(ms: int) -> None:
    await asyncio.sleep(ms / 1000)


class AsyncPaymentClient:
    """Pays through the payment gateway from coroutines; one instance per gateway and event loop.

    Same settings, injection points and semantics as `PaymentClient`. Each attempt is also bounded
    as a whole by its timeout (`asyncio.timeout`), not only per phase, so an attempt never outlives
    the time the kernel gave it — what the Lambda handler relies on.
    """

    def __init__(
        self,
        base_url: str,
        *,
        config: LoadedConfig | ReloadingConfig | None = None,
        clock: Callable[[], int] | None = None,
        rand: Callable[[], float] | None = None,
        sleep: Callable[[int], Awaitable[None]] | None = None,
        registry: CollectorRegistry | None = None,
        logger: logging.Logger | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        self._core = ClientCore(config, clock, rand, registry, logger)
        self._sleep = sleep or _sleep_ms
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT},
            limits=limits or httpx.Limits(),
            follow_redirects=False,
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
        journal = self._core.start_payment(
            order_id, amount_minor, currency, payment_token, idempotency_key, deadline_ms
        )
        assert journal.request is not None
        body = journal.request.body()

        async def attempt(attempt: Attempt) -> AttemptEnd:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(attempt.timeout_ms / 1000):
                    response = await self._http.post(
                        "/payments",
                        json=body,
                        headers=attempt_headers(attempt, journal.idempotency_key),
                        timeout=attempt_timeout(attempt),
                    )
                end: AttemptEnd = payment_answer(response, journal.idempotency_key)
            except (httpx.HTTPError, TimeoutError) as error:
                end = _unanswered(error)
            return self._core.attempt_ended(journal, attempt, end, time.perf_counter() - started)

        with self._core.in_flight(journal):
            call = await self._run(journal, attempt)
        return self._core.finish_payment(journal, call)

    async def get_payment(self, idempotency_key: str, *, deadline_ms: int | None = None) -> PaymentStatus:
        """See `PaymentClient.get_payment`."""
        journal = self._core.start_status(idempotency_key, deadline_ms)
        path = f"/payments/{quote(idempotency_key, safe='')}"

        async def attempt(attempt: Attempt) -> AttemptEnd:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(attempt.timeout_ms / 1000):
                    response = await self._http.get(
                        path, headers=attempt_headers(attempt), timeout=attempt_timeout(attempt)
                    )
                end: AttemptEnd = status_answer(response, idempotency_key)
            except (httpx.HTTPError, TimeoutError) as error:
                end = _unanswered(error)
            return self._core.attempt_ended(journal, attempt, end, time.perf_counter() - started)

        return self._core.finish_status(journal, await self._run(journal, attempt))

    async def _run(
        self, journal: Journal, attempt: Callable[[Attempt], Awaitable[AttemptEnd]]
    ) -> CallResult[AttemptEnd]:
        core = self._core

        async def sleep(delay_ms: int) -> None:
            core.backing_off(journal, delay_ms)
            await self._sleep(delay_ms)

        snapshot = journal.snapshot
        loop = AsyncResilientCall(
            snapshot.settings,
            Role.RELAY,
            snapshot.breaker,
            snapshot.budget,
            CLASSIFIER,
            clock=core.clock,
            rand=core.rand,
            sleep=sleep,
        )
        return await loop.call(attempt, deadline_at=journal.deadline_at)

    @property
    def stats(self) -> ClientStats:
        """Counters since the client was made, with the breaker's state and the budget's tokens now."""
        return self._core.stats

    @property
    def config(self) -> LoadedConfig:
        """The config in force (with a `ReloadingConfig`: after looking for an edit of its file)."""
        return self._core.current().config

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


def _unanswered(error: Exception) -> AttemptEnd:
    end = unanswered(error)
    if end is None:
        raise error
    return end
