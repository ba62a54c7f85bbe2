"""What the sync and async clients share: settings, the breaker and budget of the gateway, the
observability of each call, and the turning of a kernel `CallResult` into a result or a typed error.

The clients only move bytes; every decision about a payment's outcome is made here, once.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from checkout_payments.client.errors import FAILED, UNKNOWN, PaymentError, PaymentOutcome, payment_error
from checkout_payments.client.logs import LOGGER, log_event
from checkout_payments.client.metrics import UPSTREAM, ClientMetrics, PrometheusMetrics
from checkout_payments.client.reloading import ReloadingConfig
from checkout_payments.client.request import (
    Detail,
    PaymentRequest,
    key_details,
    new_idempotency_key,
    request_details,
    to_request,
)
from checkout_payments.client.results import ClientStats, PaymentResult, PaymentStatus
from checkout_payments.client.wire import Answered, AttemptEnd
from checkout_payments.config import LoadedConfig, load_config
from checkout_payments.generated import PaymentSettings
from checkout_payments.resilience import Attempt, CallResult, CircuitBreaker, ErrorClass, RetryBudget, Transition

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

Operation = Literal["pay", "get_payment"]
# Failed calls of these classes may succeed when the same payment is sent again later with the same key.
_LATER_MAY_SUCCEED = frozenset(
    {
        ErrorClass.TIMEOUT,
        ErrorClass.CONNECTION,
        ErrorClass.UPSTREAM_UNAVAILABLE,
        ErrorClass.OVERLOADED,
        ErrorClass.CIRCUIT_OPEN,
        ErrorClass.HALF_OPEN_LIMIT,
        ErrorClass.DEADLINE_EXCEEDED,
        ErrorClass.RETRY_BUDGET_EXHAUSTED,
    }
)
_IN_FLIGHT = 409
_COUNTERS = ("successes", "declines", "failures", "unknown_outcomes", "attempts", "retries")


def monotonic_ms() -> int:
    """The default clock: monotonic, integer milliseconds."""
    return time.monotonic_ns() // 1_000_000


@dataclass(frozen=True)
class Snapshot:
    """The config a call runs on from its start to its end, with the gateway's breaker and budget."""

    config: LoadedConfig
    breaker: CircuitBreaker
    budget: RetryBudget

    @property
    def settings(self) -> PaymentSettings:
        return self.config.settings.payment


@dataclass(frozen=True)
class AttemptRecord:
    number: int
    timeout_ms: int
    end: AttemptEnd
    duration_ms: int


