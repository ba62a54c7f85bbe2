"""One call, step by step (config/SEMANTICS.md §8): deadline ⊃ retry ⊃ breaker ⊃ attempt timeout.

The loop is tenacity's `Retrying` (sync) or `AsyncRetrying` (async), driven by three kernel
strategies (strategies.py) that make the step 4–9 decision once per finished attempt
(`decision.decide`). The attempt types live in attempt.py and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from tenacity import AsyncRetrying, Retrying

from checkout_payments.resilience.attempt import Attempt, AttemptVerdict, CallResult, CallSettings, Classifier
from checkout_payments.resilience.breaker import CircuitBreaker, Permit
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.deadline import attempt_cap_ms, attempt_timeout_ms, deadline_header_ms
from checkout_payments.resilience.decision import Decision, decide
from checkout_payments.resilience.errors import CircuitOpenError, ResilienceError
from checkout_payments.resilience.role import Role
from checkout_payments.resilience.strategies import RETRY, STOP, WAIT
from checkout_payments.resilience.taxonomy import ErrorClass, Outcome

# Re-exported: the attempt types were defined here first.
__all__ = [
    "AsyncResilientCall",
    "Attempt",
    "AttemptVerdict",
    "CallResult",
    "CallSettings",
    "Classifier",
    "ResilientCall",
]

_SUCCESS, _IGNORED = Outcome.SUCCESS, Outcome.IGNORED
T = TypeVar("T")


class _Run(Generic[T]):
    """The state of one call in progress; tenacity hands it to the strategies as the attempt's argument."""

    __slots__ = (
        "attempts",
        "deadline_at",
        "decision",
        "downstream_retryable",
        "ended_at",
        "ended_with",
        "error",
        "loop",
        "retry_after_ms",
        "sleeps",
        "started_at",
        "value",
    )

    def __init__(self, loop: _CallLoop[T], deadline_at: int) -> None:
        self.loop = loop
        self.deadline_at = deadline_at
        self.attempts = 0
        self.sleeps: list[int] = []
        # None while an attempt's end is undecided; set by the retry predicate, or by a call that ends
        # before its attempt starts.
        self.decision: Decision | None = None
        self.ended_with: ErrorClass | None = None
        self.downstream_retryable: bool | None = None
        self.ended_at = 0
        # When the attempt in progress started: an attempt that took its whole timeout ran out (§5).
        self.started_at = 0
        self.value: T | None = None
        self.error: Exception | None = None
        self.retry_after_ms: int | None = None

    def decide(self) -> Decision:
        """Steps 4–9 for the attempt that just ended (asked once per attempt: it may draw)."""
        return self.loop.decide(self)

    def result(self) -> CallResult[T]:
        assert self.decision is not None
        return CallResult(
            self.decision.ends_with, self.attempts, tuple(self.sleeps), self.value, self.error, self.retry_after_ms
        )


class _CallLoop(Generic[T]):
    """What the sync and async loops share: steps 1–3 around the attempt, and the decision after it."""

    def __init__(
        self,
        settings: CallSettings,
        role: Role,
        breaker: CircuitBreaker,
        budget: RetryBudget,
        classifier: Classifier[T],
        *,
        clock: Callable[[], int],
        rand: Callable[[], float],
    ) -> None:
        self.settings = settings
        self.role = role
        self.breaker = breaker
        self.budget = budget
        self.classifier = classifier
        self._clock = clock
        self._rand = rand

    def _begin(self, deadline_at: int | None) -> _Run[T]:
        return _Run(self, self._clock() + self.settings.deadline_ms if deadline_at is None else deadline_at)

    def _start(self, run: _Run[T]) -> tuple[Attempt, Permit] | None:
        """Steps 1–2: the attempt's timeout and the breaker's permit; None when the call ends here."""
        run.decision = None
        now = self._clock()
        settings = self.settings
        margin = settings.answer_margin_ms
        try:
            cap = attempt_cap_ms(self.role, settings.timeout_ms, settings.deadline_ms)
            # An X-Deadline-Ms below min_deadline_ms would be refused by the next hop: the attempt does
            # not start, sends nothing and asks the breaker nothing.
            timeout = attempt_timeout_ms(now, run.deadline_at, cap, margin, settings.min_deadline_ms)
            permit = self.breaker.allow(now)
        except ResilienceError as rejection:
            if isinstance(rejection, CircuitOpenError):
                run.retry_after_ms = rejection.retry_after_ms
            run.decision = Decision(None, rejection.error_class)
            return None
        run.attempts += 1
        run.started_at = now
        run.value, run.error = None, None
        return Attempt(run.attempts, timeout, deadline_header_ms(timeout, margin)), permit

    def _answered(self, run: _Run[T], attempt: Attempt, permit: Permit, value: T) -> None:
        run.value = value
        self._finish(run, attempt, permit, self.classifier.classify_result(value))

    def _raised(self, run: _Run[T], attempt: Attempt, permit: Permit, error: Exception) -> None:
        verdict = self.classifier.classify_error(error)
        if verdict is None:
            self._abandon(permit)
            raise error
        run.error = error
        self._finish(run, attempt, permit, verdict)

    def _abandon(self, permit: Permit) -> None:
        """An attempt that ended without an outcome (a bug, a cancellation) gives its permit back."""
        permit.record(Outcome.IGNORED, self._clock())

    def _finish(self, run: _Run[T], attempt: Attempt, permit: Permit, verdict: AttemptVerdict) -> None:
        """Step 3's end: one outcome for the breaker and the budget, after §5's evidence rule."""
        error_class = verdict.error_class
        # Classes without a breaker outcome (a bug, a database class) still give the permit back.
        outcome = _SUCCESS if error_class is None else (error_class.breaker or _IGNORED)
        now = self._clock()
        if self._ran_out(run, attempt, verdict, now):
            # No answer in time. Evidence against the upstream only if it had at least the time it is
            # expected to need; a shorter attempt, cut by a caller's deadline, proves nothing (and so
            # a caller's short deadline cannot open the shared breaker). Cut, it ends the call: the
            # deadline has come. An upstream's quick TIMEOUT answer is not this: it is an answer.
            settings = self.settings
            threshold = min(settings.timeout_ms, settings.provider_expected_p99_ms)
            outcome = Outcome.FAILURE if attempt.timeout_ms >= threshold else _IGNORED
            if attempt.timeout_ms < attempt_cap_ms(self.role, settings.timeout_ms, settings.deadline_ms):
                error_class = ErrorClass.DEADLINE_EXCEEDED
        permit.record(outcome, now)
        self.budget.record(outcome)
        run.ended_with, run.downstream_retryable, run.ended_at = error_class, verdict.downstream_retryable, now

    @staticmethod
    def _ran_out(run: _Run[T], attempt: Attempt, verdict: AttemptVerdict, now: int) -> bool:
        """Whether the attempt's own timeout ran out: the classifier says so, or a TIMEOUT took it all."""
        if verdict.error_class is not ErrorClass.TIMEOUT:
            return False
        return verdict.timed_out or now - run.started_at >= attempt.timeout_ms

    def decide(self, run: _Run[T]) -> Decision:
        """Steps 4–9 for the attempt that just ended."""
        settings = self.settings
        return decide(
            run.attempts,
            run.ended_with,
            run.downstream_retryable,
            run.ended_at,
            run.deadline_at,
            self.role,
            settings.retry,
            self.budget,
            self._rand,
            cap_ms=attempt_cap_ms(self.role, settings.timeout_ms, settings.deadline_ms),
            answer_margin_ms=settings.answer_margin_ms,
            min_deadline_ms=settings.min_deadline_ms,
        )

    def _slept(self, run: _Run[T]) -> int:
        delay = run.decision.delay_ms if run.decision is not None else None
        assert delay is not None, "tenacity sleeps only after a decision to retry"
        run.sleeps.append(delay)
        return delay


