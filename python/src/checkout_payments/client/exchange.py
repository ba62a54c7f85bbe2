"""One call of the client to the gateway, everything but the I/O: what each attempt sends, what the answer
or the error of an attempt means, and how the call ends (its result, or its typed error).

`PaymentClient` and `AsyncPaymentClient` share all of it; what is left in them is the HTTP request
itself, blocking or awaited.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import Any, Generic, Literal, TypeVar

import httpx

from checkout_payments.client.errors import PaymentError
from checkout_payments.client.failures import call_failure
from checkout_payments.client.journal import Journal
from checkout_payments.client.observer import CallObserver
from checkout_payments.client.results import PaymentResult, PaymentStatus
from checkout_payments.client.transport import attempt_headers, attempt_timeout
from checkout_payments.client.wire import Answered, AttemptEnd, unanswered
from checkout_payments.resilience import AttemptContext, CallLoop, CallResult, ErrorClass

C = TypeVar("C", bound=CallLoop[AttemptEnd, Any])
R = TypeVar("R", PaymentResult, PaymentStatus)

# The call running in this thread or task: its backoff sleeps are counted and logged against it (the
# kernel's loop is built once per operation, so its sleep cannot carry the call).
RUNNING: ContextVar[Journal] = ContextVar("checkout_payments_client_call")


class Exchange(Generic[C, R]):
    """One call: its journal, the operation's loop it started on (its retries keep that policy), the request
    every attempt sends (`method`, `path`, `body`, the Idempotency-Key of a payment) and how an answer is read."""

    def __init__(
        self,
        journal: Journal,
        loop: C,
        observer: CallObserver,
        method: Literal["POST", "GET"],
        path: str,
        read: Callable[[httpx.Response, str], Answered],
        finish: Callable[[Exchange[C, R], CallResult[AttemptEnd]], R],
    ) -> None:
        self.journal, self.loop, self.method, self.path = journal, loop, method, path
        self.observer, self._read = observer, read
        self._finish: Callable[[Exchange[C, R], CallResult[AttemptEnd]], R] = finish
        request = journal.request
        self.body: dict[str, Any] | None = request.body() if request is not None else None

    @property
    def deadline_at(self) -> int:
        return self.journal.deadline_at

    def headers(self, attempt: AttemptContext) -> dict[str, str]:
        """`X-Deadline-Ms` of the attempt, and the Idempotency-Key of a payment (sent on every attempt)."""
        return attempt_headers(attempt, self.journal.idempotency_key if self.journal.operation == "charge" else None)

    def timeout(self, attempt: AttemptContext) -> httpx.Timeout:
        return attempt_timeout(attempt)

    def answered(self, attempt: AttemptContext, response: httpx.Response, started_s: float) -> AttemptEnd:
        """The attempt (begun at `perf_counter()` `started_s`) got `response`: its end for the kernel, counted,
        measured and logged."""
        return self._ended(attempt, self._read(response, self.journal.idempotency_key), started_s)

    def failed(self, attempt: AttemptContext, error: Exception, started_s: float) -> AttemptEnd:
        """The attempt raised `error` (an httpx error, or the async client's whole-attempt timeout); one that is
        no attempt outcome (a bug) is raised again, and the kernel gives its slot and permit back."""
        end = unanswered(error)
        if end is None:
            raise error
        return self._ended(attempt, end, started_s)

    def _ended(self, attempt: AttemptContext, end: AttemptEnd, started_s: float) -> AttemptEnd:
        self.observer.attempt_ended(self.journal, attempt, end, time.perf_counter() - started_s)
        return end

    @contextmanager
    def running(self) -> Iterator[None]:
        """Around the call's loop: its backoff sleeps are this call's; a payment also counts as in flight (and,
        abandoned midway, as unknown)."""
        token = RUNNING.set(self.journal)
        try:
            with ExitStack() as stack:
                if self.journal.operation == "charge":
                    stack.enter_context(self.observer.in_flight(self.journal))
                yield
        finally:
            RUNNING.reset(token)

    def finish(self, call: CallResult[AttemptEnd]) -> R:
        """The call's result; raises its typed `PaymentError` when it ended without one."""
        return self._finish(self, call)

    def failure(self, call: CallResult[AttemptEnd]) -> PaymentError:
        return call_failure(self.journal, call, self.loop.bulkhead.max_concurrent)


def finish_payment(exchange: Exchange[Any, PaymentResult], call: CallResult[AttemptEnd]) -> PaymentResult:
    """The payment's result (authorised or declined); raises its typed error when it ended without an answer."""
    journal, observer = exchange.journal, exchange.observer
    end = journal.last.end if journal.last is not None else None
    answered = call.error_class in (None, ErrorClass.DECLINED)
    if answered and isinstance(end, Answered) and isinstance(end.payload, PaymentResult):
        result = replace(end.payload, attempts=call.attempts)
        observer.paid(journal, result)
        return result
    error = exchange.failure(call)
    observer.payment_failed(journal.fields(), error, journal.elapsed_ms)
    raise error


def finish_status(exchange: Exchange[Any, PaymentStatus], call: CallResult[AttemptEnd]) -> PaymentStatus:
    """The payment's status; raises a typed error when the gateway could not be asked (or knows no such payment)."""
    journal, observer = exchange.journal, exchange.observer
    end = journal.last.end if journal.last is not None else None
    if call.error_class is None and isinstance(end, Answered) and isinstance(end.payload, PaymentStatus):
        observer.status_read(journal, end.payload, None, call.attempts)
        return end.payload
    error = exchange.failure(call)
    observer.status_read(journal, None, error, call.attempts)
    raise error