@dataclass
class Journal:
    """One call in progress: what it is for, its deadline, and how each of its attempts ended."""

    operation: Operation
    idempotency_key: str
    deadline_ms: int
    deadline_at: int
    snapshot: Snapshot
    order_id: str | None = None
    request: PaymentRequest | None = None
    records: list[AttemptRecord] = field(default_factory=list)
    started_s: float = field(default_factory=time.perf_counter)

    @property
    def ambiguous(self) -> bool:
        """Whether any attempt may have reached the gateway without a definitive answer."""
        return any(record.end.ambiguous for record in self.records)

    @property
    def elapsed_ms(self) -> int:
        return round((time.perf_counter() - self.started_s) * 1000)

    def fields(self) -> dict[str, object]:
        base: dict[str, object] = {"operation": self.operation, "idempotency_key": self.idempotency_key}
        if self.order_id is not None:
            base["order_id"] = self.order_id
        return base


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
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(_COUNTERS, 0)
        self.metrics = ClientMetrics()
        payment = loaded.settings.payment
        self._snapshot = Snapshot(
            loaded,
            CircuitBreaker(payment.circuit_breaker, on_transition=self._transition),
            RetryBudget(payment.retry_budget),
        )
        if registry is not None:
            self.metrics = PrometheusMetrics(registry, lambda: self.breaker, lambda: self.budget, loaded)
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
                breaker = CircuitBreaker(new.circuit_breaker, on_transition=self._transition)
            budget = old.budget if new.retry_budget == old_payment.retry_budget else RetryBudget(new.retry_budget)
            self._snapshot = Snapshot(loaded, breaker, budget)
        self.metrics.config_changed(old.config, loaded)
        self._log_config("payment_client_config_changed", previous_fingerprint=old.config.fingerprint)
        return self._snapshot

    def _log_config(self, event: str, **fields: object) -> None:
        config, settings = self.config, self.settings
        log_event(
            self.logger,
            logging.INFO,
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
        details = request_details(document) + key_details(key, "/idempotency_key") + _deadline_details(deadline_ms)
        shown_key = key if isinstance(key, str) else repr(key)
        if details:
            error = self._invalid("pay", shown_key, details)
            self._count_outcome(FAILED, logging.WARNING, {"idempotency_key": shown_key}, error)
            raise error
        journal = self._journal("pay", key, deadline_ms)
        journal.order_id = order_id
        journal.request = to_request(document)
        return journal

    def start_status(self, idempotency_key: str, deadline_ms: int | None) -> Journal:
        details = key_details(idempotency_key, "/idempotency_key") + _deadline_details(deadline_ms)
        if details:
            raise self._invalid("get_payment", str(idempotency_key), details)
        return self._journal("get_payment", idempotency_key, deadline_ms)

    def _journal(self, operation: Operation, key: str, deadline_ms: int | None) -> Journal:
        snapshot = self.current()
        # A caller's deadline may only shorten the config's: the config is the one source of truth.
        configured = snapshot.settings.deadline_ms
        budget = configured if deadline_ms is None else min(deadline_ms, configured)
        return Journal(operation, key, budget, self.clock() + budget, snapshot)

    def _invalid(self, operation: Operation, key: str, details: list[Detail]) -> PaymentError:
        listed = "; ".join(f"{d.pointer or '(request)'}: {d.message}" for d in details)
        what = "payment" if operation == "pay" else "the status request of payment"
        return payment_error(
            ErrorClass.INVALID_REQUEST,
            f"{what} {key} was not sent: {listed}; nothing was charged — fix the request",
            retryable=False,
            outcome=FAILED,
            idempotency_key=key,
            details=tuple(details),
        )

    # ---- during a call -----------------------------------------------------------------------------

    def attempt_ended(self, journal: Journal, attempt: Attempt, end: AttemptEnd, duration_s: float) -> AttemptEnd:
        """Count, measure and log one attempt; returns `end` for the kernel."""
        duration_ms = round(duration_s * 1000)
        journal.records.append(AttemptRecord(attempt.number, attempt.timeout_ms, end, duration_ms))
        with self._lock:
            self._counts["attempts"] += 1
        self.metrics.attempt(end.label, duration_s)
        fields = {
            **journal.fields(),
            "attempt": attempt.number,
            "timeout_ms": attempt.timeout_ms,
            "duration_ms": duration_ms,
            "result": end.label,
        }
        if isinstance(end, Answered):
            fields["status_code"] = end.status_code
        else:
            fields["sent"] = end.sent
            fields["error"] = f"{type(end.error).__name__}: {end.error}"
        failed = end.verdict.error_class not in (None, ErrorClass.DECLINED)
        log_event(self.logger, logging.WARNING if failed else logging.INFO, "gateway_attempt", **fields)
        return end

    def backing_off(self, journal: Journal, delay_ms: int) -> None:
        """A backoff sleep of `delay_ms` before the next attempt begins."""
        with self._lock:
            self._counts["retries"] += 1
        self.metrics.retry()
        log_event(
            self.logger,
            logging.INFO,
            "gateway_backoff",
            **journal.fields(),
            after_attempt=len(journal.records),
            delay_ms=delay_ms,
        )

    def _transition(self, event: Transition) -> None:
        self.metrics.transition(event)
        log_event(
            self.logger,
            logging.WARNING,
            "breaker_transition",
            upstream=UPSTREAM,
            from_state=event.from_state.value,
            to_state=event.to_state.value,
            generation=event.generation,
            at_ms=event.at_ms,
        )

    @contextmanager
    def in_flight(self, journal: Journal) -> Iterator[None]:
        """Around a payment's loop: the in-flight gauge, and an unknown outcome for a payment abandoned
        midway (cancelled, interrupted, or a bug) — an attempt may have reached the gateway."""
        self.metrics.inflight(+1)
        try:
            yield
        except BaseException as abandoned:
            with self._lock:
                self._counts["unknown_outcomes"] += 1
            self.metrics.outcome(UNKNOWN)
            log_event(
                self.logger,
                logging.WARNING,
                "payment_abandoned",
                **journal.fields(),
                status=UNKNOWN,
                attempts_ended=len(journal.records),
                reason=type(abandoned).__name__,
                message=f"the outcome is unknown; reconcile with get_payment({journal.idempotency_key!r})",
            )
            raise
        finally:
            self.metrics.inflight(-1)

    # ---- ending a call -----------------------------------------------------------------------------

    def finish_payment(self, journal: Journal, call: CallResult[AttemptEnd]) -> PaymentResult:
        """The payment's result; raises its typed error when it ended without an answer."""
        end = journal.records[-1].end if journal.records else None
        answered = call.error_class in (None, ErrorClass.DECLINED)
        if answered and isinstance(end, Answered) and isinstance(end.payload, PaymentResult):
            result = replace(end.payload, attempts=call.attempts)
            status = result.status
            with self._lock:
                self._counts["successes" if result.authorised else "declines"] += 1
            self.metrics.outcome(status)
            log_event(
                self.logger,
                logging.INFO,
                "payment_outcome",
                **journal.fields(),
                status=status,
                charge_id=result.charge_id,
                decline_reason=result.decline_reason,
                attempts=call.attempts,
                duration_ms=journal.elapsed_ms,
            )
            return result
        error = self._error(journal, call)
        self._count_outcome(error.outcome, logging.WARNING, journal.fields(), error, journal.elapsed_ms)
        raise error

    def finish_status(self, journal: Journal, call: CallResult[AttemptEnd]) -> PaymentStatus:
        """The payment's status; raises a typed error when the gateway could not be asked (or knows no such payment)."""
        end = journal.records[-1].end if journal.records else None
        if call.error_class is None and isinstance(end, Answered) and isinstance(end.payload, PaymentStatus):
            status = end.payload
            log_event(
                self.logger,
                logging.INFO,
                "payment_status",
                **journal.fields(),
                status=status.status,
                attempts=call.attempts,
                duration_ms=journal.elapsed_ms,
            )
            return status
        error = self._error(journal, call)
        log_event(
            self.logger,
            logging.WARNING,
            "payment_status",
            **journal.fields(),
            error_class=error.error_class.value,
            message=error.message,
            attempts=call.attempts,
        )
        raise error

    def _count_outcome(
        self,
        outcome: PaymentOutcome,
        level: int,
        fields: dict[str, object],
        error: PaymentError,
        duration_ms: int | None = None,
    ) -> None:
        with self._lock:
            self._counts["unknown_outcomes" if outcome == UNKNOWN else "failures"] += 1
        self.metrics.outcome(outcome)
        log_event(
            self.logger,
            level,
            "payment_outcome",
            **fields,
            status=outcome,
            error_class=error.error_class.value,
            retryable=error.retryable,
            attempts=error.attempts,
            duration_ms=duration_ms,
            message=error.message,
        )

    def _error(self, journal: Journal, call: CallResult[AttemptEnd]) -> PaymentError:
        error_class = call.error_class or ErrorClass.INTERNAL
        last = journal.records[-1] if journal.records else None
        # The gateway's own answer, when the call ended with it (not with a limit of this client).
        answer = (
            last.end
            if last is not None and isinstance(last.end, Answered) and last.end.verdict.error_class is error_class
            else None
        )
        if journal.operation == "get_payment":
            outcome = FAILED if error_class is ErrorClass.NOT_FOUND else UNKNOWN
        else:
            outcome = UNKNOWN if journal.ambiguous else FAILED
        if outcome == UNKNOWN:
            retryable = True
        elif error_class is ErrorClass.IDEMPOTENCY_CONFLICT:
            retryable = answer is not None and answer.status_code == _IN_FLIGHT
        else:
            retryable = error_class in _LATER_MAY_SUCCEED
        message = f"{_subject(journal)} {_what_happened(error_class, journal, call, last, answer)}: " + _advice(
            journal, error_class, outcome, retryable
        )
        return payment_error(
            error_class,
            message,
            retryable=retryable,
            outcome=outcome,
            idempotency_key=journal.idempotency_key,
            attempts=call.attempts,
            upstream_status=answer.status_code if answer is not None else None,
            details=answer.details if answer is not None else (),
            retry_after_ms=call.retry_after_ms if answer is None else None,
            call=call,
        )

    # ---- reading the counters ----------------------------------------------------------------------

    @property
    def stats(self) -> ClientStats:
        with self._lock:
            counts = dict(self._counts)
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


def _deadline_details(deadline_ms: object) -> list[Detail]:
    if deadline_ms is None or (isinstance(deadline_ms, int) and not isinstance(deadline_ms, bool)):
        return []
    return [Detail("/deadline_ms", f"deadline_ms must be an integer number of milliseconds, but was {deadline_ms!r}")]


def _subject(journal: Journal) -> str:
    key = journal.idempotency_key
    return f"payment {key}" if journal.operation == "pay" else f"the status of payment {key}"


def _what_happened(
    error_class: ErrorClass,
    journal: Journal,
    call: CallResult[AttemptEnd],
    last: AttemptRecord | None,
    answer: Answered | None,
) -> str:
    tries = f" after {call.attempts} attempts" if call.attempts > 1 else ""
    again = " again" if call.attempts else ""
    if answer is not None:
        said = f" ({answer.message})" if answer.message else ""
        return f"was answered {answer.status_code} {error_class.value} by the gateway{tries}{said}"
    end = last.end if last is not None else None
    if error_class is ErrorClass.TIMEOUT and last is not None:
        return f"timed out after {last.timeout_ms} ms{tries}"
    if error_class is ErrorClass.DEADLINE_EXCEEDED:
        if last is not None and end is not None and end.verdict.error_class is ErrorClass.TIMEOUT:
            return (
                f"ran out of its {journal.deadline_ms} ms deadline during attempt {last.number}, "
                f"cut to {last.timeout_ms} ms"
            )
        which = "another attempt" if call.attempts else "an attempt"
        return f"had no time left in its {journal.deadline_ms} ms deadline for {which}{tries}"
    if error_class is ErrorClass.CIRCUIT_OPEN:
        return (
            f"was not sent{again}: the client's circuit breaker for the gateway is open "
            f"(next trial in {call.retry_after_ms} ms)"
        )
    if error_class is ErrorClass.HALF_OPEN_LIMIT:
        return f"was not sent{again}: the client's circuit breaker is half-open and its trial calls are taken"
    if error_class is ErrorClass.RETRY_BUDGET_EXHAUSTED:
        return f"failed{tries} and the client's retry budget for the gateway refused another attempt"
    if isinstance(end, Answered):
        said = f" ({end.message})" if end.message else ""
        return f"got an answer {end.status_code} from the gateway it could not read{tries}{said}"
    if end is not None and error_class is ErrorClass.CONNECTION:
        how = "lost its connection to the gateway before an answer" if end.sent else "could not connect to the gateway"
        return f"{how}{tries} ({type(end.error).__name__})"
    if end is not None:
        return f"ended {error_class.value}{tries} ({type(end.error).__name__}: {end.error})"
    return f"ended {error_class.value}"


def _advice(journal: Journal, error_class: ErrorClass, outcome: PaymentOutcome, retryable: bool) -> str:
    key = journal.idempotency_key
    if journal.operation == "get_payment":
        if error_class is ErrorClass.NOT_FOUND:
            return "neither the gateway nor the provider has a payment with this key: it was never charged"
        return "the payment's outcome is still unknown; ask again later"
    if outcome == UNKNOWN:
        return f"the outcome is unknown — do not charge again; reconcile with get_payment({key!r})"
    if retryable:
        return "nothing was charged; safe to retry later with the same idempotency key"
    return "nothing was charged; sending the same request again will not succeed"
