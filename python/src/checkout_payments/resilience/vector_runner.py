"""Runs one conformance vector of tests/contracts/VECTORS.md through the real kernel: `run_vector`.

A vector is data; this file only translates it into kernel calls and compares what came back,
exactly (integers as integers, lists in order). An unknown topic, op or field fails the vector
rather than being skipped. Used by pytest (python/tests/resilience/) and by `vector_cli`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from checkout_payments.generated.timeout_config import CircuitBreakerSettings, RetryBudgetSettings, RetrySettings
from checkout_payments.resilience import vector_support as vs
from checkout_payments.resilience.backoff import backoff_delay_ms
from checkout_payments.resilience.breaker import CircuitBreaker, Permit, Transition
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.deadline import (
    attempt_cap_ms,
    attempt_timeout_ms,
    deadline_from_header,
    sleep_allowed,
)
from checkout_payments.resilience.errors import CircuitOpenError, ResilienceError
from checkout_payments.resilience.role import Role, is_retried
from checkout_payments.resilience.taxonomy import ErrorClass, Outcome
from checkout_payments.resilience.vector_call import run_call

TOPICS = ("backoff", "breaker", "budget", "deadline", "classification", "call")


def run_vector(vector: Mapping[str, Any], *, asynchronous: bool = False) -> list[str]:
    """The mismatches between the kernel and the vector's expectations; empty when the vector passes.

    `asynchronous` runs call vectors through `AsyncResilientCall` instead of `ResilientCall`.
    """
    try:
        topic = vector.get("topic") if isinstance(vector, Mapping) else None
        if topic not in _RUNNERS:
            raise vs.VectorError(f"unknown topic {topic!r} (expected one of {', '.join(TOPICS)})")
        if topic == "call":
            return run_call(vector, asynchronous=asynchronous)
        return _RUNNERS[topic](vector)
    except vs.VectorError as error:
        return [f"malformed vector: {error}"]


# --- backoff, budget, deadline, classification --------------------------------------------------


def _run_backoff(vector: Mapping[str, Any]) -> list[str]:
    vs.fields(vector, "vector", vs.COMMON | {"settings", "cases"})
    settings = vs.settings(RetrySettings, vector["settings"], "settings")
    mismatches = []
    for number, case in enumerate(vs.items(vector, "cases"), 1):
        vs.fields(case, f"case {number}", frozenset({"retry", "u", "expect"}))
        delay = backoff_delay_ms(case["retry"], settings, case["u"])
        mismatches += vs.compare(
            f"case {number} (retry {case['retry']}, u {case['u']})", {"delay_ms": delay}, case["expect"]
        )
    return mismatches


def _run_budget(vector: Mapping[str, Any]) -> list[str]:
    vs.fields(vector, "vector", vs.COMMON | {"settings", "steps"})
    budget = RetryBudget(vs.settings(RetryBudgetSettings, vector["settings"], "settings"))
    mismatches = []
    for number, step in enumerate(vs.items(vector, "steps"), 1):
        vs.fields(step, f"step {number}", frozenset({"op", "expect"}))
        op = step["op"]
        if op != "check":
            budget.record(vs.enum(Outcome, op, f"step {number} op"))
        actual = {"tokens_milli": budget.tokens_milli, "allow_retry": budget.allow_retry()}
        mismatches += vs.compare(f"step {number} ({op})", actual, step["expect"])
    return mismatches


_DEADLINE_SETTINGS = frozenset({"timeout_ms", "deadline_ms", "min_deadline_ms", "answer_margin_ms"})


def _run_deadline(vector: Mapping[str, Any]) -> list[str]:
    vs.fields(vector, "vector", vs.COMMON | {"settings", "cases"})
    settings = vs.fields(vector["settings"], "settings", _DEADLINE_SETTINGS)
    mismatches = []
    for number, case in enumerate(vs.items(vector, "cases"), 1):
        op = case.get("op") if isinstance(case, dict) else None
        where = f"case {number} ({op})"
        actual: dict[str, Any]
        try:
            actual = _deadline_case(op, case, settings, where)
        except ResilienceError as error:
            actual = {"error": error.error_class.value}
        mismatches += vs.compare(where, actual, case["expect"])
    return mismatches


def _deadline_case(op: Any, case: dict[str, Any], settings: dict[str, Any], where: str) -> dict[str, Any]:
    margin, floor = settings["answer_margin_ms"], settings["min_deadline_ms"]
    if op == "attempt_timeout":
        vs.fields(case, where, frozenset({"op", "now_ms", "deadline_at_ms", "expect"}), frozenset({"role"}))
        cap = _deadline_cap(case, settings, where)
        return {"timeout_ms": attempt_timeout_ms(case["now_ms"], case["deadline_at_ms"], cap, margin, floor)}
    if op == "from_header":
        vs.fields(case, where, frozenset({"op", "arrival_ms", "header", "expect"}))
        at = deadline_from_header(
            case["arrival_ms"], case["header"], settings["deadline_ms"], settings["min_deadline_ms"]
        )
        return {"deadline_at_ms": at}
    if op == "sleep_allowed":
        vs.fields(case, where, frozenset({"op", "now_ms", "delay_ms", "deadline_at_ms", "expect"}), frozenset({"role"}))
        cap = _deadline_cap(case, settings, where)
        return {"allowed": sleep_allowed(case["now_ms"], case["delay_ms"], case["deadline_at_ms"], cap, margin, floor)}
    raise vs.VectorError(f"{where}: unknown op {op!r}")


def _deadline_cap(case: dict[str, Any], settings: dict[str, Any], where: str) -> int:
    """The cap of the case's role (default origin): timeout_ms, or deadline_ms for a relay."""
    role = vs.enum(Role, case.get("role", "origin"), f"{where} role")
    return attempt_cap_ms(role, settings["timeout_ms"], settings["deadline_ms"])


