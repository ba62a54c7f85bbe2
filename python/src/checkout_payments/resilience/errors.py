"""Typed errors that carry their class of config/SEMANTICS.md §6."""

from __future__ import annotations

from typing import Protocol

from checkout_payments.resilience.taxonomy import ErrorClass


class EndedCall(Protocol):
    """What an error keeps of the loop's call that ended with it; `CallResult` is one.

    A protocol, so that this module needs no import of the loop's types (which import these errors).
    """

    @property
    def error_class(self) -> ErrorClass | None: ...

    @property
    def attempts(self) -> int: ...

    @property
    def sleeps_ms(self) -> tuple[int, ...]: ...


class ResilienceError(Exception):
    """A call ended with `error_class`; `retryable` tells this service's caller whether to try again.

    `retryable` defaults to the class's own; a service that ran a retry loop says false (§7).
    `call` is the `CallResult` of the loop that raised it, when there was one.
    """

    def __init__(
        self,
        error_class: ErrorClass,
        message: str,
        retryable: bool | None = None,
        *,
        call: EndedCall | None = None,
    ) -> None:
        super().__init__(f"{error_class}: {message}")
        self.error_class = error_class
        self.message = message
        self.retryable = error_class.retryable if retryable is None else retryable
        self.call = call

    @property
    def http_status(self) -> int | None:
        return self.error_class.http_status


class CircuitOpenError(ResilienceError):
    """The breaker is open: the upstream was not called; `retry_after_ms` until it lets a trial through
    (None when an upstream's answer said its own breaker was open)."""

    def __init__(
        self, retry_after_ms: int | None, message: str | None = None, *, call: EndedCall | None = None
    ) -> None:
        text = message or f"circuit breaker is open; retry after {retry_after_ms} ms"
        super().__init__(ErrorClass.CIRCUIT_OPEN, text, False, call=call)
        self.retry_after_ms = retry_after_ms


class HalfOpenLimitError(ResilienceError):
    """Every half-open trial slot is taken: the upstream was not called."""

    def __init__(
        self,
        message: str = "circuit breaker is half-open and its trial slots are taken",
        *,
        call: EndedCall | None = None,
    ) -> None:
        super().__init__(ErrorClass.HALF_OPEN_LIMIT, message, False, call=call)


class BulkheadFullError(ResilienceError):
    """Every bulkhead slot of the operation is taken in this process: the upstream was not called (§11)."""

    def __init__(
        self,
        message: str = "every bulkhead slot of the operation is taken",
        *,
        call: EndedCall | None = None,
    ) -> None:
        super().__init__(ErrorClass.BULKHEAD_FULL, message, False, call=call)


class DeadlineExceededError(ResilienceError):
    """The deadline left no time for (another) attempt, or ran out during one cut short by it."""

    def __init__(
        self, message: str = "the deadline left no time for another attempt", *, call: EndedCall | None = None
    ) -> None:
        super().__init__(ErrorClass.DEADLINE_EXCEEDED, message, False, call=call)


class RetryBudgetExhaustedError(ResilienceError):
    """The upstream's retry budget refused a retry."""

    def __init__(self, message: str = "the retry budget refused a retry", *, call: EndedCall | None = None) -> None:
        super().__init__(ErrorClass.RETRY_BUDGET_EXHAUSTED, message, False, call=call)
