"""Runs one conformance vector of tests/contracts/VECTORS.md through the real kernel: `run_vector`.

A vector is data; this file only translates it into kernel calls and compares what came back,
exactly (integers as integers, lists in order). An unknown topic, op or field fails the vector
rather than being skipped. Used by pytest (python/tests/resilience/) and by `vector_cli`.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from checkout_payments.generated.timeout_config import CircuitBreakerSettings, RetryBudgetSettings, RetrySettings
from checkout_payments.resilience.backoff import backoff_delay_ms
from checkout_payments.resilience.breaker import CircuitBreaker, Permit, Transition
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.call import AsyncResilientCall, Attempt, AttemptVerdict, CallResult, ResilientCall
from checkout_payments.resilience.deadline import attempt_timeout_ms, deadline_from_header, sleep_allowed
from checkout_payments.resilience.errors import CircuitOpenError, ResilienceError
from checkout_payments.resilience.role import Role, is_retried
from checkout_payments.resilience.taxonomy import ErrorClass, Outcome

TOPICS = ("backoff", "breaker", "budget", "deadline", "classification", "call")
_COMMON = frozenset({"id", "description", "topic"})


class VectorError(Exception):
    """The vector is not one this runner can execute: an unknown topic, op or field, or a broken reference."""


def run_vector(vector: Mapping[str, Any], *, asynchronous: bool = False) -> list[str]:
    """The mismatches between the kernel and the vector's expectations; empty when the vector passes.

    `asynchronous` runs call vectors through `AsyncResilientCall` instead of `ResilientCall`.
    """
    try:
        topic = vector.get("topic") if isinstance(vector, Mapping) else None
        if topic not in _RUNNERS:
            raise VectorError(f"unknown topic {topic!r} (expected one of {', '.join(TOPICS)})")
        if topic == "call":
            return _run_call(vector, asynchronous)
        return _RUNNERS[topic](vector)
    except VectorError as error:
        return [f"malformed vector: {error}"]


# --- comparing -----------------------------------------------------------------------------------


def _same(actual: Any, expected: Any) -> bool:
    """JSON equality that tells 1 from 1.0 and from true."""
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(_same(actual[k], expected[k]) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_same(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return type(actual) is type(expected) and actual == expected


def _compare(where: str, actual: Mapping[str, Any], expected: Any) -> list[str]:
    if not isinstance(expected, dict):
        raise VectorError(f"{where}: expect is not an object")
    mismatches = []
    for key in [*expected, *(k for k in actual if k not in expected)]:
        if key not in actual:
            raise VectorError(f"{where}: unknown expect field {key!r}")
        if key not in expected:
            mismatches.append(f"{where}: {key} is {_show(actual[key])}, which the vector does not expect")
        elif not _same(actual[key], expected[key]):
            mismatches.append(f"{where}: {key} is {_show(actual[key])}, expected {_show(expected[key])}")
    return mismatches


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _fields(obj: Any, where: str, required: frozenset[str], optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise VectorError(f"{where} is not an object")
    missing = required - obj.keys()
    unknown = obj.keys() - required - optional
    if missing or unknown:
        listed = [f"missing {', '.join(sorted(missing))}"] if missing else []
        listed += [f"unknown {', '.join(sorted(unknown))}"] if unknown else []
        raise VectorError(f"{where}: {'; '.join(listed)}")
    return obj


def _settings(model: Callable[..., Any], value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise VectorError(f"{where} is not an object")
    try:
        return model(**value)
    except ValidationError as error:
        raise VectorError(f"{where}: {error}") from error


def _enum(kind: Callable[[Any], Any], value: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError as error:
        raise VectorError(f"{where}: {error}") from error


def _items(vector: Mapping[str, Any], key: str) -> list[Any]:
    items = vector[key]
    if not isinstance(items, list) or not items:
        raise VectorError(f"{key} is not a non-empty list")
    return items


# --- backoff, budget, deadline, classification --------------------------------------------------


def _run_backoff(vector: Mapping[str, Any]) -> list[str]:
    _fields(vector, "vector", _COMMON | {"settings", "cases"})
    settings = _settings(RetrySettings, vector["settings"], "settings")
    mismatches = []
    for number, case in enumerate(_items(vector, "cases"), 1):
        _fields(case, f"case {number}", frozenset({"retry", "u", "expect"}))
        delay = backoff_delay_ms(case["retry"], settings, case["u"])
        mismatches += _compare(
            f"case {number} (retry {case['retry']}, u {case['u']})", {"delay_ms": delay}, case["expect"]
        )
    return mismatches


def _run_budget(vector: Mapping[str, Any]) -> list[str]:
    _fields(vector, "vector", _COMMON | {"settings", "steps"})
    budget = RetryBudget(_settings(RetryBudgetSettings, vector["settings"], "settings"))
    mismatches = []
    for number, step in enumerate(_items(vector, "steps"), 1):
        _fields(step, f"step {number}", frozenset({"op", "expect"}))
        op = step["op"]
        if op != "check":
            budget.record(_enum(Outcome, op, f"step {number} op"))
        actual = {"tokens_milli": budget.tokens_milli, "allow_retry": budget.allow_retry()}
        mismatches += _compare(f"step {number} ({op})", actual, step["expect"])
    return mismatches


def _run_deadline(vector: Mapping[str, Any]) -> list[str]:
    _fields(vector, "vector", _COMMON | {"settings", "cases"})
    settings = _fields(vector["settings"], "settings", frozenset({"timeout_ms", "deadline_ms"}))
    mismatches = []
    for number, case in enumerate(_items(vector, "cases"), 1):
        op = case.get("op") if isinstance(case, dict) else None
        where = f"case {number} ({op})"
        actual: dict[str, Any]
        if op == "attempt_timeout":
            _fields(case, where, frozenset({"op", "now_ms", "deadline_at_ms", "expect"}))
            try:
                actual = {
                    "timeout_ms": attempt_timeout_ms(case["now_ms"], case["deadline_at_ms"], settings["timeout_ms"])
                }
            except ResilienceError as error:
                actual = {"error": error.error_class.value}
        elif op == "from_header":
            _fields(case, where, frozenset({"op", "arrival_ms", "header", "expect"}))
            try:
                at = deadline_from_header(case["arrival_ms"], case["header"], settings["deadline_ms"])
                actual = {"deadline_at_ms": at}
            except ResilienceError as error:
                actual = {"error": error.error_class.value}
        elif op == "sleep_allowed":
            _fields(case, where, frozenset({"op", "now_ms", "delay_ms", "deadline_at_ms", "expect"}))
            actual = {"allowed": sleep_allowed(case["now_ms"], case["delay_ms"], case["deadline_at_ms"])}
        else:
            raise VectorError(f"{where}: unknown op {op!r}")
        mismatches += _compare(where, actual, case["expect"])
    return mismatches


def _run_classification(vector: Mapping[str, Any]) -> list[str]:
    _fields(vector, "vector", _COMMON | {"cases"})
    mismatches = []
    for number, case in enumerate(_items(vector, "cases"), 1):
        op = case.get("op") if isinstance(case, dict) else None
        where = f"case {number} ({op} {case.get('error_class') if isinstance(case, dict) else '?'})"
        actual: dict[str, Any]
        if op == "describe":
            _fields(case, where, frozenset({"op", "error_class", "expect"}))
            error_class = _enum(ErrorClass, case["error_class"], where)
            breaker = error_class.breaker
            actual = {
                "breaker": None if breaker is None else breaker.value,
                "retryable": error_class.retryable,
                "http_status": error_class.http_status,
            }
        elif op == "retried":
            _fields(case, where, frozenset({"op", "error_class", "role", "downstream_retryable", "expect"}))
            error_class = _enum(ErrorClass, case["error_class"], where)
            role = _enum(Role, case["role"], where)
            actual = {"retried": is_retried(error_class, role, case["downstream_retryable"])}
        else:
            raise VectorError(f"{where}: unknown op {op!r}")
        mismatches += _compare(where, actual, case["expect"])
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
    _fields(vector, "vector", _COMMON | {"settings", "steps"})
    events: list[Transition] = []
    breaker = CircuitBreaker(_settings(CircuitBreakerSettings, vector["settings"], "settings"), events.append)
    permits: dict[str, Permit] = {}
    mismatches = []
    for number, step in enumerate(_items(vector, "steps"), 1):
        kinds = [kind for kind in ("allow", "record", "call") if isinstance(step, dict) and kind in step]
        if len(kinds) != 1:
            raise VectorError(f"step {number}: needs exactly one of allow, record, call")
        kind = kinds[0]
        _fields(step, f"step {number}", frozenset({"at_ms", kind, "expect"}))
        at, where = step["at_ms"], f"step {number} ({kind} at {step['at_ms']})"
        events.clear()
        actual: dict[str, Any] = {}
        if kind == "allow":
            label = _fields(step["allow"], f"{where} allow", frozenset(), frozenset({"as"})).get("as")
            permit = _admit(breaker, at, actual)
            if label is not None and permit is not None:
                permits[label] = permit
        elif kind == "record":
            record = _fields(step["record"], f"{where} record", frozenset({"permit", "outcome"}))
            if record["permit"] not in permits:
                raise VectorError(f"{where}: no admitted allow step labelled {record['permit']!r}")
            outcome = _enum(Outcome, record["outcome"], where)
            actual["applied"] = permits[record["permit"]].record(outcome, at)
        else:
            outcome = _enum(Outcome, step["call"], where)
            permit = _admit(breaker, at, actual)
            if permit is not None:
                actual["applied"] = permit.record(outcome, at)
        actual.update(state=breaker.state.value, generation=breaker.generation, events=[_event(e) for e in events])
        mismatches += _compare(where, actual, step["expect"])
    return mismatches


# --- call ----------------------------------------------------------------------------------------


class _ScriptError(Exception):
    """The kernel did something the vector's script cannot answer: an unlisted attempt, one draw too many."""


