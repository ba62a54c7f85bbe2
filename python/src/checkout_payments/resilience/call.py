"""One call, step by step (config/SEMANTICS.md §8): deadline ⊃ retry ⊃ breaker ⊃ attempt timeout.

The loop is tenacity's `Retrying` (sync) or `AsyncRetrying` (async), driven by three kernel
strategies. tenacity ≥ 8.3 runs `wait` before `stop`, so a draw inside `wait` would be spent even
when the call then stops; instead the `retry` predicate, which runs first, makes the whole step 4–9
decision once per finished attempt (`decision.decide`), and `wait`, `stop` and `sleep` only read it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar, cast

from tenacity import AsyncRetrying, RetryCallState, Retrying
from tenacity.retry import retry_base
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from checkout_payments.generated.timeout_config import RetrySettings
from checkout_payments.resilience.breaker import CircuitBreaker, Permit
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.deadline import DEADLINE_HEADER, attempt_timeout_ms
from checkout_payments.resilience.decision import Decision, decide
from checkout_payments.resilience.errors import (
    CircuitOpenError,
    DeadlineExceededError,
    HalfOpenLimitError,
    ResilienceError,
    RetryBudgetExhaustedError,
)
from checkout_payments.resilience.role import Role
from checkout_payments.resilience.taxonomy import ErrorClass, Outcome

_SUCCESS, _IGNORED = Outcome.SUCCESS, Outcome.IGNORED
T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)


class Attempt(NamedTuple):
    """What one attempt gets: its number (1 = the first) and its timeout, which is also its X-Deadline-Ms."""

    number: int
    timeout_ms: int

    @property
    def headers(self) -> dict[str, str]:
        """The headers every outgoing request of this attempt sets."""
        return {DEADLINE_HEADER: str(self.timeout_ms)}


@dataclass(frozen=True, slots=True)
class AttemptVerdict:
    """How an attempt ended: `error_class` None for success; `downstream_retryable` from the error body, if any."""

    error_class: ErrorClass | None = None
    downstream_retryable: bool | None = None


class Classifier(Protocol[T_contra]):
    """Tells the loop how an attempt ended, from what the attempt returned or raised."""

    def classify_result(self, result: T_contra) -> AttemptVerdict:
        """A returned result: success, DECLINED, or an error answer's class."""
        ...

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        """A raised exception's class; None for one that is no attempt outcome (a bug): the call re-raises it."""
        ...


class CallSettings(Protocol):
    """The settings one call reads; the generated `PaymentSettings` is one."""

    @property
    def timeout_ms(self) -> int: ...

    @property
    def deadline_ms(self) -> int: ...

    @property
    def retry(self) -> RetrySettings: ...


@dataclass(frozen=True)
class CallResult(Generic[T]):
    """How a call ended: `error_class` None for success (DECLINED is an answer too), the attempts run
    (an allow the breaker rejected is none), the backoff sleeps taken, and the last attempt's result
    or exception. `retry_after_ms` is set when the breaker rejected the call."""

    error_class: ErrorClass | None
    attempts: int
    sleeps_ms: tuple[int, ...]
    value: T | None = None
    error: Exception | None = None
    retry_after_ms: int | None = None

    @property
    def outcome(self) -> str:
        """`success` or the class: the label logs and metrics use."""
        return "success" if self.error_class is None else self.error_class.value

    @property
    def retryable(self) -> bool:
        """Whether this service's caller may retry: never, once this loop ran (§7)."""
        return False

    def unwrap(self) -> T:
        """The answer (success or DECLINED) the last attempt returned; otherwise raises `to_error()`."""
        if self.error_class in (None, ErrorClass.DECLINED) and self.error is None:
            # An answer is whatever the operation returned, None included.
            return cast(T, self.value)
        raise self.to_error() from self.error

    def to_error(self) -> ResilienceError:
        """The typed error of an end that is no answer, with `retryable` false and this result as `call`."""
        error_class = self.error_class or ErrorClass.INTERNAL
        text = f"after {self.attempts} attempt(s) and {len(self.sleeps_ms)} backoff sleep(s)"
        if error_class is ErrorClass.CIRCUIT_OPEN:
            return CircuitOpenError(self.retry_after_ms, f"circuit breaker is open {text}", call=self)
        if error_class is ErrorClass.HALF_OPEN_LIMIT:
            return HalfOpenLimitError(f"half-open trial slots are taken {text}", call=self)
        if error_class is ErrorClass.DEADLINE_EXCEEDED:
            return DeadlineExceededError(f"the deadline left no time for another attempt {text}", call=self)
        if error_class is ErrorClass.RETRY_BUDGET_EXHAUSTED:
            return RetryBudgetExhaustedError(f"the retry budget refused a retry {text}", call=self)
        return ResilienceError(error_class, f"the call ended {error_class} {text}", False, call=self)


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
        self.value: T | None = None
        self.error: Exception | None = None
        self.retry_after_ms: int | None = None

    def result(self) -> CallResult[T]:
        assert self.decision is not None
        return CallResult(
            self.decision.ends_with, self.attempts, tuple(self.sleeps), self.value, self.error, self.retry_after_ms
        )


