"""Per-call overhead of the resilience kernel on the success path (pytest-benchmark; not a timed test).

A no-op operation that always succeeds, called bare, through the kernel's `ResilientCall` (deadline,
bulkhead, breaker, budget and the loop, which enters tenacity only for a retry), through the kernel's
bookkeeping alone (no loop), and through what a user would otherwise pick: tenacity's `@retry` around
pybreaker's breaker.
Run with `nox -s bench` (or the pytest command in its docstring); never part of `nox -s python`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pybreaker
import pytest
import tenacity

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
    CircuitBreaker,
    Outcome,
    ResilientCall,
    RetryBudget,
    Role,
    attempt_timeout_ms,
)

RETRY = RetrySettings(max_attempts=3, base_delay_ms=2000, backoff_multiplier=2.0, jitter_ms=500, max_delay_ms=8000)
BREAKER = CircuitBreakerSettings(enabled=True, failure_threshold=5, recovery_timeout_ms=60000, half_open_max_calls=3)
BUDGET = RetryBudgetSettings(max_tokens=10, token_ratio=0.1)
BULKHEAD = BulkheadSettings(max_concurrent=200)
SUCCESS = AttemptVerdict()
GROUP = "success path, one no-op call"


@dataclass(frozen=True)
class Settings:
    timeout_ms: int = 20000
    deadline_ms: int = 70000
    provider_expected_p99_ms: int = 19000
    min_deadline_ms: int = 1000
    answer_margin_ms: int = 500
    retry: RetrySettings = RETRY


class AlwaysSuccess:
    def classify_result(self, result: object) -> AttemptVerdict:
        return SUCCESS

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        return None


def noop(_: AttemptContext | None = None) -> int:
    return 1


async def noop_async(_: AttemptContext | None = None) -> int:
    return 1


def ticking_clock() -> Callable[[], int]:
    return itertools.count().__next__


def kernel_loop() -> ResilientCall[int]:
    return ResilientCall(
        Settings(),
        Role.ORIGIN,
        CircuitBreaker(BREAKER),
        RetryBudget(BUDGET),
        Bulkhead(BULKHEAD),
        AlwaysSuccess(),
        clock=ticking_clock(),
        random=lambda: 0.5,
        sleep=lambda ms: None,
    )


@pytest.mark.benchmark(group=GROUP)
def test_bare_call(benchmark: Any) -> None:
    assert benchmark(noop) == 1


@pytest.mark.benchmark(group=GROUP)
def test_kernel_resilient_call(benchmark: Any) -> None:
    loop = kernel_loop()
    result = benchmark(loop.call, noop)
    assert result.error_class is None
    assert result.value == 1


@pytest.mark.benchmark(group=GROUP)
def test_kernel_bookkeeping_without_the_loop(benchmark: Any) -> None:
    """Steps 1–4 by hand: what the kernel itself costs, without a loop."""
    clock, breaker, budget = ticking_clock(), CircuitBreaker(BREAKER), RetryBudget(BUDGET)
    bulkhead = Bulkhead(BULKHEAD)

    def once() -> int:
        now = clock()
        timeout = attempt_timeout_ms(now, now + 70000, 20000)
        slot = bulkhead.try_acquire()
        assert slot is not None
        permit = breaker.allow(now)
        value = noop(AttemptContext(1, timeout, timeout - 500))
        slot.release()
        permit.record(Outcome.SUCCESS, clock())
        budget.record(Outcome.SUCCESS)
        return value

    assert benchmark(once) == 1


@pytest.mark.benchmark(group=GROUP)
def test_tenacity_retry_around_pybreaker(benchmark: Any) -> None:
    breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60)

    @tenacity.retry(
        stop=tenacity.stop_after_attempt(3),
        wait=tenacity.wait_exponential_jitter(multiplier=2, max=8, jitter=0.5),
        retry=tenacity.retry_if_exception_type(OSError),
        reraise=True,
    )
    @breaker
    def call() -> int:
        return noop()

    assert benchmark(call) == 1


@pytest.mark.benchmark(group="success path, one no-op coroutine (event loop run included)")
def test_async_bare_call(benchmark: Any) -> None:
    runner = asyncio.Runner()
    try:
        assert benchmark(lambda: runner.run(noop_async())) == 1
    finally:
        runner.close()


@pytest.mark.benchmark(group="success path, one no-op coroutine (event loop run included)")
def test_async_kernel_resilient_call(benchmark: Any) -> None:
    async def no_sleep(ms: int) -> None:
        return None

    loop = AsyncResilientCall(
        Settings(),
        Role.RELAY,
        CircuitBreaker(BREAKER),
        RetryBudget(BUDGET),
        Bulkhead(BULKHEAD),
        AlwaysSuccess(),
        clock=ticking_clock(),
        random=lambda: 0.5,
        sleep=no_sleep,
    )
    runner = asyncio.Runner()
    try:
        result = benchmark(lambda: runner.run(loop.call(noop_async)))
        assert result.value == 1
    finally:
        runner.close()