def _run_classification(vector: Mapping[str, Any]) -> list[str]:
    vs.fields(vector, "vector", vs.COMMON | {"cases"})
    mismatches = []
    for number, case in enumerate(vs.items(vector, "cases"), 1):
        op = case.get("op") if isinstance(case, dict) else None
        where = f"case {number} ({op} {case.get('error_class') if isinstance(case, dict) else '?'})"
        actual: dict[str, Any]
        if op == "describe":
            vs.fields(case, where, frozenset({"op", "error_class", "expect"}))
            error_class = vs.enum(ErrorClass, case["error_class"], where)
            breaker = error_class.breaker
            actual = {
                "breaker": None if breaker is None else breaker.value,
                "retryable": error_class.retryable,
                "http_status": error_class.http_status,
            }
        elif op == "retried":
            vs.fields(case, where, frozenset({"op", "error_class", "role", "downstream_retryable", "expect"}))
            error_class = vs.enum(ErrorClass, case["error_class"], where)
            role = vs.enum(Role, case["role"], where)
            actual = {"retried": is_retried(error_class, role, case["downstream_retryable"])}
        else:
            raise vs.VectorError(f"{where}: unknown op {op!r}")
        mismatches += vs.compare(where, actual, case["expect"])
    return mismatches


# --- breaker -------------------------------------------------------------------------------------


def _event(transition: Transition) -> dict[str, Any]:
    return {
        "from": transition.from_state.value,
        "to": transition.to_state.value,
        "generation": transition.generation,
        "at_ms": transition.at_ms,
    }


def _admit(breaker: CircuitBreaker, at: int, actual: dict[str, Any]) -> Permit | None:
    try:
        permit = breaker.allow(at)
    except ResilienceError as rejection:
        actual.update(admitted=False, error=rejection.error_class.value)
        if isinstance(rejection, CircuitOpenError):
            actual["retry_after_ms"] = rejection.retry_after_ms
        return None
    actual["admitted"] = True
    return permit


def _run_breaker(vector: Mapping[str, Any]) -> list[str]:
    vs.fields(vector, "vector", vs.COMMON | {"settings", "steps"})
    events: list[Transition] = []
    breaker = CircuitBreaker(vs.settings(CircuitBreakerSettings, vector["settings"], "settings"), events.append)
    permits: dict[str, Permit] = {}
    mismatches = []
    for number, step in enumerate(vs.items(vector, "steps"), 1):
        kinds = [kind for kind in ("allow", "record", "call") if isinstance(step, dict) and kind in step]
        if len(kinds) != 1:
            raise vs.VectorError(f"step {number}: needs exactly one of allow, record, call")
        kind = kinds[0]
        vs.fields(step, f"step {number}", frozenset({"at_ms", kind, "expect"}))
        at, where = step["at_ms"], f"step {number} ({kind} at {step['at_ms']})"
        events.clear()
        actual: dict[str, Any] = {}
        if kind == "allow":
            label = vs.fields(step["allow"], f"{where} allow", frozenset(), frozenset({"as"})).get("as")
            permit = _admit(breaker, at, actual)
            if label is not None and permit is not None:
                permits[label] = permit
        elif kind == "record":
            record = vs.fields(step["record"], f"{where} record", frozenset({"permit", "outcome"}))
            if record["permit"] not in permits:
                raise vs.VectorError(f"{where}: no admitted allow step labelled {record['permit']!r}")
            outcome = vs.enum(Outcome, record["outcome"], where)
            actual["applied"] = permits[record["permit"]].record(outcome, at)
        else:
            outcome = vs.enum(Outcome, step["call"], where)
            permit = _admit(breaker, at, actual)
            if permit is not None:
                actual["applied"] = permit.record(outcome, at)
        actual.update(state=breaker.state.value, generation=breaker.generation, events=[_event(e) for e in events])
        mismatches += vs.compare(where, actual, step["expect"])
    return mismatches


_RUNNERS: dict[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "backoff": _run_backoff,
    "breaker": _run_breaker,
    "budget": _run_budget,
    "deadline": _run_deadline,
    "classification": _run_classification,
    "call": lambda vector: run_call(vector, asynchronous=False),
}
