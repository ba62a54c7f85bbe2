"""The call topic of tests/contracts/VECTORS.md: calls one after another through the real call loop.

A fake clock that only the scripted attempts and the backoff sleeps move, a scripted upstream and one
queue of draws; the breaker and the budget are shared by the calls of a vector. The vector already
passed vector.schema.json (`vectors.run_vector`).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Any

from checkout_payments.conformance.compare import Json, compare
from checkout_payments.generated.timeout_config import CircuitBreakerSettings, RetryBudgetSettings, RetrySettings
from checkout_payments.resilience import (
    AsyncResilientCall,
    Attempt,
    AttemptVerdict,
    CallResult,
    CircuitBreaker,
    ErrorClass,
    ResilientCall,
    RetryBudget,
    Role,
)


class _ScriptError(Exception):
    """The kernel did something the vector's script cannot answer: an unlisted attempt, one draw too many."""


@dataclass(frozen=True)
class _CallSettings:
    timeout_ms: int
    deadline_ms: int
    provider_expected_p99_ms: int
    min_deadline_ms: int
    answer_margin_ms: int
    retry: RetrySettings


class _Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now

    def sleep(self, ms: int) -> None:
        self.now += ms

    async def sleep_async(self, ms: int) -> None:
        self.now += ms


class _Draws:
    def __init__(self, draws: list[float]) -> None:
        self._queue = deque(draws)
        self.used = 0

    def __call__(self) -> float:
        if not self._queue:
            raise _ScriptError(f"the kernel asked for draw {self.used + 1}, but the vector lists {self.used}")
        self.used += 1
        return self._queue.popleft()


_Answer = tuple[str, bool | None]


class _Upstream:
    """The scripted attempts of one call (VECTORS.md, attempt simulation) and their classifier."""

    def __init__(self, attempts: list[Json], clock: _Clock) -> None:
        self._attempts, self._clock = attempts, clock
        self.used = 0
        self.timeouts: list[int] = []
        self.headers: list[int] = []

    def __call__(self, attempt: Attempt) -> _Answer:
        if self.used == len(self._attempts):
            raise _ScriptError(f"the kernel ran attempt {attempt.number}, but the call lists {len(self._attempts)}")
        scripted = self._attempts[self.used]
        self.used += 1
        if attempt.number != self.used:
            raise _ScriptError(f"the kernel numbered attempt {self.used} as {attempt.number}")
        self.timeouts.append(attempt.timeout_ms)
        self.headers.append(int(attempt.headers["X-Deadline-Ms"]))
        if scripted["duration_ms"] < attempt.timeout_ms:
            self._clock.now += scripted["duration_ms"]
            return scripted["result"], scripted.get("retryable")
        # The attempt's own timeout ran out, reported as an HTTP client would: TIMEOUT once the whole
        # timeout has passed. The kernel applies the evidence rule (SEMANTICS.md §5) to it.
        self._clock.now += attempt.timeout_ms
        return ErrorClass.TIMEOUT.value, None

    async def answer(self, attempt: Attempt) -> _Answer:
        return self(attempt)

    def classify_result(self, result: _Answer) -> AttemptVerdict:
        name, retryable = result
        return AttemptVerdict(None if name == "success" else ErrorClass(name), retryable)

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        return None


def run_call(vector: Json, *, asynchronous: bool) -> list[str]:
    """The mismatches of a call vector; `asynchronous` runs it through `AsyncResilientCall`."""
    given: dict[str, Any] = vector["settings"]
    settings = _CallSettings(
        **{key: given[key] for key in ("timeout_ms", "deadline_ms", "provider_expected_p99_ms")},
        min_deadline_ms=given["min_deadline_ms"],
        answer_margin_ms=given["answer_margin_ms"],
        retry=RetrySettings.model_validate(given["retry"]),
    )
    breaker = CircuitBreaker(CircuitBreakerSettings.model_validate(given["circuit_breaker"]))
    budget = RetryBudget(RetryBudgetSettings.model_validate(given["retry_budget"]))
    role, clock, draws = Role(vector["role"]), _Clock(), _Draws(list(vector["draws"]))
    mismatches: list[str] = []
    for number, call in enumerate(vector["calls"], 1):
        where = f"call {number} (start {call['start_ms']})"
        if call["start_ms"] < clock.now:
            return [*mismatches, f"{where}: starts before the previous call ended at {clock.now}"]
        clock.now = call["start_ms"]
        upstream = _Upstream(call["attempts"], clock)
        deadline_at = call.get("deadline_at_ms")
        try:
            result: CallResult[_Answer]
            if asynchronous:
                loop = AsyncResilientCall(
                    settings, role, breaker, budget, upstream, clock=clock, rand=draws, sleep=clock.sleep_async
                )
                result = asyncio.run(loop.call(upstream.answer, deadline_at))
            else:
                sync = ResilientCall(
                    settings, role, breaker, budget, upstream, clock=clock, rand=draws, sleep=clock.sleep
                )
                result = sync.call(upstream, deadline_at)
        except _ScriptError as error:
            return [*mismatches, f"{where}: {error}"]
        if upstream.used < len(call["attempts"]):
            mismatches.append(f"{where}: the kernel ran {upstream.used} of the {len(call['attempts'])} listed attempts")
        actual = {
            "result": result.outcome,
            "attempts": result.attempts,
            "attempt_timeouts_ms": upstream.timeouts,
            "deadline_headers_ms": upstream.headers,
            "sleeps_ms": list(result.sleeps_ms),
            "end_ms": clock.now,
            "breaker_state": breaker.state.value,
            "breaker_generation": breaker.generation,
            "tokens_milli": budget.tokens_milli,
            "draws_used": draws.used,
        }
        mismatches += compare(where, actual, call["expect"])
    return mismatches
