"""`PaymentClient`: the gateway's payments over a pooled `httpx.Client`, through the resilience kernel."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
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
from checkout_payments.resilience import AttemptContext, ResilientCall, Role, Upstream

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

R = TypeVar("R", PaymentResult, PaymentStatus)


def _sleep_ms(ms: int) -> None:
    time.sleep(ms / 1000)


class PaymentClient:
    """Pays through the payment gateway; one instance per gateway, shared by the whole process (thread-safe).

    Settings come from `config` (default: `load_config()`; a `ReloadingConfig` takes up edits of the
    file); `clock` (monotonic integer ms), `random` (draws in [0, 1)) and `sleep` (integer ms) are
    injectable for tests. Pass a prometheus-client `registry` to export the METRICS.md metrics. Use as
    a context manager, or call `close()`.

    Payments (`pay`) run on the config's `charge` policy (`payment`), status requests (`get_payment`)
    on its `lookup` policy (`payment.lookup`), each with its own breaker, retry budget and bulkhead.
    Each attempt's timeout — the HTTP timeout of its connect, write and each read, and its
    `X-Deadline-Ms` header — is the kernel's: the policy's `timeout_ms`, cut to what is left of the deadline.
    """

    def __init__(
        self,
        base_url: str,
        *,
        config: LoadedConfig | ReloadingConfig | None = None,
        clock: Callable[[], int] | None = None,
        random: Callable[[], float] | None = None,
        sleep: Callable[[int], None] | None = None,
        registry: CollectorRegistry | None = None,
        logger: logging.Logger | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        self._sleep = sleep or _sleep_ms
        self._core = ClientCore(config, clock, random, registry, logger, self._upstream)
        self._http = httpx.Client(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT},
            limits=limits or httpx.Limits(),
            follow_redirects=False,
        )

    def _upstream(self, payment: PaymentSettings, hooks: UpstreamHooks) -> Upstream[AttemptEnd]:
        def sleep(delay_ms: int) -> None:
            hooks.before_sleep(delay_ms)
            self._sleep(delay_ms)

        return Upstream(
            payment,
            Role.RELAY,
            CLASSIFIERS,
            clock=hooks.clock,
            random=hooks.random,
            sleep=sleep,
            on_transition=hooks.on_transition,
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
        return self._run(
            self._core.payment(order_id, amount_minor, currency, payment_token, idempotency_key, deadline_ms)
        )

    def get_payment(self, idempotency_key: str, *, deadline_ms: int | None = None) -> PaymentStatus:
        """The payment's status at the gateway, which settles an unknown one with the provider first.

        Raises `PaymentNotFoundError` when no one has a payment with this key (it was never charged),
        and another `PaymentError` when the gateway could not be asked (the outcome stays unknown).
        `deadline_ms` bounds the whole call (default and cap: `payment.lookup.deadline_ms`).
        """
        return self._run(self._core.status(idempotency_key, deadline_ms))

    def _run(self, exchange: Exchange[ResilientCall[AttemptEnd], R]) -> R:
        with exchange.running():
            call = exchange.loop.call(partial(self._attempt, exchange), exchange.deadline_at)
        return exchange.finish(call)

    def _attempt(self, exchange: Exchange[ResilientCall[AttemptEnd], R], attempt: AttemptContext) -> AttemptEnd:
        started = time.perf_counter()
        try:
            response = self._http.request(
                exchange.method,
                exchange.path,
                json=exchange.body,
                headers=exchange.headers(attempt),
                timeout=exchange.timeout(attempt),
            )
        except httpx.HTTPError as error:
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
