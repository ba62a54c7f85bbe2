"""The upstream (SEMANTICS.md §11) beyond the vectors: per-operation policies, reconfigure, transitions, async."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from kernel_support import Classifier, Draws, FakeTime, Script, UpstreamError

from checkout_payments.config import load_config
from checkout_payments.generated.timeout_config import PaymentSettings
from checkout_payments.resilience import (
    OPERATIONS,
    AsyncUpstream,
    AttemptContext,
    BreakerState,
    ErrorClass,
    Operation,
    OperationPolicy,
    Role,
    Transition,
    Upstream,
)

SHIPPED = load_config(Path(__file__).resolve().parents[3] / "config" / "timeout.json").settings.payment
CLASSIFIERS = dict.fromkeys(OPERATIONS, Classifier())


def payment(changes: dict[str, Any] | None = None, lookup: dict[str, Any] | None = None) -> PaymentSettings:
    """The shipped `payment` section with `changes` merged in (one level deep), and `lookup`'s into its lookup."""
    document = SHIPPED.model_dump()
    for name, value in (changes or {}).items():
        document[name] = {**document[name], **value} if isinstance(value, dict) else value
    for name, value in (lookup or {}).items():
        inner = document["lookup"]
        inner[name] = {**inner[name], **value} if isinstance(value, dict) else value
    return PaymentSettings.model_validate(document)


def upstream(settings: PaymentSettings, time: FakeTime, events: list[tuple[Operation, Transition]]) -> Upstream[str]:
    return Upstream(
        settings,
        Role.ORIGIN,
        CLASSIFIERS,
        clock=time.clock,
        random=Draws(),
        sleep=time.sleep,
        on_transition=lambda operation, event: events.append((operation, event)),
    )


def failing(time: FakeTime, n: int = 1) -> Script:
    return Script(time, [(10, UpstreamError(ErrorClass.CONNECTION))] * n)


def test_lookup_failures_open_only_the_lookup_breaker_and_spend_only_the_lookup_budget() -> None:
    time, events = FakeTime(), []
    calls = upstream(payment(lookup={"retry": {"max_attempts": 1}}), time, events)
    for _ in range(SHIPPED.lookup.circuit_breaker.failure_threshold):
        assert calls.lookup.call(failing(time)).error_class is ErrorClass.CONNECTION
    assert calls.lookup.breaker.state is BreakerState.OPEN
    assert calls.lookup.budget.tokens_milli == 5000
    assert calls.lookup.call(Script(time, [])).error_class is ErrorClass.CIRCUIT_OPEN

    charge = Script(time, [(10, "ok")])
    assert calls.charge.call(charge).error_class is None
    assert (calls.charge.breaker.state, calls.charge.budget.tokens_milli) == (BreakerState.CLOSED, 10000)
    assert [operation for operation, _ in events] == ["lookup"]
    # Each operation's attempt gets its own timeout and header.
    assert charge.seen[0] == AttemptContext(1, SHIPPED.timeout_ms, SHIPPED.timeout_ms - SHIPPED.answer_margin_ms)


def test_reconfigure_keeps_an_open_breaker_open_and_rebuilds_one_whose_settings_changed() -> None:
    time, events = FakeTime(), []
    calls = upstream(payment({"circuit_breaker": {"failure_threshold": 1}, "retry": {"max_attempts": 1}}), time, events)
    calls.charge.call(failing(time))
    breaker, budget = calls.charge.breaker, calls.charge.budget
    assert breaker.state is BreakerState.OPEN

    # Another timeout, the same breaker and budget settings: both objects stay, the breaker open.
    calls.reconfigure(
        payment({"circuit_breaker": {"failure_threshold": 1}, "retry": {"max_attempts": 1}, "timeout_ms": 15000})
    )
    assert calls.charge.breaker is breaker
    assert calls.charge.budget is budget
    assert calls.charge.call(Script(time, [])).error_class is ErrorClass.CIRCUIT_OPEN
    assert calls.payment.timeout_ms == 15000

    calls.reconfigure(payment({"circuit_breaker": {"failure_threshold": 2}, "retry_budget": {"max_tokens": 20}}))
    assert (calls.charge.breaker.state, calls.charge.breaker.generation) == (BreakerState.CLOSED, 0)
    assert calls.charge.budget.tokens_milli == 20000
    # The new breaker reports its transitions too, still named after its operation.
    calls.charge.call(failing(time, 3))
    assert calls.charge.breaker.state is BreakerState.OPEN
    assert [(operation, event.to_state) for operation, event in events] == [
        ("charge", BreakerState.OPEN),
        ("charge", BreakerState.OPEN),
    ]


def test_a_running_call_keeps_its_policy_while_the_bulkhead_is_resized_in_place() -> None:
    time, events = FakeTime(), []
    calls = upstream(payment(), time, events)
    started_on, bulkhead = calls.charge, calls.charge.bulkhead
    seen: list[tuple[int, int, int]] = []

    def attempt(context: AttemptContext) -> str:
        seen.append((context.number, context.timeout_ms, bulkhead.in_flight))
        if context.number == 1:
            calls.reconfigure(payment({"timeout_ms": 15000, "bulkhead": {"max_concurrent": 1}}))
            time.now += 10
            raise UpstreamError(ErrorClass.CONNECTION)
        time.now += 10
        return "ok"

    assert started_on.call(attempt).error_class is None
    # The retry kept the old 20 s timeout; the slot it held while the limit dropped to 1 counted.
    assert seen == [(1, 20000, 1), (2, 20000, 1)]
    assert calls.charge is not started_on
    assert calls.charge.bulkhead is bulkhead
    assert (bulkhead.max_concurrent, bulkhead.in_flight) == (1, 0)
    after = Script(time, [(10, "ok")])
    calls.charge.call(after)
    assert after.seen[0].timeout_ms == 15000


def test_the_lookup_policy_is_payment_lookup_with_the_hops_floor_and_margin() -> None:
    settings = payment({"min_deadline_ms": 900, "answer_margin_ms": 400})
    policy = OperationPolicy.of(settings, "lookup")
    lookup = settings.lookup
    assert (policy.timeout_ms, policy.deadline_ms, policy.provider_expected_p99_ms) == (
        lookup.timeout_ms,
        lookup.deadline_ms,
        lookup.provider_expected_p99_ms,
    )
    assert (policy.min_deadline_ms, policy.answer_margin_ms) == (900, 400)
    assert (policy.retry, policy.circuit_breaker, policy.retry_budget, policy.bulkhead) == (
        lookup.retry,
        lookup.circuit_breaker,
        lookup.retry_budget,
        lookup.bulkhead,
    )
    assert OperationPolicy.of(settings, "charge").bulkhead == settings.bulkhead


def test_the_async_upstream_runs_each_operation_on_its_own_policy() -> None:
    time = FakeTime()
    calls: AsyncUpstream[str] = AsyncUpstream(
        payment(), Role.ORIGIN, CLASSIFIERS, clock=time.clock, random=Draws(), sleep=time.sleep_async
    )
    lookup = Script(time, [(10, UpstreamError(ErrorClass.CONNECTION)), (10, "ok")])
    result = asyncio.run(calls.lookup.call(lookup.run_async))
    assert (result.error_class, result.sleeps_ms) == (None, (625,))
    assert [context.timeout_ms for context in lookup.seen] == [SHIPPED.lookup.timeout_ms] * 2
    assert calls.operation("lookup") is calls.lookup
    assert (calls.charge.budget.tokens_milli, calls.lookup.budget.tokens_milli) == (10000, 9100)
