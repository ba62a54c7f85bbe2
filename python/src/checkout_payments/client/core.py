"""What the sync and async clients share: the config in force, the breaker and budget of the gateway, and the
start and end of every call.

The clients only move bytes. Each job has its own module: `journal.py` (one call in progress),
`observer.py` (counters, metrics, logs), `failures.py` (the payment outcome rule: a call without an
answer turned into its typed error and message); this one ties them together, once.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING

from checkout_payments.client.errors import PaymentError
from checkout_payments.client.failures import call_failure, deadline_details, invalid_request
from checkout_payments.client.journal import Journal, Operation, Snapshot, monotonic_ms
from checkout_payments.client.logs import LOGGER, log_event
from checkout_payments.client.metrics import PrometheusMetrics
from checkout_payments.client.observer import CallObserver
from checkout_payments.client.reloading import ReloadingConfig
from checkout_payments.client.request import key_details, new_idempotency_key, request_details, to_request
from checkout_payments.client.results import ClientStats, PaymentResult, PaymentStatus
from checkout_payments.client.wire import Answered, AttemptEnd
from checkout_payments.config import LoadedConfig, load_config
from checkout_payments.generated import PaymentSettings
from checkout_payments.resilience import Attempt, CallResult, CircuitBreaker, ErrorClass, RetryBudget

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

__all__ = ["ClientCore"]


class ClientCore:
    """The gateway's breaker and retry budget (one each, shared by every call of the client) and its counters.

    With a `ReloadingConfig` the config in force is checked when each call starts: a new one replaces
    the snapshot, rebuilding the breaker (budget) only when its own settings changed — an unrelated
    edit keeps an open breaker open, as in the gateway and the order service. A call keeps the
    snapshot it started with, so its retries keep its timeout.
    """

    def __init__(
        self,
        config: LoadedConfig | ReloadingConfig | None,
        clock: Callable[[], int] | None,
        rand: Callable[[], float] | None,
        registry: CollectorRegistry | None,
        logger: logging.Logger | None,
    ) -> None:
        self._source = config if isinstance(config, ReloadingConfig) else None
        loaded = config.current() if isinstance(config, ReloadingConfig) else config or load_config()
        self.clock = clock or monotonic_ms
        self.rand = rand or random.random
        self.logger = logger or LOGGER
        self.observer = CallObserver(self.logger)
        self._lock = threading.Lock()
        payment = loaded.settings.payment
        self._snapshot = Snapshot(
            loaded,
            CircuitBreaker(payment.circuit_breaker, on_transition=self.observer.transition),
            RetryBudget(payment.retry_budget),
        )
        if registry is not None:
            self.observer.metrics = PrometheusMetrics(registry, lambda: self.breaker, lambda: self.budget, loaded)
        self._log_config("payment_client_config")

    @property
    def config(self) -> LoadedConfig:
        return self._snapshot.config

    @property
    def settings(self) -> PaymentSettings:
        return self._snapshot.settings

    @property
    def breaker(self) -> CircuitBreaker:
        return self._snapshot.breaker

    @property
    def budget(self) -> RetryBudget:
        return self._snapshot.budget

    def current(self) -> Snapshot:
        """The snapshot a call starting now runs on, after taking up a reloaded config."""
        if self._source is None:
            return self._snapshot
        loaded = self._source.current()
        with self._lock:
            old = self._snapshot
            if loaded.fingerprint == old.config.fingerprint:
                return old
            new, old_payment = loaded.settings.payment, old.settings
            breaker = old.breaker
            if new.circuit_breaker != old_payment.circuit_breaker:
                breaker = CircuitBreaker(new.circuit_breaker, on_transition=self.observer.transition)
            budget = old.budget if new.retry_budget == old_payment.retry_budget else RetryBudget(new.retry_budget)
            self._snapshot = Snapshot(loaded, breaker, budget)
        self.observer.metrics.config_changed(old.config, loaded)
        self._log_config("payment_client_config_changed", previous_fingerprint=old.config.fingerprint)
        return self._snapshot

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
            warnings=[f"{finding.pointer}: {finding.message}" for finding in config.warnings],
            **fields,
        )

    # ---- starting a call -------------------------------------------------------------------------

    def start_payment(
        self,
        order_id: str,
        amount_minor: int,
        currency: str,
        payment_token: str,
        idempotency_key: str | None,
        deadline_ms: int | None,
    ) -> Journal:
        """A payment's journal, or `PaymentInvalidRequestError` naming every bad argument (nothing is sent)."""
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
            error = invalid_request("pay", shown_key, details, secrets)
            self.observer.payment_failed({"idempotency_key": shown_key}, error)
            raise error
        journal = self._journal("pay", key, deadline_ms)
        journal.order_id = order_id
        journal.request = to_request(document)
        return journal

    def start_status(self, idempotency_key: str, deadline_ms: int | None) -> Journal:
        details = key_details(idempotency_key, "/idempotency_key") + deadline_details(deadline_ms)
        if details:
            raise invalid_request("get_payment", str(idempotency_key), details, ())
        return self._journal("get_payment", idempotency_key, deadline_ms)

    def _journal(self, operation: Operation, key: str, deadline_ms: int | None) -> Journal:
        snapshot = self.current()
        # A caller's deadline may only shorten the config's: the config is the one source of truth.
        configured = snapshot.settings.deadline_ms
        budget = configured if deadline_ms is None else min(deadline_ms, configured)
        return Journal(operation, key, budget, self.clock() + budget, snapshot)

    # ---- during a call -----------------------------------------------------------------------------

    def attempt_ended(self, journal: Journal, attempt: Attempt, end: AttemptEnd, duration_s: float) -> AttemptEnd:
        """Count, measure and log one attempt; returns `end` for the kernel."""
        self.observer.attempt_ended(journal, attempt, end, duration_s)
        return end

    def backing_off(self, journal: Journal, delay_ms: int) -> None:
        """A backoff sleep of `delay_ms` before the next attempt begins."""
        self.observer.backing_off(journal, delay_ms)

    def in_flight(self, journal: Journal) -> AbstractContextManager[None]:
        """Around a payment's loop: see `CallObserver.in_flight`."""
        return self.observer.in_flight(journal)

    # ---- ending a call -----------------------------------------------------------------------------

    def finish_payment(self, journal: Journal, call: CallResult[AttemptEnd]) -> PaymentResult:
        """The payment's result; raises its typed error when it ended without an answer."""
        end = journal.last.end if journal.last is not None else None
        answered = call.error_class in (None, ErrorClass.DECLINED)
        if answered and isinstance(end, Answered) and isinstance(end.payload, PaymentResult):
            result = replace(end.payload, attempts=call.attempts)
            self.observer.paid(journal, result)
            return result
        error = call_failure(journal, call)
        self.observer.payment_failed(journal.fields(), error, journal.elapsed_ms)
        raise error

    def finish_status(self, journal: Journal, call: CallResult[AttemptEnd]) -> PaymentStatus:
        """The payment's status; raises a typed error when the gateway could not be asked (or knows no such payment)."""
        end = journal.last.end if journal.last is not None else None
        if call.error_class is None and isinstance(end, Answered) and isinstance(end.payload, PaymentStatus):
            self.observer.status_read(journal, end.payload, None, call.attempts)
            return end.payload
        error: PaymentError = call_failure(journal, call)
        self.observer.status_read(journal, None, error, call.attempts)
        raise error

    # ---- reading the counters ----------------------------------------------------------------------

    @property
    def stats(self) -> ClientStats:
        counts = self.observer.counts()
        with self._lock:
            snapshot = self._snapshot
        return ClientStats(
            successes=counts["successes"],
            declines=counts["declines"],
            failures=counts["failures"],
            unknown_outcomes=counts["unknown_outcomes"],
            attempts=counts["attempts"],
            retries=counts["retries"],
            breaker_state=snapshot.breaker.state,
            breaker_generation=snapshot.breaker.generation,
            budget_tokens=snapshot.budget.tokens_milli / 1000,
            budget_max_tokens=snapshot.budget.settings.max_tokens,
        )