class ResilientCall(_CallLoop[T]):
    """The §8 loop for blocking operations; share one per upstream (breaker and budget are per upstream).

    `clock` is a monotonic clock in integer ms, `rand` draws u in [0, 1), `sleep` sleeps integer ms:
    the kernel reads no clock and no global random source of its own.
    """

    def __init__(
        self,
        settings: CallSettings,
        role: Role,
        breaker: CircuitBreaker,
        budget: RetryBudget,
        classifier: Classifier[T],
        *,
        clock: Callable[[], int],
        rand: Callable[[], float],
        sleep: Callable[[int], None],
    ) -> None:
        super().__init__(settings, role, breaker, budget, classifier, clock=clock, rand=rand)
        self._sleep = sleep

    def call(self, operation: Callable[[Attempt], T], deadline_at: int | None = None) -> CallResult[T]:
        """Run `operation` until it answers or the loop ends; `deadline_at` defaults to now + deadline_ms.

        Returns the result for every classified end; re-raises what the classifier does not know.
        """
        run = self._begin(deadline_at)

        def sleep(_seconds: float) -> None:
            self._sleep(self._slept(run))

        Retrying(sleep=sleep, retry=RETRY, wait=WAIT, stop=STOP)(self._attempt, run, operation)
        return run.result()

    def _attempt(self, run: _Run[T], operation: Callable[[Attempt], T]) -> None:
        started = self._start(run)
        if started is None:
            return
        attempt, permit = started
        try:
            value = operation(attempt)
        except Exception as error:  # noqa: BLE001 - the classifier knows it, or _raised re-raises it
            self._raised(run, attempt, permit, error)
        except BaseException:
            self._abandon(permit)
            raise
        else:
            self._answered(run, attempt, permit, value)


class AsyncResilientCall(_CallLoop[T]):
    """The §8 loop for coroutines (httpx.AsyncClient), with the same decisions as `ResilientCall`.

    The breaker and budget are changed only between awaits, so concurrent calls never see them torn.
    """

    def __init__(
        self,
        settings: CallSettings,
        role: Role,
        breaker: CircuitBreaker,
        budget: RetryBudget,
        classifier: Classifier[T],
        *,
        clock: Callable[[], int],
        rand: Callable[[], float],
        sleep: Callable[[int], Awaitable[None]],
    ) -> None:
        super().__init__(settings, role, breaker, budget, classifier, clock=clock, rand=rand)
        self._sleep = sleep

    async def call(self, operation: Callable[[Attempt], Awaitable[T]], deadline_at: int | None = None) -> CallResult[T]:
        """Await `operation` until it answers or the loop ends; `deadline_at` defaults to now + deadline_ms.

        Returns the result for every classified end; re-raises what the classifier does not know
        (and a cancellation, after giving the breaker permit back).
        """
        run = self._begin(deadline_at)

        async def sleep(_seconds: float) -> None:
            await self._sleep(self._slept(run))

        await AsyncRetrying(sleep=sleep, retry=RETRY, wait=WAIT, stop=STOP)(self._attempt, run, operation)
        return run.result()

    async def _attempt(self, run: _Run[T], operation: Callable[[Attempt], Awaitable[T]]) -> None:
        started = self._start(run)
        if started is None:
            return
        attempt, permit = started
        try:
            value = await operation(attempt)
        except Exception as error:  # noqa: BLE001 - the classifier knows it, or _raised re-raises it
            self._raised(run, attempt, permit, error)
        except BaseException:
            self._abandon(permit)
            raise
        else:
            self._answered(run, attempt, permit, value)
