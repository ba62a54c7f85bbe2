"""What the sync and async clients share: the config in force, the gateway as a kernel `Upstream` (one
policy, breaker, budget and bulkhead per operation), and the start of every call.

The clients only move bytes. Each job has its own module: `exchange.py` (one call: what each attempt
sends, what its end means, how the call ends), `journal.py` (its record), `observer.py` (counters,
metrics, logs), `failures.py` (the payment outcome rule: a call without an answer turned into its
typed error and message); this one ties them together, once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from random import random as system_random
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar
from urllib.parse import quote

from checkout_payments.client.exchange import RUNNING, Exchange, finish_payment, finish_status
from checkout_payments.client.failures import deadline_details, invalid_request
from checkout_payments.client.journal import Journal, monotonic_ms
from checkout_payments.client.logs import LOGGER, log_event
from checkout_payments.client.metrics import PrometheusMetrics
from checkout_payments.client.observer import CallObserver
from checkout_payments.client.reloading import ReloadingConfig
from checkout_payments.client.request import key_details, new_idempotency_key, request_details, to_request
from checkout_payments.client.results import ClientStats, PaymentResult, PaymentStatus
from checkout_payments.client.wire import AttemptEnd, payment_answer, status_answer
from checkout_payments.config import LoadedConfig, load_config
from checkout_payments.generated import PaymentSettings
from checkout_payments.resilience import CallLoop, Operation, Transition, UpstreamBase

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

__all__ = ["ClientCore", "UpstreamHooks"]

C = TypeVar("C", bound=CallLoop[AttemptEnd, Any])


class UpstreamHooks(NamedTuple):
    """What a client's upstream is built with: the client's clock and draws, `before_sleep(ms)` to call at
    the start of every backoff sleep (it counts and logs the sleep against the call running), and the
    breakers' transitions' listener."""

    clock: Callable[[], int]
    random: Callable[[], float]
    before_sleep: Callable[[int], None]
    on_transition: Callable[[Operation, Transition], None]


class ClientCore(Generic[C]):
    """The gateway's upstream (shared by every call of the client) and the client's counters.

    `build` makes the upstream (`Upstream` or `AsyncUpstream`: the flavour is the client's). With a
    `ReloadingConfig` the config in force is checked when each call starts: a new one reconfigures the
    upstream, which keeps a breaker (budget) whose own settings are unchanged — an unrelated edit keeps
    an open breaker open, as in the gateway and the order service. A call keeps the operation's loop it
    started with, so its retries keep its timeout.
    """

    def __init__(
        self,
        config: LoadedConfig | ReloadingConfig | None,
        clock: Callable[[], int] | None,
        random: Callable[[], float] | None,
        registry: CollectorRegistry | None,
        logger: logging.Logger | None,
        build: Callable[[PaymentSettings, UpstreamHooks], UpstreamBase[AttemptEnd, C, Any]],
    ) -> None:
        self._source = config if isinstance(config, ReloadingConfig) else None
        loaded = config.current() if isinstance(config, ReloadingConfig) else config or load_config()
        self.clock = clock or monotonic_ms
        self.random = random or system_random
        self.logger = logger or LOGGER
        self.observer = CallObserver(self.logger)
        self._lock = threading.Lock()
        self._config = loaded
        hooks = UpstreamHooks(self.clock, self.random, self._before_sleep, self.observer.transition)
        self.upstream = build(loaded.settings.payment, hooks)
        if registry is not None:
            self.observer.metrics = PrometheusMetrics(registry, self.upstream.operation, loaded)
        self._log_config("payment_client_config")

    @property
    def config(self) -> LoadedConfig:
        return self._config

    @property
    def settings(self) -> PaymentSettings:
        return self._config.settings.payment

    def current(self) -> LoadedConfig:
        """The config a call starting now runs on, after taking up a reloaded one."""
        if self._source is None:
            return self._config
        loaded = self._source.current()
        with self._lock:
            old = self._config
            if loaded.fingerprint == old.fingerprint:
                return old
            self.upstream.reconfigure(loaded.settings.payment)
            self._config = loaded
        self.observer.metrics.config_changed(old, loaded)
        self._log_config("payment_client_config_changed", previous_fingerprint=old.fingerprint)
        return loaded

    def _log_config(self, event: str, **fields: object) -> None:
        config, settings = self.config, self.settings
        log_event(
            self.logger,
            logging.WARNING if config.warnings else logging.INFO,
            event,
            version=config.settings.version,
            fingerprint=config.fingerprint,
            path=config.path,
            timeout_ms=settings.timeout_ms,
            deadline_ms=settings.deadline_ms,
            lookup_timeout_ms=settings.lookup.timeout_ms,
            lookup_deadline_ms=settings.lookup.deadline_ms,
            warnings=[f"{finding.pointer}: {finding.message}" for finding in config.warnings],
            **fields,
        )

    # ---- starting a call -------------------------------------------------------------------------

    def payment(
        self,
        order_id: str,
        amount_minor: int,
        currency: str,
        payment_token: str,
        idempotency_key: str | None,
        deadline_ms: int | None,
    ) -> Exchange[C, PaymentResult]:
        """A payment's call (`charge`), or `PaymentInvalidRequestError` naming every bad argument (nothing is sent)."""
        key = new_idempotency_key() if idempotency_key is None else idempotency_key
        document = {
            "order_id": order_id,
            "amount_minor": amount_minor,
            "currency": currency,
            "payment_token": payment_token,
        }
        details = request_details(document) + key_details(key, "/idempotency_key") + deadline_details(deadline_ms)
        shown_key = key if isinstance(key, str) else repr(key)
        if details:
            secrets = (payment_token,) if isinstance(payment_token, str) else ()
            error = invalid_request("charge", shown_key, details, secrets)
            self.observer.payment_failed({"idempotency_key": shown_key}, error)
            raise error
        journal, loop = self._start("charge", key, deadline_ms)
        journal.order_id = order_id
        journal.request = to_request(document)
        return Exchange(journal, loop, self.observer, "POST", "/payments", payment_answer, finish_payment)

    def status(self, idempotency_key: str, deadline_ms: int | None) -> Exchange[C, PaymentStatus]:
        """A status request's call (`lookup`), or `PaymentInvalidRequestError` (nothing is sent)."""
        details = key_details(idempotency_key, "/idempotency_key") + deadline_details(deadline_ms)
        if details:
            raise invalid_request("lookup", str(idempotency_key), details, ())
        journal, loop = self._start("lookup", idempotency_key, deadline_ms)
        path = f"/payments/{quote(idempotency_key, safe='')}"
        return Exchange(journal, loop, self.observer, "GET", path, status_answer, finish_status)

    def _start(self, operation: Operation, key: str, deadline_ms: int | None) -> tuple[Journal, C]:
        config = self.current()
        loop = self.upstream.operation(operation)
        # A caller's deadline may only shorten the operation's: the config is the one source of truth.
        configured = loop.settings.deadline_ms
        budget = configured if deadline_ms is None else min(deadline_ms, configured)
        return Journal(operation, key, budget, self.clock() + budget, config), loop

    def _before_sleep(self, delay_ms: int) -> None:
        """A backoff sleep of `delay_ms` of the call running in this thread or task begins."""
        journal = RUNNING.get(None)
        if journal is not None:
            self.observer.backing_off(journal, delay_ms)

    # ---- reading the counters ----------------------------------------------------------------------

    @property
    def stats(self) -> ClientStats:
        counts = self.observer.counts()
        charge = self.upstream.charge
        return ClientStats(
            successes=counts["successes"],
            declines=counts["declines"],
            failures=counts["failures"],
            unknown_outcomes=counts["unknown_outcomes"],
            attempts=counts["attempts"],
            retries=counts["retries"],
            breaker_state=charge.breaker.state,
            breaker_generation=charge.breaker.generation,
            budget_tokens=charge.budget.tokens_milli / 1000,
            budget_max_tokens=charge.budget.settings.max_tokens,
        )
