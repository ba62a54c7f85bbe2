"""What the client counts, measures and logs about its calls: one `CallObserver` per client, thread-safe."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from checkout_payments.client.errors import UNKNOWN, PaymentError, PaymentOutcome
from checkout_payments.client.journal import AttemptRecord, Journal
from checkout_payments.client.logs import log_event
from checkout_payments.client.metrics import UPSTREAM, ClientMetrics
from checkout_payments.client.results import PaymentResult, PaymentStatus
from checkout_payments.client.wire import Answered, AttemptEnd
from checkout_payments.resilience import AttemptContext, ErrorClass, Operation, Transition

COUNTERS = ("successes", "declines", "failures", "unknown_outcomes", "attempts", "retries")


class CallObserver:
    """The client's counters (payments count once, by how they ended), its metrics hooks and its log events."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self.metrics = ClientMetrics()
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(COUNTERS, 0)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def _add(self, counter: str) -> None:
        with self._lock:
            self._counts[counter] += 1

    def attempt_ended(self, journal: Journal, attempt: AttemptContext, end: AttemptEnd, duration_s: float) -> None:
        """Count, measure and log one attempt."""
        duration_ms = round(duration_s * 1000)
        journal.records.append(AttemptRecord(attempt.number, attempt.timeout_ms, end, duration_ms))
        self._add("attempts")
        self.metrics.attempt(journal.operation, end.label, duration_s)
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

    def backing_off(self, journal: Journal, delay_ms: int) -> None:
        """A backoff sleep of `delay_ms` before the next attempt begins."""
        self._add("retries")
        self.metrics.retry(journal.operation)
        log_event(
            self.logger,
            logging.INFO,
            "gateway_backoff",
            **journal.fields(),
            after_attempt=len(journal.records),
            delay_ms=delay_ms,
        )

    def transition(self, operation: Operation, event: Transition) -> None:
        self.metrics.transition(operation, event)
        log_event(
            self.logger,
            logging.WARNING,
            "breaker_transition",
            upstream=UPSTREAM,
            operation=operation,
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
            self._add("unknown_outcomes")
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

    def paid(self, journal: Journal, result: PaymentResult) -> None:
        """A payment ended with an answer: authorised or declined."""
        self._add("successes" if result.authorised else "declines")
        self.metrics.outcome(result.status)
        log_event(
            self.logger,
            logging.INFO,
            "payment_outcome",
            **journal.fields(),
            status=result.status,
            charge_id=result.charge_id,
            decline_reason=result.decline_reason,
            attempts=result.attempts,
            duration_ms=journal.elapsed_ms,
        )

    def payment_failed(self, fields: dict[str, object], error: PaymentError, duration_ms: int | None = None) -> None:
        """A payment ended without an answer (or was refused before any attempt)."""
        outcome: PaymentOutcome = error.outcome
        self._add("unknown_outcomes" if outcome == UNKNOWN else "failures")
        self.metrics.outcome(outcome)
        log_event(
            self.logger,
            logging.WARNING,
            "payment_outcome",
            **fields,
            status=outcome,
            error_class=error.error_class.value,
            retryable=error.retryable,
            safe_to_retry_same_key=error.safe_to_retry_same_key,
            retry_after_ms=error.retry_after_ms,
            attempts=error.attempts,
            duration_ms=duration_ms,
            message=error.message,
        )

    def status_read(
        self, journal: Journal, status: PaymentStatus | None, error: PaymentError | None, attempts: int
    ) -> None:
        """A `get_payment` ended, with the status or with the error that kept it from the gateway."""
        if status is not None:
            log_event(
                self.logger,
                logging.INFO,
                "payment_status",
                **journal.fields(),
                status=status.status,
                attempts=attempts,
                duration_ms=journal.elapsed_ms,
            )
        elif error is not None:
            log_event(
                self.logger,
                logging.WARNING,
                "payment_status",
                **journal.fields(),
                error_class=error.error_class.value,
                message=error.message,
                attempts=attempts,
            )
