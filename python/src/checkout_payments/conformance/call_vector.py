"""The call topic of tests/contracts/VECTORS.md: calls one after another through the real call loop.

A fake clock that only the scripted attempts and the backoff sleeps move, a scripted upstream and one
queue of draws; the breaker, the budget and the bulkhead are shared by the calls of a vector. The
vector already passed vector.schema.json (`vectors.run_vector`). The upstream topic
(upstream_vector.py) runs its calls with the same pieces.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from checkout_payments.conformance.compare import Json, compare
from checkout_payments.generated.timeout_config import (
    BulkheadSettings,
    CircuitBreakerSettings,
    RetryBudgetSettings,
    RetrySettings,
)
from checkout_payments.resilience import (
    AsyncResilientCall,
    AttemptContext,
    AttemptVerdict,
    Bulkhead,
    BulkheadSlot,
    CallResult,
    CircuitBreaker,
    ErrorClass,
    OperationPolicy,
    ResilientCall,
    RetryBudget,
    Role,
)


class ScriptError(Exception):
    """The kernel did something the vector's script cannot answer: an unlisted attempt, one draw too many."""


class Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now

    def sleep(self, ms: int) -> None:
        self.now += ms

    async def sleep_async(self, ms: int) -> None:
        self.now += ms


class Draws:
    def __init__(self, draws: list[float]) -> None:
        self._queue = deque(draws)
        self.used = 0

    def __call__(self) -> float:
        if not self._queue:
            raise ScriptError(f"the kernel asked for draw {self.used + 1}, but the vector lists {self.used}")
        self.used += 1
        return self._queue.popleft()


Answer = tuple[str, bool | None]


class ScriptedClassifier:
    """A scripted attempt returns its result's name and the body's `retryable`; it never raises."""

    def classify_result(self, result: Answer) -> AttemptVerdict:
        name, retryable = result
        return AttemptVerdict(None if name == "success" else ErrorClass(name), retryable)

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        return None


CLASSIFIER = ScriptedClassifier()


class Script:
    """The scripted attempts of one call (VECTORS.md, attempt simulation)."""

    def __init__(self, attempts: list[Json], clock: Clock) -> None:
        self._attempts, self._clock = attempts, clock
        self.used = 0
        self.timeouts: list[int] = []
        self.headers: list[int] = []

    def __call__(self, attempt: AttemptContext) -> Answer:
        if self.used == len(self._attempts):
            raise ScriptError(f"the kernel ran attempt {attempt.number}, but the call lists {len(self._attempts)}")
        scripted = self._attempts[self.used]
        self.used += 1
        if attempt.number != self.used:
            raise ScriptError(f"the kernel numbered attempt {self.used} as {attempt.number}")
        self.timeouts.append(attempt.timeout_ms)
        self.headers.append(int(attempt.headers["X-Deadline-Ms"]))
        if scripted["duration_ms"] < attempt.timeout_ms:
            self._clock.now += scripted["duration_ms"]
            return scripted["result"], scripted.get("retryable")
        # The attempt's own timeout ran out, reported as an HTTP client would: TIMEOUT once the whole
        # timeout has passed. The kernel applies the evidence rule (SEMANTICS.md §5) to it.
        self._clock.now += attempt.timeout_ms
        return ErrorClass.TIMEOUT.value, None

    async def answer(self, attempt: AttemptContext) -> Answer:
        return self(attempt)


Loop = ResilientCall[Answer] | AsyncResilientCall[Answer]


def run_step(loop: Loop, step: Json, where: str, clock: Clock, draws: Draws) -> list[str]:
    """One call of a call (or upstream) vector through `loop`, compared with the step's `expect`."""
    if step["start_ms"] < clock.now:
        raise ScriptError(f"starts before the previous call ended at {clock.now}")
    clock.now = step["start_ms"]
    script = Script(step["attempts"], clock)
    deadline_at = step.get("deadline_at_ms")
    # Slots other calls hold while this one runs: taken before it starts, given back after it ends.
    occupied = [loop.bulkhead.try_acquire() for _ in range(step.get("occupied", 0))]
    if None in occupied:
        raise ScriptError(f"the bulkhead of max_concurrent {loop.bulkhead.max_concurrent} has no {len(occupied)} slots")
    try:
        result: CallResult[Answer]
        if isinstance(loop, AsyncResilientCall):
            result = asyncio.run(loop.call(script.answer, deadline_at))
        else:
            result = loop.call(script, deadline_at)
    finally:
        for slot in occupied:
            assert isinstance(slot, BulkheadSlot)
            slot.release()
    mismatches = []
    if script.used < len(step["attempts"]):
        mismatches.append(f"{where}: the kernel ran {script.used} of the {len(step['attempts'])} listed attempts")
    actual = {
        "result": result.outcome,
        "attempts": result.attempts,
        "attempt_timeouts_ms": script.timeouts,
        "deadline_headers_ms": script.headers,
        "sleeps_ms": list(result.sleeps_ms),
        "end_ms": clock.now,
        "breaker_state": loop.breaker.state.value,
        "breaker_generation": loop.breaker.generation,
        "tokens_milli": loop.budget.tokens_milli,
        "draws_used": draws.used,
    }
    return mismatches + compare(where, actual, step["expect"])


def call_policy(given: dict[str, Any]) -> OperationPolicy:
    """A call vector's settings as the kernel's policy of one operation (built directly: no config lint)."""
    return OperationPolicy(
        timeout_ms=given["timeout_ms"],
        deadline_ms=given["deadline_ms"],
        provider_expected_p99_ms=given["provider_expected_p99_ms"],
        min_deadline_ms=given["min_deadline_ms"],
        answer_margin_ms=given["answer_margin_ms"],
        retry=RetrySettings.model_validate(given["retry"]),
        circuit_breaker=CircuitBreakerSettings.model_validate(given["circuit_breaker"]),
        retry_budget=RetryBudgetSettings.model_validate(given["retry_budget"]),
        bulkhead=BulkheadSettings.model_validate(given["bulkhead"]),
    )


def run_call(vector: Json, *, asynchronous: bool) -> list[str]:
    """The mismatches of a call vector; `asynchronous` runs it through `AsyncResilientCall`."""
    policy = call_policy(vector["settings"])
    parts = (
        policy,
        Role(vector["role"]),
        CircuitBreaker(policy.circuit_breaker),
        RetryBudget(policy.retry_budget),
        Bulkhead(policy.bulkhead),
        CLASSIFIER,
    )
    clock, draws = Clock(), Draws(list(vector["draws"]))
    loop: Loop
    if asynchronous:
        loop = AsyncResilientCall(*parts, clock=clock, random=draws, sleep=clock.sleep_async)
    else:
        loop = ResilientCall(*parts, clock=clock, random=draws, sleep=clock.sleep)
    mismatches: list[str] = []
    for number, call in enumerate(vector["calls"], 1):
        where = f"call {number} (start {call['start_ms']})"
        try:
            mismatches += run_step(loop, call, where, clock, draws)
        except ScriptError as error:
            return [*mismatches, f"{where}: {error}"]
    return mismatches
