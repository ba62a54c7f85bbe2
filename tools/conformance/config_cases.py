"""`python -m tools.conformance.config_cases [--check]`: write (or drift-check) tests/contracts/config/*.json.

Each case is a change to one of two literal documents plus its expected verdict, written out by
hand: the cases are data that every loader is held to, so no loader computes them.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.conformance.cases import CONFIG_CASES_DIR

# config/timeout.json as the incident fix shipped it; copied so a config change cannot move the cases.
BASE: dict[str, Any] = {
    "version": "2026.11.28-incident-fix",
    "payment": {
        "timeout_ms": 20000,
        "deadline_ms": 70000,
        "provider_expected_p99_ms": 19000,
        "retry": {
            "max_attempts": 3,
            "base_delay_ms": 2000,
            "backoff_multiplier": 2,
            "jitter_ms": 500,
            "max_delay_ms": 8000,
        },
        "circuit_breaker": {
            "enabled": True,
            "failure_threshold": 5,
            "recovery_timeout_ms": 60000,
            "half_open_max_calls": 3,
        },
        "retry_budget": {"max_tokens": 10, "token_ratio": 0.1},
    },
    "database": {"pool": {"max_connections": 50, "acquire_timeout_ms": 15000, "idle_timeout_ms": 30000}},
    "monitoring": {
        "pool_check_interval_ms": 30000,
        "pool_utilization_warn": 0.8,
        "pool_utilization_critical": 0.9,
        "error_rate_threshold": 0.02,
        "payment_timeout_rate_threshold": 0.01,
    },
    "order_service": {"reconcile_interval_ms": 30000, "legacy_hold_connection_during_payment": False},
    "lambda": {"safety_margin_ms": 2000},
}
# Base worst case of one call: 3 x 20000 + (2000 + 500) + (4000 + 500) = 67000 <= deadline 70000.

# Every setting at its lower bound (just above it where the bound is exclusive), lint-clean.
MINIMAL: dict[str, Any] = {
    "version": "a",
    "payment": {
        "timeout_ms": 1,
        "deadline_ms": 2,
        "provider_expected_p99_ms": 1,
        "retry": {"max_attempts": 1, "base_delay_ms": 1, "backoff_multiplier": 1, "jitter_ms": 0, "max_delay_ms": 1},
        "circuit_breaker": {
            "enabled": True,
            "failure_threshold": 1,
            "recovery_timeout_ms": 1,
            "half_open_max_calls": 1,
        },
        "retry_budget": {"max_tokens": 1, "token_ratio": 0.001},
    },
    "database": {"pool": {"max_connections": 1, "acquire_timeout_ms": 1, "idle_timeout_ms": 1}},
    "monitoring": {
        "pool_check_interval_ms": 1,
        "pool_utilization_warn": 0.001,
        "pool_utilization_critical": 0.002,
        "error_rate_threshold": 0.001,
        "payment_timeout_rate_threshold": 0.001,
    },
    "order_service": {"reconcile_interval_ms": 1, "legacy_hold_connection_during_payment": False},
    "lambda": {"safety_margin_ms": 1},
}

# config/examples/pre-incident.json: the 5 s timeout of the incident.
PRE_INCIDENT = copy.deepcopy(BASE)
PRE_INCIDENT["version"] = "2026.11.incident-5s"
PRE_INCIDENT["payment"].update(timeout_ms=5000, deadline_ms=20000)
PRE_INCIDENT["payment"]["retry"].update(base_delay_ms=1000, backoff_multiplier=1, jitter_ms=0, max_delay_ms=1000)
PRE_INCIDENT["payment"]["circuit_breaker"]["enabled"] = False
PRE_INCIDENT["database"]["pool"].update(max_connections=20, acquire_timeout_ms=5000)

DROP = object()  # a change that removes the member

RETRY = "/payment/retry"
BREAKER = "/payment/circuit_breaker"
BUDGET = "/payment/retry_budget"
POOL = "/database/pool"
MON = "/monitoring"
LEGACY_HOLD = "/order_service/legacy_hold_connection_during_payment"


@dataclass(frozen=True)
class Case:
    id: str
    description: str
    document: Any
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    document_text: str | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "description": self.description}
        if self.document_text is None:
            body["document"] = self.document
        else:
            body["document_text"] = self.document_text
        body["expect"] = {"valid": not self.errors, "errors": sorted(self.errors), "warnings": sorted(self.warnings)}
        return body


def changed(changes: dict[str, Any], base: dict[str, Any] = BASE) -> dict[str, Any]:
    """A deep copy of `base` with each JSON Pointer set to its value (or removed for DROP)."""
    document = copy.deepcopy(base)
    for pointer, value in changes.items():
        *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
        target = document
        for part in parents:
            target = target[part]
        if value is DROP:
            del target[last]
        else:
            target[last] = value
    return document


def valid(id: str, description: str, changes: dict[str, Any], warnings: tuple[str, ...] = ()) -> Case:
    return Case(id, description, changed(changes), warnings=warnings)


def invalid(id: str, description: str, changes: dict[str, Any], *errors: str, warnings: tuple[str, ...] = ()) -> Case:
    return Case(id, description, changed(changes), errors=errors, warnings=warnings)


def text_case(id: str, description: str, text: str, *errors: str) -> Case:
    return Case(id, description, None, errors=errors, document_text=text)


def _base_text(old: str, new: str) -> str:
    text = json.dumps(BASE, indent=2)
    assert text.count(old) == 1, old
    return text.replace(old, new)


def bounds(pointer: str, low: Any, high: Any, what: str) -> list[Case]:
    """The values just past each bound of a setting are refused by the schema alone."""
    name = "-".join(pointer.split("/")[-2:]).replace("_", "-")
    return [
        invalid(f"{name}-below-minimum", f"{what} of {json.dumps(low)} is below its minimum", {pointer: low}, pointer),
        invalid(
            f"{name}-above-maximum", f"{what} of {json.dumps(high)} is above its maximum", {pointer: high}, pointer
        ),
    ]


CASES: list[Case] = [
    # --- documents that load ---
    Case(
        "production-config-valid",
        "the incident-fix config, $schema hint included, loads without findings",
        {"$schema": "./timeout.schema.json", **BASE},
    ),
    Case("all-minimums-valid", "every setting at its lower bound (just above it where exclusive) loads", MINIMAL),
    Case(
        "integer-valued-float-is-integer",
        "20000.0 is an integer in JSON terms, so an integer field takes it",
        None,
        document_text=_base_text('"timeout_ms": 20000', '"timeout_ms": 20000.0'),
    ),
    Case(
        "integer-in-exponent-form-is-integer",
        "2e4 is the integer 20000 in JSON terms",
        None,
        document_text=_base_text('"timeout_ms": 20000', '"timeout_ms": 2e4'),
    ),
    Case(
        "number-field-takes-decimal-spelling",
        "backoff_multiplier written 2.0 is the number 2",
        None,
        document_text=_base_text('"backoff_multiplier": 2', '"backoff_multiplier": 2.0'),
    ),
    valid(
        "payment-timeout-at-maximum",
        "timeout_ms, provider p99 and deadline_ms at their maximum load",
        {"/payment/timeout_ms": 600000, "/payment/provider_expected_p99_ms": 600000, "/payment/deadline_ms": 3600000},
    ),
    valid("provider-p99-at-minimum", "a provider p99 of 1 ms is allowed", {"/payment/provider_expected_p99_ms": 1}),
    valid(
        "retry-max-attempts-at-maximum",
        "10 attempts fit a deadline equal to their worst case (266500 ms)",
        {f"{RETRY}/max_attempts": 10, "/payment/deadline_ms": 266500},
    ),
    valid(
        "retry-base-and-jitter-at-maximum",
        "base_delay_ms, max_delay_ms and jitter_ms of 600000 fit a 3600000 deadline",
        {
            f"{RETRY}/base_delay_ms": 600000,
            f"{RETRY}/max_delay_ms": 600000,
            f"{RETRY}/jitter_ms": 600000,
            "/payment/deadline_ms": 3600000,
        },
    ),
    valid(
        "retry-multiplier-at-maximum",
        "a multiplier of 10 loads when the deadline covers the capped backoff",
        {f"{RETRY}/backoff_multiplier": 10, "/payment/deadline_ms": 71000},
    ),
    valid("retry-max-delay-at-maximum", "max_delay_ms of 3600000 loads", {f"{RETRY}/max_delay_ms": 3600000}),
    valid(
        "circuit-breaker-counts-at-maximum",
        "failure_threshold, recovery and half-open calls at their maximum",
        {
            f"{BREAKER}/failure_threshold": 1000,
            f"{BREAKER}/recovery_timeout_ms": 3600000,
            f"{BREAKER}/half_open_max_calls": 1000,
        },
    ),
    valid(
        "retry-budget-at-maximum",
        "a bucket of 1000 tokens and a token_ratio of 1000 load",
        {f"{BUDGET}/max_tokens": 1000, f"{BUDGET}/token_ratio": 1000},
    ),
    valid(
        "pool-at-maximum",
        "10000 connections, acquire 600000 ms below a 600001 ms deadline, idle 86400000 ms",
        {
            f"{POOL}/max_connections": 10000,
            f"{POOL}/acquire_timeout_ms": 600000,
            f"{POOL}/idle_timeout_ms": 86400000,
            "/payment/deadline_ms": 600001,
        },
    ),
    valid(
        "monitoring-at-maximum",
        "interval 86400000 ms and every rate threshold at 1 load",
        {
            f"{MON}/pool_check_interval_ms": 86400000,
            f"{MON}/pool_utilization_critical": 1,
            f"{MON}/error_rate_threshold": 1,
            f"{MON}/payment_timeout_rate_threshold": 1,
        },
    ),
    valid(
        "service-intervals-at-maximum",
        "reconcile interval and Lambda safety margin at their maximum",
        {"/order_service/reconcile_interval_ms": 86400000, "/lambda/safety_margin_ms": 600000},
    ),
    valid("version-at-maximum-length", "a 64-character version label loads", {"/version": "v" + "1" * 63}),
    # --- every range bound, just past it ---
    *bounds("/payment/timeout_ms", 0, 600001, "payment timeout_ms"),
    *bounds("/payment/deadline_ms", 0, 3600001, "payment deadline_ms"),
    *bounds("/payment/provider_expected_p99_ms", 0, 600001, "provider_expected_p99_ms"),
    *bounds(f"{RETRY}/max_attempts", 0, 11, "retry max_attempts"),
    *bounds(f"{RETRY}/base_delay_ms", 0, 600001, "retry base_delay_ms"),
    *bounds(f"{RETRY}/backoff_multiplier", 0.999, 10.001, "retry backoff_multiplier"),
    *bounds(f"{RETRY}/jitter_ms", -1, 600001, "retry jitter_ms"),
    *bounds(f"{RETRY}/max_delay_ms", 0, 3600001, "retry max_delay_ms"),
    *bounds(f"{BREAKER}/failure_threshold", 0, 1001, "circuit_breaker failure_threshold"),
    *bounds(f"{BREAKER}/recovery_timeout_ms", 0, 3600001, "circuit_breaker recovery_timeout_ms"),
    *bounds(f"{BREAKER}/half_open_max_calls", 0, 1001, "circuit_breaker half_open_max_calls"),
    *bounds(f"{BUDGET}/max_tokens", 0, 1001, "retry_budget max_tokens"),
    *bounds(f"{BUDGET}/token_ratio", 0, 1000.001, "retry_budget token_ratio (exclusive minimum 0)"),
    *bounds(f"{POOL}/max_connections", 0, 10001, "pool max_connections"),
    *bounds(f"{POOL}/acquire_timeout_ms", 0, 600001, "pool acquire_timeout_ms"),
    *bounds(f"{POOL}/idle_timeout_ms", 0, 86400001, "pool idle_timeout_ms"),
    *bounds(f"{MON}/pool_check_interval_ms", 0, 86400001, "monitoring pool_check_interval_ms"),
    *bounds(f"{MON}/pool_utilization_warn", 0, 1.001, "pool_utilization_warn (exclusive minimum 0)"),
    *bounds(f"{MON}/pool_utilization_critical", 0, 1.001, "pool_utilization_critical (exclusive minimum 0)"),
    *bounds(f"{MON}/error_rate_threshold", 0, 1.001, "error_rate_threshold (exclusive minimum 0)"),
    *bounds(f"{MON}/payment_timeout_rate_threshold", 0, 1.001, "payment_timeout_rate_threshold (exclusive minimum 0)"),
    *bounds("/order_service/reconcile_interval_ms", 0, 86400001, "reconcile_interval_ms"),
    *bounds("/lambda/safety_margin_ms", 0, 600001, "lambda safety_margin_ms"),
    invalid("version-empty", "an empty version label is refused", {"/version": ""}, "/version"),
    invalid("version-too-long", "a 65-character version label is refused", {"/version": "v" + "1" * 64}, "/version"),
    invalid(
        "version-pattern-leading-dash",
        "a version label must start with a letter or digit",
        {"/version": "-rc1"},
        "/version",
    ),
    invalid("version-pattern-space", "a version label has no spaces", {"/version": "fix 2"}, "/version"),
    invalid(
        "version-pattern-trailing-newline",
        "a trailing newline is refused in every language, though Python's and Java's $ would match before it",
        {"/version": "fix2\n"},
        "/version",
    ),
    # --- wrong types ---
    invalid(
        "type-string-for-integer",
        "a quoted number is a string, not an integer",
        {"/payment/timeout_ms": "20000"},
        "/payment/timeout_ms",
    ),
    invalid(
        "type-fraction-for-integer",
        "20000.5 is not an integer",
        {"/payment/timeout_ms": 20000.5},
        "/payment/timeout_ms",
    ),
    invalid(
        "type-bool-for-number",
        "true is not a number",
        {f"{RETRY}/backoff_multiplier": True},
        f"{RETRY}/backoff_multiplier",
    ),
    invalid(
        "type-string-for-bool",
        'the string "true" is not a boolean',
        {f"{BREAKER}/enabled": "true"},
        f"{BREAKER}/enabled",
    ),
    invalid(
        "type-null-for-integer",
        "null is no value for deadline_ms",
        {"/payment/deadline_ms": None},
        "/payment/deadline_ms",
    ),
    invalid("type-number-for-string", "a version label is a string", {"/version": 2026}, "/version"),
    invalid(
        "type-number-for-legacy-hold-switch",
        "the replay-only legacy switch is a boolean, not 0 or 1",
        {LEGACY_HOLD: 0},
        LEGACY_HOLD,
    ),
    invalid("type-array-for-object", "payment must be an object, not an array", {"/payment": []}, "/payment"),
    invalid("type-string-for-nested-object", "retry must be an object", {f"{RETRY}": "fast"}, RETRY),
    invalid("type-number-for-schema-hint", "$schema, when present, is a string", {"/$schema": 42}, "/$schema"),
    Case("root-array", "the document must be an object", [], errors=("",)),
    Case("root-null", "null is no config", None, errors=("",)),
    text_case("root-string", "a JSON string is no config", '"config/timeout.json"', ""),
    # --- missing fields ---
    Case(
        "empty-object",
        "an empty object misses every top-level section",
        {},
        errors=("/version", "/payment", "/database", "/monitoring", "/order_service", "/lambda"),
    ),
    invalid("missing-top-level-section", "the payment section is required", {"/payment": DROP}, "/payment"),
    invalid(
        "missing-nested-field", "retry without jitter_ms is refused", {f"{RETRY}/jitter_ms": DROP}, f"{RETRY}/jitter_ms"
    ),
    invalid("missing-nested-object", "database without its pool is refused", {"/database/pool": DROP}, POOL),
    invalid(
        "missing-every-field-of-object",
        "an empty retry_budget misses both its fields",
        {BUDGET: {}},
        f"{BUDGET}/max_tokens",
        f"{BUDGET}/token_ratio",
    ),
    invalid(
        "missing-legacy-hold-switch",
        "order_service without legacy_hold_connection_during_payment is refused: it is stated, never assumed",
        {LEGACY_HOLD: DROP},
        LEGACY_HOLD,
    ),
    invalid(
        "missing-lambda-field",
        "lambda without safety_margin_ms is refused",
        {"/lambda": {}},
        "/lambda/safety_margin_ms",
    ),
    # --- unknown fields ---
    invalid(
        "unknown-root-field", "a misspelt or stray top-level field is refused", {"/timeout_ms": 5000}, "/timeout_ms"
    ),
    invalid("unknown-payment-field", "payment has no field `timeout`", {"/payment/timeout": 5000}, "/payment/timeout"),
    invalid("unknown-retry-field", "retry has no field `jitter`", {f"{RETRY}/jitter": 500}, f"{RETRY}/jitter"),
    invalid(
        "unknown-pool-field",
        "the pool has no min_connections",
        {f"{POOL}/min_connections": 5},
        f"{POOL}/min_connections",
    ),
    invalid(
        "unknown-field-pointer-escaped",
        "unknown names with / and ~ are escaped in pointers (RFC 6901)",
        {"/a~1b": 1, "/x~0y": 2},
        "/a~1b",
        "/x~0y",
    ),
    invalid(
        "unknown-object-reported-once",
        "an unknown object is one violation, not one per member",
        {"/extra": {"timeout_ms": 1}},
        "/extra",
    ),
    # --- malformed JSON ---
    text_case("malformed-truncated", "a document cut short is not JSON", '{"version": ', ""),
    text_case(
        "malformed-trailing-comma",
        "a trailing comma is not JSON",
        _base_text('"safety_margin_ms": 2000', '"safety_margin_ms": 2000,'),
        "",
    ),
    text_case("malformed-empty-text", "an empty file is not JSON", "", ""),
    text_case(
        "malformed-nan-literal", "NaN is not a JSON value", _base_text('"token_ratio": 0.1', '"token_ratio": NaN'), ""
    ),
    text_case(
        "malformed-comment",
        "JSON has no comments",
        _base_text('"version": "2026.11.28-incident-fix",', '"version": "2026.11.28-incident-fix", // fix'),
        "",
    ),
    # --- lint errors, each firing and at its bound ---
    invalid(
        "lint-timeout-below-p99",
        "a timeout 1 ms below the provider's p99 is refused",
        {"/payment/timeout_ms": 18999},
        "/payment/timeout_ms",
    ),
    valid("lint-timeout-equals-p99", "a timeout equal to the provider's p99 loads", {"/payment/timeout_ms": 19000}),
    invalid(
        "lint-deadline-below-worst-case",
        "a deadline 1 ms below the worst case (67000 ms) is refused",
        {"/payment/deadline_ms": 66999},
        "/payment/deadline_ms",
    ),
    valid(
        "lint-deadline-equals-worst-case",
        "a deadline equal to the worst case (67000 ms) loads",
        {"/payment/deadline_ms": 67000},
    ),
    valid(
        "lint-worst-case-floors-backoff",
        "1001 x 1.5 floors to 1501: worst case 63502 ms fits a 63502 deadline",
        {f"{RETRY}/base_delay_ms": 1001, f"{RETRY}/backoff_multiplier": 1.5, "/payment/deadline_ms": 63502},
    ),
    invalid(
        "lint-worst-case-floors-backoff-one-short",
        "the floored worst case of 63502 ms misses a 63501 deadline",
        {f"{RETRY}/base_delay_ms": 1001, f"{RETRY}/backoff_multiplier": 1.5, "/payment/deadline_ms": 63501},
        "/payment/deadline_ms",
    ),
    valid(
        "lint-worst-case-caps-backoff",
        "backoffs 2000, 4000, 5000, 5000 (capped) + jitter: 118000 ms fits 118000",
        {f"{RETRY}/max_attempts": 5, f"{RETRY}/max_delay_ms": 5000, "/payment/deadline_ms": 118000},
    ),
    invalid(
        "lint-worst-case-caps-backoff-one-short",
        "the capped worst case of 118000 ms misses a 117999 deadline",
        {f"{RETRY}/max_attempts": 5, f"{RETRY}/max_delay_ms": 5000, "/payment/deadline_ms": 117999},
        "/payment/deadline_ms",
    ),
    invalid(
        "lint-jitter-above-base",
        "jitter 1 ms above base_delay_ms is refused",
        {f"{RETRY}/jitter_ms": 2001, "/payment/deadline_ms": 80000},
        f"{RETRY}/jitter_ms",
    ),
    valid(
        "lint-jitter-equals-base",
        "jitter equal to base_delay_ms loads (worst case exactly 70000 ms)",
        {f"{RETRY}/jitter_ms": 2000},
    ),
    invalid(
        "lint-max-delay-below-base",
        "max_delay_ms 1 ms below base_delay_ms is refused",
        {f"{RETRY}/max_delay_ms": 1999},
        f"{RETRY}/max_delay_ms",
    ),
    valid("lint-max-delay-equals-base", "max_delay_ms equal to base_delay_ms loads", {f"{RETRY}/max_delay_ms": 2000}),
    invalid(
        "lint-acquire-equals-deadline",
        "a pool acquire timeout equal to the deadline is refused",
        {f"{POOL}/acquire_timeout_ms": 70000},
        f"{POOL}/acquire_timeout_ms",
    ),
    valid(
        "lint-acquire-below-deadline",
        "a pool acquire timeout 1 ms below the deadline loads",
        {f"{POOL}/acquire_timeout_ms": 69999},
    ),
    invalid(
        "lint-warn-equals-critical",
        "a warn threshold equal to the critical one is refused",
        {f"{MON}/pool_utilization_warn": 0.9},
        f"{MON}/pool_utilization_warn",
    ),
    valid(
        "lint-warn-below-critical",
        "a warn threshold just below the critical one loads",
        {f"{MON}/pool_utilization_warn": 0.899},
    ),
    invalid(
        "lint-several-errors",
        "every lint error is listed, not only the first",
        {
            f"{RETRY}/jitter_ms": 2500,
            f"{RETRY}/max_delay_ms": 1999,
            f"{POOL}/acquire_timeout_ms": 70000,
            f"{MON}/pool_utilization_warn": 0.95,
        },
        f"{RETRY}/jitter_ms",
        f"{RETRY}/max_delay_ms",
        f"{POOL}/acquire_timeout_ms",
        f"{MON}/pool_utilization_warn",
    ),
    # --- lint warnings: the config loads and the warnings come with it ---
    valid(
        "lint-circuit-breaker-disabled-warns",
        "a disabled circuit breaker loads with a warning",
        {f"{BREAKER}/enabled": False},
        warnings=(f"{BREAKER}/enabled",),
    ),
    valid(
        "lint-fixed-backoff-warns",
        "a multiplier of 1 with retries loads with a warning",
        {f"{RETRY}/backoff_multiplier": 1},
        warnings=(f"{RETRY}/backoff_multiplier",),
    ),
    valid(
        "lint-growing-backoff-no-warning",
        "a multiplier just above 1 raises no warning",
        {f"{RETRY}/backoff_multiplier": 1.001},
    ),
    valid(
        "lint-no-jitter-warns",
        "retries without jitter load with a warning",
        {f"{RETRY}/jitter_ms": 0},
        warnings=(f"{RETRY}/jitter_ms",),
    ),
    valid("lint-some-jitter-no-warning", "1 ms of jitter raises no warning", {f"{RETRY}/jitter_ms": 1}),
    valid(
        "lint-legacy-hold-connection-warns",
        "the incident's connection-holding switch loads (the replay bench runs it) with a warning",
        {LEGACY_HOLD: True},
        warnings=(LEGACY_HOLD,),
    ),
    valid(
        "lint-single-attempt-no-retry-warnings",
        "with one attempt, a fixed backoff and no jitter are fine",
        {f"{RETRY}/max_attempts": 1, f"{RETRY}/backoff_multiplier": 1, f"{RETRY}/jitter_ms": 0},
    ),
    valid(
        "lint-every-warning",
        "all three warnings at once",
        {f"{BREAKER}/enabled": False, f"{RETRY}/backoff_multiplier": 1, f"{RETRY}/jitter_ms": 0},
        warnings=(f"{BREAKER}/enabled", f"{RETRY}/backoff_multiplier", f"{RETRY}/jitter_ms"),
    ),
    # --- the incident, and several violations at once ---
    Case(
        "pre-incident",
        "the 5 s timeout of the incident is refused; its warnings are still reported",
        PRE_INCIDENT,
        errors=("/payment/timeout_ms",),
        warnings=(f"{BREAKER}/enabled", f"{RETRY}/backoff_multiplier", f"{RETRY}/jitter_ms"),
    ),
    invalid(
        "schema-violations-all-listed",
        "a range, a type, a missing and an unknown field, all reported together",
        {
            "/payment/timeout_ms": 0,
            f"{RETRY}/backoff_multiplier": "2",
            f"{RETRY}/jitter_ms": DROP,
            f"{MON}/extra": True,
        },
        "/payment/timeout_ms",
        f"{RETRY}/backoff_multiplier",
        f"{RETRY}/jitter_ms",
        f"{MON}/extra",
    ),
    invalid(
        "schema-errors-skip-lint",
        "while the schema fails, lint neither errs nor warns",
        {"/extra": 1, "/payment/timeout_ms": 18999, f"{BREAKER}/enabled": False},
        "/extra",
    ),
]


def render() -> dict[str, str]:
    """{file name: text} of every case."""
    return {f"{case.id}.json": json.dumps(case.to_json(), indent=2, ensure_ascii=False) + "\n" for case in CASES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="config_cases", description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming each stale case file")
    parser.add_argument("--dir", type=Path, default=CONFIG_CASES_DIR)
    args = parser.parse_args(argv)
    files = render()
    present = {path.name for path in args.dir.glob("*.json") if not path.name.endswith(".schema.json")}
    stale = sorted(name for name, text in files.items() if not _same(args.dir / name, text))
    extra = sorted(present - files.keys())
    if args.check:
        for name in [*stale, *extra]:
            print(f"stale: {args.dir / name} (run `python -m tools.conformance.config_cases`)", file=sys.stderr)
        print(f"config cases: {len(files) - len(stale)} up to date, {len(stale) + len(extra)} stale")
        return 1 if stale or extra else 0
    for name in stale:
        (args.dir / name).write_text(files[name], encoding="utf-8")
    for name in extra:
        (args.dir / name).unlink()
    print(f"config cases: {len(files)} cases, {len(stale)} written, {len(extra)} removed")
    return 0


def _same(path: Path, text: str) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == text


if __name__ == "__main__":
    sys.exit(main())
