"""What the sync and async call loops share (config/SEMANTICS.md §8): steps 1–4 around each attempt, the
step 5–10 decision after it, and the state of one call in progress. The loops themselves are call.py's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from checkout_payments.resilience.attempt import AttemptContext, AttemptVerdict, CallResult, CallSettings, Classifier
from checkout_payments.resilience.breaker import CircuitBreaker, Permit
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.bulkhead import Bulkhead, BulkheadSlot
from checkout_payments.resilience.deadline import attempt_cap_ms, attempt_timeout_ms, deadline_header_ms
from checkout_payments.resilience.decision import SUCCEEDED, Decision, decide
from checkout_payments.resilience.errors import CircuitOpenError, ResilienceError
from checkout_payments.resilience.role import Role
from checkout_payments.resilience.taxonomy import ErrorClass, Outcome

_SUCCESS, _IGNORED = Outcome.SUCCESS, Outcome.IGNORED
T = TypeVar("T")
S = TypeVar("S")  # the flavour's sleep: blocking, or a coroutine function


class CallRun(Generic[T]):
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
        "resuming",
        "retry_after_ms",
        "sleeps",
        "started_at",
        "value",
    )

    def __init__(self, loop: CallLoop[T, Any], deadline_at: int) -> None:
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
        # Set when the first attempt, run outside tenacity, decided to retry: tenacity's first turn
        # then only takes that decision (its sleep), and runs the next attempt after it.
        self.resuming = False

    def decide(self) -> Decision:
        """Steps 5–10 for the attempt that just ended (asked once per attempt: it may draw)."""
        return self.loop.decide(self)

    def result(self) -> CallResult[T]:
        assert self.decision is not None
        return CallResult(
            self.decision.ends_with, self.attempts, tuple(self.sleeps), self.value, self.error, self.retry_after_ms
        )


class CallLoop(Generic[T, S]):
    """What the sync and async loops share: steps 1–4 around the attempt, and the decision after it."""

    def __init__(
        self,
        settings: CallSettings,
        role: Role,
        breaker: CircuitBreaker,
        budget: RetryBudget,
        bulkhead: Bulkhead,
        classifier: Classifier[T],
        *,
        clock: Callable[[], int],
        random: Callable[[], float],
        sleep: S,
    ) -> None:
        self.settings = settings
        self.role = role
        self.breaker = breaker
        self.budget = budget
        self.bulkhead = bulkhead
        self.classifier = classifier
        self._clock = clock
        self._random = random
        self._sleep = sleep

    def _begin(self, deadline_at: int | None) -> CallRun[T]:
        return CallRun(self, self._clock() + self.settings.deadline_ms if deadline_at is None else deadline_at)

    def _start(self, run: CallRun[T]) -> tuple[AttemptContext, Permit, BulkheadSlot] | None:
        """Steps 1–3: the attempt's timeout, a bulkhead slot and the breaker's permit; None when the call ends here."""
        run.decision = None
        now = self._clock()
        settings = self.settings
        margin = settings.answer_margin_ms
        try:
            cap = attempt_cap_ms(self.role, settings.timeout_ms, settings.deadline_ms)
            # An X-Deadline-Ms below min_deadline_ms would be refused by the next hop: the attempt does
            # not start, sends nothing, takes no slot and asks the breaker nothing.
            timeout = attempt_timeout_ms(now, run.deadline_at, cap, margin, settings.min_deadline_ms)
        except ResilienceError as rejection:
            run.decision = Decision(None, rejection.error_class)
            return None
        slot = self.bulkhead.try_acquire()
        if slot is None:
            # Before the breaker: a full bulkhead says nothing about the upstream, and must not take
            # a half-open trial that a call with a slot could have used.
            run.decision = Decision(None, ErrorClass.BULKHEAD_FULL)
            return None
        try:
            permit = self.breaker.allow(now)
        except ResilienceError as rejection:
            slot.release()
            if isinstance(rejection, CircuitOpenError):
                run.retry_after_ms = rejection.retry_after_ms
            run.decision = Decision(None, rejection.error_class)
            return None
        run.attempts += 1
        run.started_at = now
        run.value, run.error = None, None
        return AttemptContext(run.attempts, timeout, deadline_header_ms(timeout, margin)), permit, slot

    def _answered(self, run: CallRun[T], attempt: AttemptContext, permit: Permit, slot: BulkheadSlot, value: T) -> None:
        run.value = value
        try:
            verdict = self.classifier.classify_result(value)
        except BaseException:
            # A classifier that fails is a bug, no verdict: a slot kept here would be lost for good.
            self._abandon(permit, slot)
            raise
        self._finish(run, attempt, permit, slot, verdict)

    def _raised(
        self, run: CallRun[T], attempt: AttemptContext, permit: Permit, slot: BulkheadSlot, error: Exception
    ) -> None:
        try:
            verdict = self.classifier.classify_error(error)
        except BaseException:
            self._abandon(permit, slot)
            raise
        if verdict is None:
            self._abandon(permit, slot)
            raise error
        run.error = error
        self._finish(run, attempt, permit, slot, verdict)

    def _abandon(self, permit: Permit, slot: BulkheadSlot) -> None:
        """An attempt that ended without an outcome (a bug, a cancellation) gives its slot and permit back."""
        slot.release()
        permit.record(Outcome.IGNORED, self._clock())

    def _finish(
        self, run: CallRun[T], attempt: AttemptContext, permit: Permit, slot: BulkheadSlot, verdict: AttemptVerdict
    ) -> None:
        """Step 4's end: the slot back (never held across a backoff sleep), then one outcome for the
        breaker and the budget, after §5's evidence rule."""
        slot.release()
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
    def _ran_out(run: CallRun[T], attempt: AttemptContext, verdict: AttemptVerdict, now: int) -> bool:
        """Whether the attempt's own timeout ran out: the classifier says so, or a TIMEOUT took it all."""
        if verdict.error_class is not ErrorClass.TIMEOUT:
            return False
        return verdict.timed_out or now - run.started_at >= attempt.timeout_ms

    def decide(self, run: CallRun[T]) -> Decision:
        """Steps 5–10 for the attempt that just ended."""
        if run.ended_with is None:
            # Step 5 for a success, without the arguments the other steps need (the common case).
            return SUCCEEDED
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
            self._random,
            cap_ms=attempt_cap_ms(self.role, settings.timeout_ms, settings.deadline_ms),
            answer_margin_ms=settings.answer_margin_ms,
            min_deadline_ms=settings.min_deadline_ms,
        )

    @staticmethod
    def _first_decided(run: CallRun[T]) -> Decision:
        """Steps 5–10 after the first attempt (or the end before it): whether tenacity must take over."""
        decision = run.decision
        if decision is None:
            decision = run.decision = run.decide()
        run.resuming = decision.retries
        return decision

    @staticmethod
    def _resumed(run: CallRun[T]) -> bool:
        """True once, on tenacity's first turn: the decision is made already; tenacity sleeps it next."""
        if run.resuming:
            run.resuming = False
            return True
        return False

    def _slept(self, run: CallRun[T]) -> int:
        delay = run.decision.delay_ms if run.decision is not None else None
        assert delay is not None, "tenacity sleeps only after a decision to retry"
        run.sleeps.append(delay)
        return delay
