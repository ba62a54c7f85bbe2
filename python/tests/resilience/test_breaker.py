"""The circuit breaker (SEMANTICS.md §3) beyond the vectors: typed rejections, the callback, threads."""

from __future__ import annotations

import threading

import pytest
from kernel_support import breaker_settings

from checkout_payments.resilience import (
    BreakerState,
    CircuitBreaker,
    CircuitOpenError,
    ErrorClass,
    HalfOpenLimitError,
    Outcome,
    Permit,
    Transition,
)


def opened(at: int = 0, **changes: object) -> CircuitBreaker:
    breaker = CircuitBreaker(breaker_settings(failure_threshold=1, **changes))
    breaker.allow(at).record(Outcome.FAILURE, at)
    assert breaker.state is BreakerState.OPEN
    return breaker


def test_the_threshold_th_consecutive_failure_opens_the_breaker() -> None:
    events: list[Transition] = []
    breaker = CircuitBreaker(breaker_settings(failure_threshold=3), events.append)
    for at in range(2):
        breaker.allow(at).record(Outcome.FAILURE, at)
    breaker.allow(2).record(Outcome.SUCCESS, 2)
    for at in range(3, 5):
        breaker.allow(at).record(Outcome.FAILURE, at)
    assert breaker.state is BreakerState.CLOSED
    breaker.allow(5).record(Outcome.FAILURE, 5)
    assert events == [Transition(BreakerState.CLOSED, BreakerState.OPEN, 1, 5)]


def test_an_open_breaker_rejects_with_the_time_left_until_recovery() -> None:
    breaker = opened(at=100, recovery_timeout_ms=1000)
    with pytest.raises(CircuitOpenError) as raised:
        breaker.allow(1099)
    assert raised.value.retry_after_ms == 1
    assert raised.value.error_class is ErrorClass.CIRCUIT_OPEN
    assert raised.value.retryable is False
    assert breaker.allow(1100).generation == 2


def test_half_open_admits_its_trials_at_once_then_rejects() -> None:
    breaker = opened(recovery_timeout_ms=10, half_open_max_calls=2)
    trials = [breaker.allow(10), breaker.allow(10)]
    with pytest.raises(HalfOpenLimitError):
        breaker.allow(11)
    for trial in trials:
        assert trial.record(Outcome.SUCCESS, 12)
    assert breaker.state is BreakerState.CLOSED


def test_a_permit_records_once_and_a_stale_one_not_at_all() -> None:
    breaker = CircuitBreaker(breaker_settings(failure_threshold=1))
    early, late = breaker.allow(0), breaker.allow(0)
    assert early.record(Outcome.FAILURE, 1) is True
    assert early.record(Outcome.FAILURE, 1) is False
    assert late.record(Outcome.SUCCESS, 2) is False
    assert breaker.state is BreakerState.OPEN


def test_a_disabled_breaker_admits_everything_and_records_nothing() -> None:
    events: list[Transition] = []
    breaker = CircuitBreaker(breaker_settings(enabled=False, failure_threshold=1), events.append)
    for at in range(5):
        assert breaker.allow(at).record(Outcome.FAILURE, at) is False
    assert (breaker.state, breaker.generation, events) == (BreakerState.CLOSED, 0, [])


def test_the_callback_may_read_the_breaker_it_listens_to() -> None:
    seen: list[tuple[BreakerState, int]] = []
    holder: list[CircuitBreaker] = []

    def listen(event: Transition) -> None:
        seen.append((holder[0].state, holder[0].generation))

    breaker = CircuitBreaker(breaker_settings(failure_threshold=1, recovery_timeout_ms=5), listen)
    holder.append(breaker)
    breaker.allow(0).record(Outcome.FAILURE, 0)
    breaker.allow(5)
    assert seen == [(BreakerState.OPEN, 1), (BreakerState.HALF_OPEN, 2)]


def test_many_threads_never_get_more_half_open_trials_than_allowed() -> None:
    breaker = opened(recovery_timeout_ms=10, half_open_max_calls=3)
    admitted: list[Permit] = []
    rejected: list[Exception] = []
    start = threading.Barrier(32)

    def race() -> None:
        start.wait()
        for _ in range(50):
            try:
                admitted.append(breaker.allow(10))
            except HalfOpenLimitError as error:
                rejected.append(error)

    threads = [threading.Thread(target=race) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(admitted) == 3
    assert len(rejected) == 32 * 50 - 3


def test_many_threads_recording_failures_open_the_breaker_exactly_once() -> None:
    events: list[Transition] = []
    breaker = CircuitBreaker(breaker_settings(failure_threshold=100), events.append)
    permits = [breaker.allow(0) for _ in range(1000)]
    chunks = [permits[i::8] for i in range(8)]

    def record(chunk: list[Permit]) -> None:
        for permit in chunk:
            permit.record(Outcome.FAILURE, 1)

    threads = [threading.Thread(target=record, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert events == [Transition(BreakerState.CLOSED, BreakerState.OPEN, 1, 1)]
