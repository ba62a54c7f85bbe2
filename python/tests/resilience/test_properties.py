"""Properties of the kernel over generated settings, outcomes and timings (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from kernel_support import FakeTime

from checkout_payments.generated.timeout_config import (
    BulkheadSettings,
    CircuitBreakerSettings,
    RetryBudgetSettings,
    RetrySettings,
)
from checkout_payments.resilience import (
    AttemptContext,
    AttemptVerdict,
    BreakerState,
    Bulkhead,
    CircuitBreaker,
    CircuitOpenError,
    ErrorClass,
    HalfOpenLimitError,
    Outcome,
    ResilientCall,
    RetryBudget,
    Role,
    backoff_delay_ms,
)

draws = st.floats(min_value=0.0, max_value=1.0, exclude_max=True, allow_nan=False)
retry_settings = st.builds(
    RetrySettings,
    max_attempts=st.integers(1, 10),
    base_delay_ms=st.integers(1, 600000),
    backoff_multiplier=st.floats(1, 10, allow_nan=False),
    jitter_ms=st.integers(0, 600000),
    max_delay_ms=st.integers(1, 3600000),
)
breaker_settings = st.builds(
    CircuitBreakerSettings,
    enabled=st.just(True),
    failure_threshold=st.integers(1, 10),
    recovery_timeout_ms=st.integers(1, 100000),
    half_open_max_calls=st.integers(1, 5),
)
budget_settings = st.builds(
    RetryBudgetSettings,
    max_tokens=st.integers(1, 1000),
    token_ratio=st.integers(1, 1000000).map(lambda milli: milli / 1000),
)
outcomes = st.sampled_from(list(Outcome))


@given(retry_settings, st.integers(1, 2000), draws)
def test_a_delay_never_exceeds_the_cap_plus_jitter(retry: RetrySettings, n: int, u: float) -> None:
    delay = backoff_delay_ms(n, retry, u)
    assert min(retry.base_delay_ms, retry.max_delay_ms) <= delay <= retry.max_delay_ms + retry.jitter_ms
    if retry.jitter_ms:
        assert delay < retry.max_delay_ms + retry.jitter_ms


@given(breaker_settings, st.lists(st.tuples(st.integers(0, 50000), outcomes), max_size=60))
def test_an_open_breaker_never_admits_before_recovery(
    breaker_config: CircuitBreakerSettings, steps: list[tuple[int, Outcome]]
) -> None:
    breaker, now = CircuitBreaker(breaker_config), 0
    opened_at: int | None = None
    for gap, outcome in steps:
        now += gap
        recovering = opened_at is not None and now - opened_at < breaker_config.recovery_timeout_ms
        try:
            permit = breaker.allow(now)
        except (CircuitOpenError, HalfOpenLimitError):
            continue
        assert not recovering, f"admitted at {now}, {now - (opened_at or 0)} ms after opening"
        permit.record(outcome, now)
        opened_at = now if breaker.state is BreakerState.OPEN else None


@given(budget_settings, st.lists(outcomes, max_size=300))
def test_tokens_stay_within_the_bucket(budget_config: RetryBudgetSettings, steps: list[Outcome]) -> None:
    budget = RetryBudget(budget_config)
    for outcome in steps:
        budget.record(outcome)
        assert 0 <= budget.tokens_milli <= budget_config.max_tokens * 1000
        assert budget.allow_retry() == (budget.tokens_milli * 2 > budget_config.max_tokens * 1000)


ATTEMPT_ENDS = st.sampled_from(
    ["ok", "DECLINED", *(c.value for c in ErrorClass if c.breaker is not None and c is not ErrorClass.DECLINED)]
)


class _Classes:
    def classify_result(self, result: str) -> AttemptVerdict:
        return AttemptVerdict(None if result == "ok" else ErrorClass(result))

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        return None


@settings(max_examples=300)
@given(
    retry_settings,
    breaker_settings,
    st.integers(1, 60000),
    st.integers(0, 200000),
    st.sampled_from(list(Role)),
    st.lists(st.tuples(st.integers(0, 80000), ATTEMPT_ENDS), min_size=10, max_size=10),
    draws,
)
def test_a_call_never_outlives_its_deadline(
    retry: RetrySettings,
    breaker_config: CircuitBreakerSettings,
    timeout_ms: int,
    deadline_after: int,
    role: Role,
    script: list[tuple[int, str]],
    u: float,
) -> None:
    time = FakeTime(now=1000)
    deadline_at = time.now + deadline_after

    class Settings:
        def __init__(self) -> None:
            self.timeout_ms, self.deadline_ms, self.retry = timeout_ms, 70000, retry
            self.provider_expected_p99_ms, self.answer_margin_ms, self.min_deadline_ms = 19000, 500, 1000

    cap = timeout_ms if role is Role.ORIGIN else 70000

    def attempt(given: AttemptContext) -> str:
        duration, result = script[given.number - 1]
        # An attempt starts only if its header, which keeps the answer margin, reaches the next hop's floor.
        assert given.timeout_ms == min(cap, deadline_at - time.now)
        assert given.deadline_header_ms == given.timeout_ms - 500 >= 1000
        if duration >= given.timeout_ms:
            time.now += given.timeout_ms
            return "TIMEOUT"
        time.now += duration
        return result

    loop = ResilientCall(
        Settings(),
        role,
        CircuitBreaker(breaker_config),
        RetryBudget(RetryBudgetSettings(max_tokens=10, token_ratio=0.1)),
        Bulkhead(BulkheadSettings(max_concurrent=1)),
        _Classes(),
        clock=time.clock,
        random=lambda: u,
        sleep=time.sleep,
    )
    result = loop.call(attempt, deadline_at)
    assert time.now <= deadline_at
    assert result.attempts <= retry.max_attempts
    # A sleep follows every attempt but the last, and precedes a rejection when the breaker opened.
    assert max(0, result.attempts - 1) <= len(result.sleeps_ms) <= result.attempts
    assert sum(result.sleeps_ms) <= time.now - 1000
