"""Runs one vector of tests/contracts/VECTORS.md through the real kernel: `run_vector`.

The vector is validated against tests/contracts/vector.schema.json first; a vector that passes is
trusted for its shape, so this module only translates it into kernel calls and compares what came
back exactly (integers as integers, lists in order).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from checkout_payments.conformance.call_vector import run_call
from checkout_payments.conformance.compare import Json, compare
from checkout_payments.conformance.upstream_vector import run_upstream
from checkout_payments.generated.timeout_config import (
    BulkheadSettings,
    CircuitBreakerSettings,
    RetryBudgetSettings,
    RetrySettings,
)
from checkout_payments.resilience import (
    Bulkhead,
    BulkheadSlot,
    CircuitBreaker,
    CircuitOpenError,
    ErrorClass,
    Outcome,
    Permit,
    ResilienceError,
    RetryBudget,
    Role,
    attempt_cap_ms,
    attempt_timeout_ms,
    backoff_delay_ms,
    deadline_from_header,
    is_retried,
    sleep_allowed,
)

SCHEMA_PATH = Path(__file__).resolve().parents[4] / "tests" / "contracts" / "vector.schema.json"


@cache
def _schema() -> Json:
    schema: Json = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def topics() -> tuple[str, ...]:
    """The vector topics, one folder each: vector.schema.json's `properties.topic.enum` (the one list)."""
    return tuple(_schema()["properties"]["topic"]["enum"])


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


def schema_errors(vector: Any) -> list[str]:
    """What vector.schema.json says is wrong with the vector, each at its JSON Pointer."""
    found = sorted(_validator().iter_errors(vector), key=lambda e: list(map(str, e.absolute_path)))
    return [f"malformed vector: {''.join(f'/{p}' for p in e.absolute_path) or '/'}: {e.message}" for e in found]


def run_vector(vector: Any, *, asynchronous: bool = False) -> list[str]:
    """The mismatches between the kernel and the vector; empty when it passes.

    `asynchronous` runs call and upstream vectors through `AsyncResilientCall` instead of `ResilientCall`.
    """
    errors = schema_errors(vector)
    if errors:
        return errors
    topic = vector["topic"]
    if topic == "call":
        return run_call(vector, asynchronous=asynchronous)
    if topic == "upstream":
        return run_upstream(vector, asynchronous=asynchronous)
    runner = _RUNNERS.get(topic)
    if runner is None:
        # A topic the schema lists but this runner does not know yet: the vector fails, the run goes on.
        return [f"topic {topic}: this runner has no runner for it"]
    return runner(vector)


def _backoff(vector: Json) -> list[str]:
    settings = RetrySettings.model_validate(vector["settings"])
    return [
        mismatch
        for n, case in enumerate(vector["cases"], 1)
        for mismatch in compare(
            f"case {n} (retry {case['retry']}, u {case['u']})",
            {"delay_ms": backoff_delay_ms(case["retry"], settings, case["u"])},
            case["expect"],
        )
    ]


def _budget(vector: Json) -> list[str]:
    budget = RetryBudget(RetryBudgetSettings.model_validate(vector["settings"]))
    mismatches = []
    for n, step in enumerate(vector["steps"], 1):
        if step["op"] != "check":
            budget.record(Outcome(step["op"]))
        actual = {"tokens_milli": budget.tokens_milli, "allow_retry": budget.allow_retry()}
        mismatches += compare(f"step {n} ({step['op']})", actual, step["expect"])
    return mismatches


