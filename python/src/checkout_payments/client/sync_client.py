"""`PaymentClient`: the gateway's payments over a pooled `httpx.Client`, through the resilience kernel."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
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
from checkout_payments.resilience import Attempt, CallResult, ResilientCall, Role

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry


def _sleep_ms(ms: int) -> None:
    time.sleep(ms / 1000)


class PaymentClient:
    """Pays through the payment gateway; one instance per gateway, shared by the whole process (thread-safe).

    Settings come from `config` (default: `load_config()`; a `ReloadingConfig` takes up edits of the
    file); `clock` (monotonic integer ms), `rand` (draws in [0, 1)) and `sleep` (integer ms) are
    injectable for tests. Pass a prometheus-client `registry` to export the METRICS.md metrics. Use as
    a context manager, or call `close()`.

    Each attempt's timeout — the HTTP timeout of its connect, write and each read, and its
    `X-Deadline-Ms` header — is the kernel's: `payment.timeout_ms`, cut to what is left of the deadline.
    """

    def __init__(
        self,
        base_url: str,
        *,
        config: LoadedConfig | ReloadingConfig | None = None,
        clock: Callable[[], int] | None = None,
        rand: Callable[[], float] | None = None,
        sleep: Callable[[int], None] | None = None,
        registry: CollectorRegistry | None = None,
        logger: logging.Logger | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        self._core = ClientCore(config, clock, rand, registry, logger)
        self._sleep = sleep or _sleep_ms
        self._http = httpx.Client(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT},
            limits=limits or httpx.Limits(),
            follow_redirects=False,
        )

    def pay(
        self,
        order_id: str,
        amount_minor: int,
        currency: str,
        payment_token: str,
        *,
        idempotency_key: str | None = None,
        deadline_ms: int | None = None,
    ) -> PaymentResult:
        """Charge once per `idempotency_key` (generated when not given, and sent on every attempt).

        Returns the gateway's answer, authorised or declined. Raises a `PaymentError` subclass
        otherwise; its `outcome` says whether the payment may have been charged ("unknown": settle
        it with `get_payment`, never charge again under a new key) or surely was not ("failed").
        `deadline_ms` bounds the whole call, retries and backoff included (default and cap:
        `payment.deadline_ms`).
        """
        journal = self._core.start_payment(
            order_id, amount_minor, currency, payment_token, idempotency_key, deadline_ms
        )
        assert journal.request is not None
        body = journal.request.body()

        def attempt(attempt: Attempt) -> AttemptEnd:
            started = time.perf_counter()
            try:
                response = self._http.post(
                    "/payments",
                    json=body,
                    headers=attempt_headers(attempt, journal.idempotency_key),
                    timeout=attempt_timeout(attempt),
                )
                end: AttemptEnd = payment_answer(response, journal.idempotency_key)
            except httpx.HTTPError as error:
                end = _unanswered(error)
            return self._core.attempt_ended(journal, attempt, end, time.perf_counter() - started)

        with self._core.in_flight(journal):
            call = self._run(journal, attempt)
        return self._core.finish_payment(journal, call)

    def get_payment(self, idempotency_key: str, *, deadline_ms: int | None = None) -> PaymentStatus:
        """The payment's status at the gateway, which settles an unknown one with the provider first.

        Raises `PaymentNotFoundError` when no one has a payment with this key (it was never charged),
        and another `PaymentError` when the gateway could not be asked (the outcome stays unknown).
        """
        journal = self._core.start_status(idempotency_key, deadline_ms)
        path = f"/payments/{quote(idempotency_key, safe='')}"

        def attempt(attempt: Attempt) -> AttemptEnd:
            started = time.perf_counter()
            try:
                response = self._http.get(path, headers=attempt_headers(attempt), timeout=attempt_timeout(attempt))
                end: AttemptEnd = status_answer(response, idempotency_key)
            except httpx.HTTPError as error:
                end = _unanswered(error)
            return self._core.attempt_ended(journal, attempt, end, time.perf_counter() - started)

        return self._core.finish_status(journal, self._run(journal, attempt))

    def _run(self, journal: Journal, attempt: Callable[[Attempt], AttemptEnd]) -> CallResult[AttemptEnd]:
        core = self._core

        def sleep(delay_ms: int) -> None:
            core.backing_off(journal, delay_ms)
            self._sleep(delay_ms)

        # One loop per call (it holds no state of its own): the breaker and budget are the client's.
        snapshot = journal.snapshot
        loop = ResilientCall(
            snapshot.settings,
            Role.RELAY,
            snapshot.breaker,
            snapshot.budget,
            CLASSIFIER,
            clock=core.clock,
            rand=core.rand,
            sleep=sleep,
        )
        return loop.call(attempt, deadline_at=journal.deadline_at)

    @property
    def stats(self) -> ClientStats:
        """Counters since the client was made, with the breaker's state and the budget's tokens now."""
        return self._core.stats

    @property
    def config(self) -> LoadedConfig:
        """The config in force (with a `ReloadingConfig`: after looking for an edit of its file)."""
        return self._core.current().config

    def close(self) -> None:
        """Close the pooled connections; the client cannot be used afterwards."""
        self._http.close()

    def __enter__(self) -> PaymentClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _unanswered(error: httpx.HTTPError) -> AttemptEnd:
    end = unanswered(error)
    if end is None:
        raise error
    return end