def _run_of(retry_state: RetryCallState) -> _Run[Any]:
    run: _Run[Any] = retry_state.args[0]
    return run


class _RetryAsDecided(retry_base):
    """tenacity's retry predicate, which runs first after each attempt: the one place the decision is made."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        run = _run_of(retry_state)
        if run.decision is None:
            outcome = retry_state.outcome
            if outcome is not None and outcome.failed:
                # An exception no classifier knows: no decision to make, tenacity re-raises it.
                return False
            run.decision = run.loop.decide(run)
        return run.decision.retries


class _WaitAsDecided(wait_base):
    """The decided delay, in the seconds tenacity counts in (the loop sleeps the exact integer ms)."""

    def __call__(self, retry_state: RetryCallState) -> float:
        decision = _run_of(retry_state).decision
        return 0.0 if decision is None or decision.delay_ms is None else decision.delay_ms / 1000


class _StopAsDecided(stop_base):
    """Stops when the decision ends the call; reached only after the predicate asked for a retry."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        decision = _run_of(retry_state).decision
        return decision is None or not decision.retries


RETRY = _RetryAsDecided()
WAIT = _WaitAsDecided()
STOP = _StopAsDecided()


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
        try:
            timeout = attempt_timeout_ms(now, run.deadline_at, self.settings.timeout_ms)
            permit = self.breaker.allow(now)
        except ResilienceError as rejection:
            if isinstance(rejection, CircuitOpenError):
                run.retry_after_ms = rejection.retry_after_ms
            run.decision = Decision(None, rejection.error_class)
            return None
        run.attempts += 1
        run.value, run.error = None, None
        return Attempt(run.attempts, timeout), permit

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
        """Step 3's end: one outcome for the breaker and the budget, and the §5 rule for a cut attempt."""
        error_class = verdict.error_class
        # Classes without a breaker outcome (a bug, a database class) still give the permit back.
        outcome = _SUCCESS if error_class is None else (error_class.breaker or _IGNORED)
        if error_class is ErrorClass.TIMEOUT and attempt.timeout_ms < self.settings.timeout_ms:
            # The upstream did not answer in time, so the breaker and budget count a failure (or a
            # gateway whose deadline is its caller's timeout would never open); but the deadline cut
            # that time short and none is left, so the call ends DEADLINE_EXCEEDED.
            error_class = ErrorClass.DEADLINE_EXCEEDED
        now = self._clock()
        permit.record(outcome, now)
        self.budget.record(outcome)
        run.ended_with, run.downstream_retryable, run.ended_at = error_class, verdict.downstream_retryable, now

    def decide(self, run: _Run[T]) -> Decision:
        """Steps 4–9 for the attempt that just ended."""
        return decide(
            run.attempts,
            run.ended_with,
            run.downstream_retryable,
            run.ended_at,
            run.deadline_at,
            self.role,
            self.settings.retry,
            self.budget,
            self._rand,
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