def _deadline(vector: Json) -> list[str]:
    s = vector["settings"]
    mismatches = []
    for n, case in enumerate(vector["cases"], 1):
        cap = attempt_cap_ms(Role(case.get("role", "origin")), s["timeout_ms"], s["deadline_ms"])
        margin, floor = s["answer_margin_ms"], s["min_deadline_ms"]
        actual: Json
        try:
            if case["op"] == "attempt_timeout":
                actual = {"timeout_ms": attempt_timeout_ms(case["now_ms"], case["deadline_at_ms"], cap, margin, floor)}
            elif case["op"] == "from_header":
                at = deadline_from_header(case["arrival_ms"], case["header"], s["deadline_ms"], floor)
                actual = {"deadline_at_ms": at}
            else:
                now, delay, at = case["now_ms"], case["delay_ms"], case["deadline_at_ms"]
                actual = {"allowed": sleep_allowed(now, delay, at, cap, margin, floor)}
        except ResilienceError as error:
            actual = {"error": error.error_class.value}
        mismatches += compare(f"case {n} ({case['op']})", actual, case["expect"])
    return mismatches


def _classification(vector: Json) -> list[str]:
    mismatches = []
    for n, case in enumerate(vector["cases"], 1):
        error_class = ErrorClass(case["error_class"])
        if case["op"] == "describe":
            breaker = error_class.breaker
            actual: Json = {
                "breaker": None if breaker is None else breaker.value,
                "retryable": error_class.retryable,
                "http_status": error_class.http_status,
            }
        else:
            actual = {"retried": is_retried(error_class, Role(case["role"]), case["downstream_retryable"])}
        mismatches += compare(f"case {n} ({case['op']} {error_class})", actual, case["expect"])
    return mismatches


def _breaker(vector: Json) -> list[str]:
    events: list[Any] = []
    breaker = CircuitBreaker(CircuitBreakerSettings.model_validate(vector["settings"]), events.append)
    permits: dict[str, Permit] = {}
    mismatches = []

    def admit(at: int, actual: Json) -> Permit | None:
        try:
            permit = breaker.allow(at)
        except ResilienceError as rejection:
            actual.update(admitted=False, error=rejection.error_class.value)
            if isinstance(rejection, CircuitOpenError):
                actual["retry_after_ms"] = rejection.retry_after_ms
            return None
        actual["admitted"] = True
        return permit

    for n, step in enumerate(vector["steps"], 1):
        kind = next(k for k in ("allow", "record", "call") if k in step)
        at, actual = step["at_ms"], dict[str, Any]()
        events.clear()
        if kind == "allow":
            permit = admit(at, actual)
            if permit is not None and "as" in step["allow"]:
                permits[step["allow"]["as"]] = permit
        elif kind == "record":
            actual["applied"] = permits[step["record"]["permit"]].record(Outcome(step["record"]["outcome"]), at)
        elif (permit := admit(at, actual)) is not None:
            actual["applied"] = permit.record(Outcome(step["call"]), at)
        actual.update(
            state=breaker.state.value,
            generation=breaker.generation,
            events=[
                {"from": e.from_state.value, "to": e.to_state.value, "generation": e.generation, "at_ms": e.at_ms}
                for e in events
            ],
        )
        mismatches += compare(f"step {n} ({kind} at {at})", actual, step["expect"])
    return mismatches


def _bulkhead(vector: Json) -> list[str]:
    bulkhead = Bulkhead(BulkheadSettings.model_validate(vector["settings"]))
    slots: dict[str, BulkheadSlot] = {}
    mismatches = []
    for n, step in enumerate(vector["steps"], 1):
        actual: Json
        if "acquire" in step:
            slot = bulkhead.try_acquire()
            if slot is not None:
                slots[step["acquire"]] = slot
            actual, kind = {"granted": slot is not None}, f"acquire {step['acquire']}"
        elif "release" in step:
            actual, kind = {"applied": slots[step["release"]].release()}, f"release {step['release']}"
        else:
            bulkhead.resize(BulkheadSettings.model_validate(step["resize"]))
            actual, kind = {}, f"resize to {step['resize']['max_concurrent']}"
        actual["in_flight"] = bulkhead.in_flight
        mismatches += compare(f"step {n} ({kind})", actual, step["expect"])
    return mismatches


_RUNNERS: dict[str, Callable[[Json], list[str]]] = {
    "backoff": _backoff,
    "breaker": _breaker,
    "budget": _budget,
    "deadline": _deadline,
    "classification": _classification,
    "bulkhead": _bulkhead,
}
