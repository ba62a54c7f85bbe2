"""The call loop (SEMANTICS.md §8) beyond the vectors: what attempts receive, draws, errors, async."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from kernel_support import BREAKER, Classifier, Kit, Settings, UpstreamError, breaker_settings, budget_settings

from checkout_payments.config import load_config
from checkout_payments.resilience import (
    DEADLINE_HEADER,
    AttemptContext,
    AttemptVerdict,
    BreakerState,
    Bulkhead,
    CircuitBreaker,
    CircuitOpenError,
    DeadlineExceededError,
    ErrorClass,
    Outcome,
    ResilienceError,
    ResilientCall,
    RetryBudget,
    RetryBudgetExhaustedError,
    Role,
    Transition,
)

REPO = Path(__file__).resolve().parents[3]


def test_each_attempt_gets_its_number_timeout_and_the_timeout_less_the_margin_as_its_header() -> None:
    kit = Kit()
    script = kit.script((20000, "ok"), (100, "ok"))
    result = kit.sync().call(script, deadline_at=30000)
    assert result.error_class is None
    assert result.value == "ok"
    assert [(a.number, a.timeout_ms, a.deadline_header_ms) for a in script.seen] == [(1, 20000, 19500), (2, 7750, 7250)]
    assert script.seen[1].headers == {DEADLINE_HEADER: "7250"}
    assert AttemptContext(1, 300, 250).headers == {DEADLINE_HEADER: "250"}
    # The second attempt's timeout was cut by the deadline: 30000 − (20000 + 2250).
    assert result.sleeps_ms == (2250,)


def test_a_retry_draws_once_and_a_call_that_stops_draws_nothing_more() -> None:
    kit = Kit()
    hang = UpstreamError(ErrorClass.CONNECTION)
    result = kit.sync().call(kit.script((10, hang), (10, hang), (10, hang)))
    assert (result.error_class, result.attempts, result.sleeps_ms) == (ErrorClass.CONNECTION, 3, (2250, 4250))
    # Two delays computed, two draws: the third failure ends the call before step 8.
    assert kit.draws.used == 2
    assert kit.time.slept == [2250, 4250]


def test_a_delay_the_deadline_refuses_costs_its_draw_but_no_sleep() -> None:
    kit = Kit()
    result = kit.sync().call(kit.script((1000, UpstreamError(ErrorClass.CONNECTION))), deadline_at=3000)
    assert result.error_class is ErrorClass.DEADLINE_EXCEEDED
    assert (result.attempts, result.sleeps_ms, kit.draws.used, kit.time.now) == (1, (), 1, 1000)


def test_a_timeout_cut_below_the_evidence_threshold_is_ignored_and_ends_deadline_exceeded() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1)))
    result = kit.sync().call(kit.script((60000, "ok")), deadline_at=5000)
    assert result.error_class is ErrorClass.DEADLINE_EXCEEDED
    assert kit.time.now == 5000
    # 5000 ms < min(timeout_ms 20000, provider_expected_p99_ms 19000): no evidence against the upstream.
    assert kit.breaker.state == "closed"
    assert kit.budget.tokens_milli == 10000


def test_a_timeout_cut_at_or_above_the_evidence_threshold_counts_as_a_failure() -> None:
    kit = Kit(
        breaker=CircuitBreaker(breaker_settings(failure_threshold=1)), settings=Settings(provider_expected_p99_ms=5000)
    )
    result = kit.sync().call(kit.script((60000, "ok")), deadline_at=5000)
    assert result.error_class is ErrorClass.DEADLINE_EXCEEDED
    assert kit.breaker.state == "open"
    assert kit.budget.tokens_milli == 9000


def test_a_quick_timeout_answer_inside_a_cut_attempt_is_a_timeout_an_origin_retries() -> None:
    # Before the fix Python ended this call DEADLINE_EXCEEDED after one attempt (TS and Java retried).
    kit = Kit()
    script = kit.script((100, UpstreamError(ErrorClass.TIMEOUT)), (200, "ok"))
    result = kit.sync().call(script, deadline_at=15000)
    assert (result.error_class, result.attempts, result.sleeps_ms) == (None, 2, (2250,))
    assert [a.timeout_ms for a in script.seen] == [15000, 12650]
    assert kit.budget.tokens_milli == 9100


def test_a_verdict_saying_timed_out_is_a_timeout_that_ran_out_whatever_the_clock() -> None:
    class Flagging(Classifier):
        def classify_error(self, error: Exception) -> AttemptVerdict | None:
            return AttemptVerdict(ErrorClass.TIMEOUT, timed_out=True)

    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1)))
    loop = ResilientCall(
        kit.settings,
        Role.ORIGIN,
        kit.breaker,
        kit.budget,
        kit.bulkhead,
        Flagging(),
        clock=kit.time.clock,
        random=kit.draws,
        sleep=kit.time.sleep,
    )
    result = loop.call(kit.script((10, TimeoutError())), deadline_at=5000)
    assert (result.error_class, result.attempts, kit.draws.used) == (ErrorClass.DEADLINE_EXCEEDED, 1, 0)
    assert (kit.breaker.state, kit.budget.tokens_milli) == ("closed", 10000)
    with pytest.raises(ValueError, match="timed_out is true with error_class CONNECTION"):
        AttemptVerdict(ErrorClass.CONNECTION, timed_out=True)


def test_an_attempt_within_the_answer_margin_asks_the_breaker_nothing() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1)))
    kit.breaker.allow(0).record(Outcome.FAILURE, 0)
    kit.time.now = BREAKER.recovery_timeout_ms
    result = kit.sync().call(kit.script(), deadline_at=kit.time.now + 500)
    assert (result.error_class, result.attempts) == (ErrorClass.DEADLINE_EXCEEDED, 0)
    assert (kit.breaker.state, kit.breaker.generation) == ("open", 1)


def test_an_attempt_whose_header_would_be_below_the_floor_sends_nothing_and_asks_the_breaker_nothing() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1, half_open_max_calls=1)))
    kit.breaker.allow(0).record(Outcome.FAILURE, 0)
    kit.time.now = BREAKER.recovery_timeout_ms
    # 1499 ms would send X-Deadline-Ms 999, below min_deadline_ms 1000: not sent, the breaker stays open.
    result = kit.sync().call(kit.script(), deadline_at=kit.time.now + 1499)
    assert (result.error_class, result.attempts) == (ErrorClass.DEADLINE_EXCEEDED, 0)
    assert (kit.breaker.state, kit.breaker.generation) == ("open", 1)
    # 1500 ms sends exactly the floor, as the half-open trial.
    script = kit.script((10, "ok"))
    result = kit.sync().call(script, deadline_at=kit.time.now + 1500)
    assert (result.error_class, [a.deadline_header_ms for a in script.seen]) == (None, [1000])
    assert (kit.breaker.state, kit.breaker.generation) == ("closed", 3)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_backoff_leaving_no_attempt_that_could_start_is_not_slept(asynchronous: bool) -> None:
    for deadline_at, expected in ((4750, (None, 2, (2250,))), (4749, (ErrorClass.DEADLINE_EXCEEDED, 1, ()))):
        kit = Kit()
        script = kit.script((1000, UpstreamError(ErrorClass.CONNECTION)), (10, "ok"))
        if asynchronous:
            result = asyncio.run(kit.asynchronous().call(script.run_async, deadline_at))
        else:
            result = kit.sync().call(script, deadline_at)
        # 4750 - 1000 - 2250 = 1500 ms leaves a retry sending X-Deadline-Ms 1000; 1499 would leave 999.
        assert (result.error_class, result.attempts, result.sleeps_ms) == expected
        assert kit.draws.used == 1
        assert [a.deadline_header_ms for a in script.seen] == ([4250, 1000] if deadline_at == 4750 else [4249])


def test_a_relay_attempt_gets_the_remaining_deadline_and_an_uncut_hang_stays_a_timeout() -> None:
    kit = Kit(role=Role.RELAY)
    script = kit.script((70000, "ok"))
    result = kit.sync().call(script)
    assert (result.error_class, result.attempts, kit.time.now) == (ErrorClass.TIMEOUT, 1, 70000)
    assert script.seen[0].timeout_ms == 70000


def test_an_error_body_saying_not_retryable_ends_the_call() -> None:
    kit = Kit()
    result = kit.sync().call(kit.script((5, UpstreamError(ErrorClass.UPSTREAM_UNAVAILABLE, retryable=False))))
    assert (result.error_class, result.attempts, kit.draws.used) == (ErrorClass.UPSTREAM_UNAVAILABLE, 1, 0)


def test_an_exception_no_classifier_knows_propagates_and_gives_the_trial_slot_back() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1, half_open_max_calls=1)))
    kit.breaker.allow(0).record(Outcome.FAILURE, 0)
    kit.time.now = BREAKER.recovery_timeout_ms
    with pytest.raises(KeyError):
        kit.sync().call(kit.script((5, KeyError("bug"))))
    assert kit.breaker.state == "half_open"
    # The bug's permit was returned, so the single trial slot is free again.
    assert kit.sync().call(kit.script((5, "ok"))).error_class is None
    assert kit.breaker.state == "closed"


def test_a_cancelled_async_attempt_gives_its_permit_back() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1, half_open_max_calls=1)))
    kit.breaker.allow(0).record(Outcome.FAILURE, 0)
    kit.time.now = BREAKER.recovery_timeout_ms

    async def cancelled(_: object) -> str:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(kit.asynchronous().call(cancelled))
    assert kit.breaker.allow(kit.time.now).generation == kit.breaker.generation


def test_sync_and_async_loops_make_the_same_decisions() -> None:
    def run(asynchronous: bool) -> tuple[object, ...]:
        kit = Kit()
        steps = ((20000, "ok"), (30, UpstreamError(ErrorClass.CONNECTION)), (30, "DECLINED"))
        script = kit.script(*steps)
        result = asyncio.run(kit.asynchronous().call(script.run_async)) if asynchronous else kit.sync().call(script)
        return result.error_class, result.attempts, result.sleeps_ms, kit.time.now, kit.budget.tokens_milli

    assert run(asynchronous=False) == run(asynchronous=True) == (ErrorClass.DECLINED, 3, (2250, 4250), 26560, 8000)


def test_concurrent_async_calls_share_one_breaker_and_budget() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=3)))

    async def failing(_: object) -> str:
        await asyncio.sleep(0)
        raise UpstreamError(ErrorClass.OVERLOADED)

    async def many() -> list[ErrorClass | None]:
        loop = kit.asynchronous()
        results = await asyncio.gather(*(loop.call(failing) for _ in range(10)))
        return [r.error_class for r in results]

    classes = asyncio.run(many())
    # All ten were admitted before any failure was recorded; the third recorded failure opened it.
    assert classes == [ErrorClass.OVERLOADED] * 10
    assert kit.breaker.state == "open"
    assert kit.breaker.generation == 1
    assert kit.budget.tokens_milli == 0


def test_answers_unwrap_and_ends_raise_typed_errors_that_are_never_retryable() -> None:
    kit = Kit()
    assert kit.sync().call(kit.script((5, "DECLINED"))).unwrap() == "DECLINED"
    failed = kit.sync().call(kit.script((5, UpstreamError(ErrorClass.UPSTREAM_UNAVAILABLE, retryable=False))))
    with pytest.raises(ResilienceError) as raised:
        failed.unwrap()
    assert raised.value.error_class is ErrorClass.UPSTREAM_UNAVAILABLE
    assert raised.value.retryable is False
    assert raised.value.http_status == 502
    assert raised.value.call is failed
    assert isinstance(raised.value.__cause__, UpstreamError)


def test_an_open_breaker_ends_the_call_with_retry_after() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1)))
    kit.sync().call(kit.script((100, UpstreamError(ErrorClass.OVERLOADED))))
    kit.time.now = 1100
    result = kit.sync().call(kit.script())
    assert (result.error_class, result.attempts, result.retry_after_ms) == (ErrorClass.CIRCUIT_OPEN, 0, 59000)
    with pytest.raises(CircuitOpenError) as raised:
        result.unwrap()
    assert raised.value.retry_after_ms == 59000


def test_an_exhausted_budget_and_a_passed_deadline_raise_their_own_types() -> None:
    kit = Kit(budget=RetryBudget(budget_settings(max_tokens=1)))
    spent = kit.sync().call(kit.script((5, UpstreamError(ErrorClass.CONNECTION))))
    with pytest.raises(RetryBudgetExhaustedError):
        spent.unwrap()
    late = kit.sync().call(kit.script(), deadline_at=kit.time.now)
    assert late.attempts == 0
    with pytest.raises(DeadlineExceededError):
        late.unwrap()


def test_transitions_reach_the_callback() -> None:
    events: list[Transition] = []
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1), events.append))
    kit.sync().call(kit.script((100, UpstreamError(ErrorClass.OVERLOADED))))
    assert events == [Transition(BreakerState.CLOSED, BreakerState.OPEN, 1, 100)]


def test_the_shipped_config_drives_a_call() -> None:
    payment = load_config(REPO / "config" / "timeout.json").settings.payment
    kit = Kit()
    loop = ResilientCall(
        payment,
        Role.ORIGIN,
        CircuitBreaker(payment.circuit_breaker),
        RetryBudget(payment.retry_budget),
        Bulkhead(payment.bulkhead),
        Classifier(),
        clock=kit.time.clock,
        random=kit.draws,
        sleep=kit.time.sleep,
    )
    result = loop.call(kit.script((payment.timeout_ms, "ok"), (10, "ok")))
    assert (result.error_class, result.attempts, result.sleeps_ms) == (None, 2, (2250,))
    assert Settings().timeout_ms == payment.timeout_ms
