"""The bulkhead (SEMANTICS.md §11) and the loop's step 2 beyond the vectors: threads, slots across sleeps, bugs."""

from __future__ import annotations

import asyncio
import threading

import pytest
from kernel_support import BREAKER, Classifier, FakeTime, Kit, UpstreamError, breaker_settings

from checkout_payments.generated.timeout_config import BulkheadSettings
from checkout_payments.resilience import (
    AttemptContext,
    AttemptVerdict,
    Bulkhead,
    BulkheadFullError,
    CircuitBreaker,
    ErrorClass,
    Outcome,
    ResilientCall,
)


def bulkhead(max_concurrent: int) -> Bulkhead:
    return Bulkhead(BulkheadSettings(max_concurrent=max_concurrent))


def test_threads_never_hold_more_slots_than_max_concurrent_and_give_every_one_back() -> None:
    shared, most = bulkhead(3), [0]
    lock, start = threading.Lock(), threading.Barrier(8)
    granted = [0] * 8

    def worker(index: int) -> None:
        start.wait()
        for _ in range(2000):
            slot = shared.try_acquire()
            if slot is None:
                continue
            granted[index] += 1
            with lock:
                most[0] = max(most[0], shared.in_flight)
            assert slot.release() is True
            assert slot.release() is False

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared.in_flight == 0
    assert 1 <= most[0] <= 3
    assert sum(granted) > 0


def test_a_resize_keeps_the_slots_in_flight_and_reports_its_settings() -> None:
    shared = bulkhead(2)
    first, second = shared.try_acquire(), shared.try_acquire()
    assert first is not None
    assert second is not None
    shared.resize(BulkheadSettings(max_concurrent=1))
    assert (shared.in_flight, shared.max_concurrent, shared.settings.max_concurrent) == (2, 1, 1)
    assert shared.try_acquire() is None
    assert first.release()
    assert second.release()
    assert shared.try_acquire() is not None


def test_an_attempt_holds_its_slot_only_while_it_runs_never_across_the_backoff_sleep() -> None:
    shared = bulkhead(1)
    slept_holding: list[int] = []

    class Observed(FakeTime):
        def sleep(self, ms: int) -> None:
            slept_holding.append(shared.in_flight)
            super().sleep(ms)

    kit = Kit(time=Observed(), bulkhead=shared)
    held: list[int] = []

    def attempt(context: AttemptContext) -> str:
        held.append(shared.in_flight)
        kit.time.now += 10
        if context.number < 3:
            raise UpstreamError(ErrorClass.CONNECTION)
        return "ok"

    result = kit.sync().call(attempt)
    assert (result.error_class, result.attempts) == (None, 3)
    assert held == [1, 1, 1]
    assert slept_holding == [0, 0]
    assert shared.in_flight == 0


def test_a_full_bulkhead_ends_the_call_without_asking_the_breaker_for_its_half_open_trial() -> None:
    kit = Kit(
        breaker=CircuitBreaker(breaker_settings(failure_threshold=1, half_open_max_calls=1)), bulkhead=bulkhead(1)
    )
    kit.breaker.allow(0).record(Outcome.FAILURE, 0)
    kit.time.now = BREAKER.recovery_timeout_ms
    taken = kit.bulkhead.try_acquire()
    assert taken is not None

    result = kit.sync().call(kit.script((10, "ok")))

    assert (result.error_class, result.attempts, result.sleeps_ms, result.retry_after_ms) == (
        ErrorClass.BULKHEAD_FULL,
        0,
        (),
        None,
    )
    assert (kit.breaker.state, kit.breaker.generation, kit.budget.tokens_milli) == ("open", 1, 10000)
    with pytest.raises(BulkheadFullError) as raised:
        result.unwrap()
    assert (raised.value.retryable, raised.value.http_status) == (False, 503)
    taken.release()
    # The trial was kept for the call that got a slot.
    assert kit.sync().call(kit.script((10, "ok"))).error_class is None
    assert kit.breaker.state == "closed"


def test_an_open_breaker_gives_the_slot_back() -> None:
    kit = Kit(breaker=CircuitBreaker(breaker_settings(failure_threshold=1)), bulkhead=bulkhead(1))
    kit.breaker.allow(0).record(Outcome.FAILURE, 0)
    assert kit.sync().call(kit.script()).error_class is ErrorClass.CIRCUIT_OPEN
    assert kit.bulkhead.in_flight == 0


def test_a_bug_in_an_attempt_gives_its_slot_back() -> None:
    kit = Kit(bulkhead=bulkhead(1))
    with pytest.raises(KeyError):
        kit.sync().call(kit.script((5, KeyError("bug"))))
    assert kit.bulkhead.in_flight == 0
    assert kit.sync().call(kit.script((5, "ok"))).error_class is None


def test_a_cancelled_async_attempt_gives_its_slot_back() -> None:
    kit = Kit(bulkhead=bulkhead(1))

    async def cancelled(_: object) -> str:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(kit.asynchronous().call(cancelled))
    assert kit.bulkhead.in_flight == 0


def test_concurrent_async_calls_beyond_max_concurrent_end_bulkhead_full_and_send_nothing() -> None:
    kit = Kit(bulkhead=bulkhead(2))
    sent: list[int] = []

    async def slow(context: AttemptContext) -> str:
        sent.append(context.number)
        await asyncio.sleep(0.01)
        return "ok"

    async def many() -> list[ErrorClass | None]:
        loop = kit.asynchronous()
        results = await asyncio.gather(*(loop.call(slow) for _ in range(5)))
        return [r.error_class for r in results]

    assert asyncio.run(many()) == [None, None] + [ErrorClass.BULKHEAD_FULL] * 3
    assert sent == [1, 1]
    assert kit.bulkhead.in_flight == 0
    assert kit.budget.tokens_milli == 10000


def test_a_classifier_that_fails_gives_the_slot_and_the_trial_back() -> None:
    class Broken(Classifier):
        def classify_result(self, result: str) -> AttemptVerdict:
            raise RuntimeError("classifier bug")

    kit = Kit(
        breaker=CircuitBreaker(breaker_settings(failure_threshold=1, half_open_max_calls=1)), bulkhead=bulkhead(1)
    )
    kit.breaker.allow(0).record(Outcome.FAILURE, 0)
    kit.time.now = BREAKER.recovery_timeout_ms
    broken = ResilientCall(
        kit.settings,
        kit.role,
        kit.breaker,
        kit.budget,
        kit.bulkhead,
        Broken(),
        clock=kit.time.clock,
        random=kit.draws,
        sleep=kit.time.sleep,
    )
    with pytest.raises(RuntimeError, match="classifier bug"):
        broken.call(kit.script((5, "ok")))
    assert kit.bulkhead.in_flight == 0
    # The single half-open trial is free again for a call with a working classifier.
    assert kit.sync().call(kit.script((5, "ok"))).error_class is None
    assert kit.breaker.state == "closed"