@dataclass(frozen=True)
class _CallSettings:
    timeout_ms: int
    deadline_ms: int
    retry: RetrySettings


class _FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


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

    def __init__(self, attempts: list[dict[str, Any]], clock: _FakeClock) -> None:
        self._attempts = attempts
        self._clock = clock
        self.used = 0

    def __call__(self, attempt: Attempt) -> _Answer:
        if self.used == len(self._attempts):
            raise _ScriptError(f"the kernel ran attempt {attempt.number}, but the call lists {len(self._attempts)}")
        scripted = self._attempts[self.used]
        self.used += 1
        if attempt.number != self.used:
            raise _ScriptError(f"the kernel numbered attempt {self.used} as {attempt.number}")
        if scripted["duration_ms"] < attempt.timeout_ms:
            self._clock.now += scripted["duration_ms"]
            return scripted["result"], scripted.get("retryable")
        # The attempt's own timeout ran out, as an HTTP client would report it; the kernel itself
        # turns it into DEADLINE_EXCEEDED when the deadline had cut that timeout (SEMANTICS.md §5).
        self._clock.now += attempt.timeout_ms
        return ErrorClass.TIMEOUT.value, None

    async def answer(self, attempt: Attempt) -> _Answer:
        return self(attempt)

    def classify_result(self, result: _Answer) -> AttemptVerdict:
        name, retryable = result
        return AttemptVerdict(None if name == "success" else ErrorClass(name), retryable)

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        return None


