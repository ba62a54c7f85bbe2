"""Settings, a fake clock and a scripted upstream shared by the kernel's unit tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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
    ErrorClass,
    ResilientCall,
    RetryBudget,
    Role,
)

RETRY = RetrySettings(max_attempts=3, base_delay_ms=2000, backoff_multiplier=2.0, jitter_ms=500, max_delay_ms=8000)
BREAKER = CircuitBreakerSettings(enabled=True, failure_threshold=5, recovery_timeout_ms=60000, half_open_max_calls=3)
BUDGET = RetryBudgetSettings(max_tokens=10, token_ratio=0.1)
BULKHEAD = BulkheadSettings(max_concurrent=100)


@dataclass(frozen=True)
class Settings:
    timeout_ms: int = 20000
    deadline_ms: int = 70000
    provider_expected_p99_ms: int = 19000
    min_deadline_ms: int = 1000
    answer_margin_ms: int = 500
    retry: RetrySettings = RETRY


def breaker_settings(**changes: object) -> CircuitBreakerSettings:
    return CircuitBreakerSettings.model_validate({**BREAKER.model_dump(), **changes})


def budget_settings(**changes: object) -> RetryBudgetSettings:
    return RetryBudgetSettings.model_validate({**BUDGET.model_dump(), **changes})


def retry_settings(**changes: object) -> RetrySettings:
    return RetrySettings.model_validate({**RETRY.model_dump(), **changes})


@dataclass
class FakeTime:
    """A clock that only sleeps and scripted attempts move."""

    now: int = 0
    slept: list[int] = field(default_factory=list)

    def clock(self) -> int:
        return self.now

    def sleep(self, ms: int) -> None:
        self.slept.append(ms)
        self.now += ms

    async def sleep_async(self, ms: int) -> None:
        self.sleep(ms)


@dataclass
class Draws:
    """Always draws `u`, counting the draws."""

    u: float = 0.5
    used: int = 0

    def __call__(self) -> float:
        self.used += 1
        return self.u


class UpstreamError(Exception):
    """What a scripted attempt raises: an error the classifier knows, with its class."""

    def __init__(self, error_class: ErrorClass, retryable: bool | None = None) -> None:
        super().__init__(error_class.value)
        self.error_class = error_class
        self.retryable = retryable


class Script:
    """Scripted attempts: each takes `duration` ms (cut to the attempt's timeout) and returns or raises."""

    def __init__(self, time: FakeTime, steps: Iterable[tuple[int, str | Exception]]) -> None:
        self.time = time
        self.steps = list(steps)
        self.seen: list[AttemptContext] = []

    def __call__(self, attempt: AttemptContext) -> str:
        self.seen.append(attempt)
        duration, result = self.steps[len(self.seen) - 1]
        if duration >= attempt.timeout_ms:
            self.time.now += attempt.timeout_ms
            raise UpstreamError(ErrorClass.TIMEOUT)
        self.time.now += duration
        if isinstance(result, BaseException):
            raise result
        return result

    async def run_async(self, attempt: AttemptContext) -> str:
        return self(attempt)


class Classifier:
    """Returned strings are answers ("ok" or a class name); UpstreamError carries its class; else unknown."""

    def classify_result(self, result: str) -> AttemptVerdict:
        return AttemptVerdict(None if result == "ok" else ErrorClass(result))

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        if isinstance(error, UpstreamError):
            return AttemptVerdict(error.error_class, error.retryable)
        return None


@dataclass
class Kit:
    """One operation's breaker, budget and bulkhead, a fake clock and draws, and both loops over them."""

    time: FakeTime = field(default_factory=FakeTime)
    draws: Draws = field(default_factory=Draws)
    breaker: CircuitBreaker = field(default_factory=lambda: CircuitBreaker(BREAKER))
    budget: RetryBudget = field(default_factory=lambda: RetryBudget(BUDGET))
    bulkhead: Bulkhead = field(default_factory=lambda: Bulkhead(BULKHEAD))
    settings: Settings = field(default_factory=Settings)
    role: Role = Role.ORIGIN

    def sync(self) -> ResilientCall[str]:
        return ResilientCall(
            self.settings,
            self.role,
            self.breaker,
            self.budget,
            self.bulkhead,
            Classifier(),
            clock=self.time.clock,
            random=self.draws,
            sleep=self.time.sleep,
        )

    def asynchronous(self) -> AsyncResilientCall[str]:
        return AsyncResilientCall(
            self.settings,
            self.role,
            self.breaker,
            self.budget,
            self.bulkhead,
            Classifier(),
            clock=self.time.clock,
            random=self.draws,
            sleep=self.time.sleep_async,
        )

    def script(self, *steps: tuple[int, str | Exception]) -> Script:
        return Script(self.time, steps)
