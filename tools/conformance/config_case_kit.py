"""The literal documents and the helpers the config cases are written with (tools/conformance/config_cases.py).

Each case is a change to one of two literal documents plus its expected verdict, written out by
hand: the cases are data that every loader is held to, so no loader computes them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

# config/timeout.json as the incident fix shipped it; copied so a config change cannot move the cases.
BASE: dict[str, Any] = {
    "version": "2026.11.28-incident-fix",
    "payment": {
        "timeout_ms": 20000,
        "deadline_ms": 70000,
        "provider_expected_p99_ms": 19000,
        "min_deadline_ms": 1000,
        "answer_margin_ms": 500,
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
        "bulkhead": {"max_concurrent": 200},
        "lookup": {
            "timeout_ms": 5000,
            "deadline_ms": 20000,
            "provider_expected_p99_ms": 2000,
            "retry": {
                "max_attempts": 3,
                "base_delay_ms": 500,
                "backoff_multiplier": 2,
                "jitter_ms": 250,
                "max_delay_ms": 2000,
            },
            "circuit_breaker": {
                "enabled": True,
                "failure_threshold": 5,
                "recovery_timeout_ms": 30000,
                "half_open_max_calls": 3,
            },
            "retry_budget": {"max_tokens": 10, "token_ratio": 0.1},
            "bulkhead": {"max_concurrent": 20},
        },
    },
    "database": {
        "pool": {"max_connections": 50, "acquire_timeout_ms": 15000, "idle_timeout_ms": 30000},
        "gateway_pool": {"max_connections": 10, "acquire_timeout_ms": 5000, "idle_timeout_ms": 30000},
    },
    "gateway": {"idempotency": {"retention_ms": 86400000, "lease_ms": 90000, "reaper_interval_ms": 60000}},
    "fleet": {
        "gateway_replicas": 2,
        "order_service_replicas": 2,
        "database_max_connections": 200,
        "database_reserved_connections": 10,
    },
    "monitoring": {
        "pool_check_interval_ms": 30000,
        "pool_utilization_warn": 0.8,
        "pool_utilization_critical": 0.9,
        "error_rate_threshold": 0.02,
        "payment_timeout_rate_threshold": 0.01,
    },
    "order_service": {
        "reconcile_interval_ms": 30000,
        "legacy_hold_connection_during_payment": False,
        "legacy_retry_timeout_as_new_payment": False,
    },
    "lambda": {"safety_margin_ms": 2000},
}
# Base worst case of one call: 3 x 20000 + (2000 + 500) + (4000 + 500) = 67000 <= deadline 70000.
# Base fleet connections: 50 x 2 (order service) + 10 x 2 (gateway) + 10 reserved = 130 <= 200.
# Base lease 90000 > deadline 70000: a case that raises the deadline past 89999 raises the lease too.

# Every setting at its lower bound (just above it where the bound is exclusive), lint-clean; where the
# lint asks more, the least it allows: timeout_ms 3 = min_deadline_ms 2 + answer_margin_ms 1 (margin <
# floor), deadline_ms 3 = the worst case of one 3 ms attempt, lease_ms 4 > deadline, retention_ms one
# day (the warning's bound) and database_max_connections 2 = one connection per pool.
MINIMAL: dict[str, Any] = {
    "version": "a",
    "payment": {
        "timeout_ms": 3,
        "deadline_ms": 3,
        "provider_expected_p99_ms": 1,
        "min_deadline_ms": 2,
        "answer_margin_ms": 1,
        "retry": {"max_attempts": 1, "base_delay_ms": 1, "backoff_multiplier": 1, "jitter_ms": 0, "max_delay_ms": 1},
        "circuit_breaker": {
            "enabled": True,
            "failure_threshold": 1,
            "recovery_timeout_ms": 1,
            "half_open_max_calls": 1,
        },
        "retry_budget": {"max_tokens": 1, "token_ratio": 0.001},
        "bulkhead": {"max_concurrent": 1},
        # The lookup's least: its timeout 3 = floor 2 + margin 1 (lint lookup-deadline-floor-leaves-an-attempt).
        "lookup": {
            "timeout_ms": 3,
            "deadline_ms": 1,
            "provider_expected_p99_ms": 1,
            "retry": {
                "max_attempts": 1,
                "base_delay_ms": 1,
                "backoff_multiplier": 1,
                "jitter_ms": 0,
                "max_delay_ms": 1,
            },
            "circuit_breaker": {
                "enabled": True,
                "failure_threshold": 1,
                "recovery_timeout_ms": 1,
                "half_open_max_calls": 1,
            },
            "retry_budget": {"max_tokens": 1, "token_ratio": 0.001},
            "bulkhead": {"max_concurrent": 1},
        },
    },
    "database": {
        "pool": {"max_connections": 1, "acquire_timeout_ms": 1, "idle_timeout_ms": 1},
        "gateway_pool": {"max_connections": 1, "acquire_timeout_ms": 1, "idle_timeout_ms": 1},
    },
    "gateway": {"idempotency": {"retention_ms": 86400000, "lease_ms": 4, "reaper_interval_ms": 1}},
    "fleet": {
        "gateway_replicas": 1,
        "order_service_replicas": 1,
        "database_max_connections": 2,
        "database_reserved_connections": 0,
    },
    "monitoring": {
        "pool_check_interval_ms": 1,
        "pool_utilization_warn": 0.001,
        "pool_utilization_critical": 0.002,
        "error_rate_threshold": 0.001,
        "payment_timeout_rate_threshold": 0.001,
    },
    "order_service": {
        "reconcile_interval_ms": 1,
        "legacy_hold_connection_during_payment": False,
        "legacy_retry_timeout_as_new_payment": False,
    },
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
GW_POOL = "/database/gateway_pool"
IDEM = "/gateway/idempotency"
LEASE = f"{IDEM}/lease_ms"
RETENTION = f"{IDEM}/retention_ms"
FLEET = "/fleet"
DB_MAX = f"{FLEET}/database_max_connections"
MON = "/monitoring"
LEGACY_HOLD = "/order_service/legacy_hold_connection_during_payment"
LEGACY_RETRY = "/order_service/legacy_retry_timeout_as_new_payment"
LOOKUP = "/payment/lookup"


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


def base_text(old: str, new: str) -> str:
    """BASE's text with the first `old` replaced: the charge's fields come before the lookup's same names."""
    text = json.dumps(BASE, indent=2)
    assert old in text, old
    return text.replace(old, new, 1)


def bounds(pointer: str, low: Any, high: Any, what: str, prefix: str = "") -> list[Case]:
    """The values just past each bound of a setting are refused by the schema alone.

    `prefix` tells apart the lookup's fields from the charge's of the same name (`lookup-retry-…`)."""
    name = prefix + "-".join(pointer.split("/")[-2:]).replace("_", "-")
    return [
        invalid(f"{name}-below-minimum", f"{what} of {json.dumps(low)} is below its minimum", {pointer: low}, pointer),
        invalid(
            f"{name}-above-maximum", f"{what} of {json.dumps(high)} is above its maximum", {pointer: high}, pointer
        ),
    ]