_ATTEMPT_FIELDS = frozenset({"duration_ms", "result"})


def _run_call(vector: Mapping[str, Any], asynchronous: bool) -> list[str]:
    _fields(vector, "vector", _COMMON | {"settings", "role", "draws", "calls"})
    given = _fields(
        vector["settings"],
        "settings",
        frozenset({"timeout_ms", "deadline_ms", "retry", "circuit_breaker", "retry_budget"}),
    )
    settings = _CallSettings(
        given["timeout_ms"], given["deadline_ms"], _settings(RetrySettings, given["retry"], "settings.retry")
    )
    breaker = CircuitBreaker(_settings(CircuitBreakerSettings, given["circuit_breaker"], "settings.circuit_breaker"))
    budget = RetryBudget(_settings(RetryBudgetSettings, given["retry_budget"], "settings.retry_budget"))
    role = _enum(Role, vector["role"], "role")
    clock, draws = _FakeClock(), _Draws(list(vector["draws"]))

    def sleep(ms: int) -> None:
        clock.now += ms

    async def sleep_async(ms: int) -> None:
        clock.now += ms

    mismatches: list[str] = []
    for number, call in enumerate(_items(vector, "calls"), 1):
        _fields(call, f"call {number}", frozenset({"start_ms", "attempts", "expect"}), frozenset({"deadline_at_ms"}))
        where = f"call {number} (start {call['start_ms']})"
        for index, scripted in enumerate(call["attempts"], 1):
            _fields(scripted, f"{where} attempt {index}", _ATTEMPT_FIELDS, frozenset({"retryable"}))
            if scripted["result"] != "success":
                _enum(ErrorClass, scripted["result"], f"{where} attempt {index}")
        if call["start_ms"] < clock.now:
            raise VectorError(f"{where}: starts before the previous call ended at {clock.now}")
        clock.now = call["start_ms"]
        upstream = _Upstream(call["attempts"], clock)
        deadline_at = call.get("deadline_at_ms")
        try:
            result: CallResult[_Answer]
            if asynchronous:
                loop = AsyncResilientCall(
                    settings, role, breaker, budget, upstream, clock=clock, rand=draws, sleep=sleep_async
                )
                result = asyncio.run(loop.call(upstream.answer, deadline_at))
            else:
                sync = ResilientCall(settings, role, breaker, budget, upstream, clock=clock, rand=draws, sleep=sleep)
                result = sync.call(upstream, deadline_at)
        except _ScriptError as error:
            return [*mismatches, f"{where}: {error}"]
        if upstream.used < len(call["attempts"]):
            mismatches.append(f"{where}: the kernel ran {upstream.used} of the {len(call['attempts'])} listed attempts")
        actual = {
            "result": result.outcome,
            "attempts": result.attempts,
            "sleeps_ms": list(result.sleeps_ms),
            "end_ms": clock.now,
            "breaker_state": breaker.state.value,
            "breaker_generation": breaker.generation,
            "tokens_milli": budget.tokens_milli,
            "draws_used": draws.used,
        }
        mismatches += _compare(where, actual, call["expect"])
    return mismatches


_RUNNERS: dict[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "backoff": _run_backoff,
    "breaker": _run_breaker,
    "budget": _run_budget,
    "deadline": _run_deadline,
    "classification": _run_classification,
    "call": lambda vector: _run_call(vector, False),
}
