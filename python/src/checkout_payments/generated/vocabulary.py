# generated from config/vocabulary.json — do not edit
# regenerate: nox -s codegen
# vocabulary-sha256: 58e2e82e8d0b0acb694efa8cdb79a44d3f051be8bbd9f6e3fa7771a933f91ac0
"""config/vocabulary.json: the metric vocabulary (METRICS.md), the card-masking rule, the deadline header."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class MetricSpec:
    """One metric: its name, type, label names, help text and the label values known up front."""

    name: str
    type: str
    labels: tuple[str, ...]
    help: str
    values: Mapping[str, tuple[str, ...]]


REQUESTS_TOTAL: Final = MetricSpec(
    "checkout_requests_total",
    "counter",
    ("service", "route", "outcome", "error_class"),
    "requests answered by this service",
    MappingProxyType({"outcome": ("success", "declined", "unknown", "error")}),
)

REQUEST_DURATION_SECONDS: Final = MetricSpec(
    "checkout_request_duration_seconds",
    "histogram",
    ("service", "route"),
    "time to answer a request",
    MappingProxyType({}),
)

UPSTREAM_ATTEMPTS_TOTAL: Final = MetricSpec(
    "checkout_upstream_attempts_total",
    "counter",
    ("service", "upstream", "operation", "result"),
    "attempts made to the upstream",
    MappingProxyType({"operation": ("charge", "lookup"), "result": ("success", "DECLINED")}),
)

UPSTREAM_LATENCY_SECONDS: Final = MetricSpec(
    "checkout_upstream_latency_seconds",
    "histogram",
    ("service", "upstream", "operation"),
    "duration of each upstream attempt",
    MappingProxyType({"operation": ("charge", "lookup")}),
)

RETRIES_TOTAL: Final = MetricSpec(
    "checkout_retries_total",
    "counter",
    ("service", "upstream", "operation"),
    "retries scheduled (backoff sleeps begun)",
    MappingProxyType({"operation": ("charge", "lookup")}),
)

BREAKER_STATE: Final = MetricSpec(
    "checkout_breaker_state",
    "gauge",
    ("service", "upstream", "operation", "state"),
    "1 for the current state, 0 for the others",
    MappingProxyType({"operation": ("charge", "lookup"), "state": ("closed", "open", "half_open")}),
)

BREAKER_TRANSITIONS_TOTAL: Final = MetricSpec(
    "checkout_breaker_transitions_total",
    "counter",
    ("service", "upstream", "operation", "from", "to"),
    "breaker transitions",
    MappingProxyType({"operation": ("charge", "lookup")}),
)

RETRY_BUDGET_TOKENS: Final = MetricSpec(
    "checkout_retry_budget_tokens",
    "gauge",
    ("service", "upstream", "operation"),
    "tokens left (milli-tokens / 1000)",
    MappingProxyType({"operation": ("charge", "lookup")}),
)

RETRY_BUDGET_MAX_TOKENS: Final = MetricSpec(
    "checkout_retry_budget_max_tokens",
    "gauge",
    ("service", "upstream", "operation"),
    "bucket size",
    MappingProxyType({"operation": ("charge", "lookup")}),
)

BULKHEAD_IN_FLIGHT: Final = MetricSpec(
    "checkout_bulkhead_in_flight",
    "gauge",
    ("service", "upstream", "operation"),
    "attempts of the operation in flight now (SEMANTICS §11)",
    MappingProxyType({"operation": ("charge", "lookup")}),
)

BULKHEAD_MAX_CONCURRENT: Final = MetricSpec(
    "checkout_bulkhead_max_concurrent",
    "gauge",
    ("service", "upstream", "operation"),
    "the operation's bulkhead size from config",
    MappingProxyType({"operation": ("charge", "lookup")}),
)

INFLIGHT_REQUESTS: Final = MetricSpec(
    "checkout_inflight_requests",
    "gauge",
    ("service",),
    "requests being handled now",
    MappingProxyType({}),
)

POOL_CONNECTIONS: Final = MetricSpec(
    "checkout_pool_connections",
    "gauge",
    ("service", "state"),
    "database pool; waiting counts clients queued for a connection",
    MappingProxyType({"state": ("in_use", "idle", "waiting")}),
)

POOL_MAX_CONNECTIONS: Final = MetricSpec(
    "checkout_pool_max_connections",
    "gauge",
    ("service",),
    "pool size from config",
    MappingProxyType({}),
)

CONFIG_INFO: Final = MetricSpec(
    "checkout_config_info",
    "gauge",
    ("service", "version", "fingerprint"),
    "always 1: the active config",
    MappingProxyType({}),
)

CONFIG_RELOADS_TOTAL: Final = MetricSpec(
    "checkout_config_reloads_total",
    "counter",
    ("service", "result"),
    "config reload attempts",
    MappingProxyType({"result": ("success", "failure")}),
)

PAYMENT_OUTCOMES_TOTAL: Final = MetricSpec(
    "checkout_payment_outcomes_total",
    "counter",
    ("service", "status"),
    "payment outcomes as first reported",
    MappingProxyType({"status": ("authorised", "declined", "unknown", "failed")}),
)

# Every metric of the vocabulary, in the order of METRICS.md.
METRICS: Final = (
    REQUESTS_TOTAL,
    REQUEST_DURATION_SECONDS,
    UPSTREAM_ATTEMPTS_TOTAL,
    UPSTREAM_LATENCY_SECONDS,
    RETRIES_TOTAL,
    BREAKER_STATE,
    BREAKER_TRANSITIONS_TOTAL,
    RETRY_BUDGET_TOKENS,
    RETRY_BUDGET_MAX_TOKENS,
    BULKHEAD_IN_FLIGHT,
    BULKHEAD_MAX_CONCURRENT,
    INFLIGHT_REQUESTS,
    POOL_CONNECTIONS,
    POOL_MAX_CONNECTIONS,
    CONFIG_INFO,
    CONFIG_RELOADS_TOTAL,
    PAYMENT_OUTCOMES_TOTAL,
)

# The upper bounds of every histogram, in seconds (the same everywhere, so dashboards compare alike).
HISTOGRAM_BUCKETS_SECONDS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60)

# A card-like number: masked wherever it appears in a log line or message.
CARD_LIKE_PATTERN: Final = r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])"
# A config fingerprint (a sha256 standing alone): left whole, never a card number.
FINGERPRINT_PATTERN: Final = r"(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])"
# How many trailing digits of a card number a mask may show.
LAST_DIGITS_SHOWN: Final = 4

# The header carrying the remaining deadline in integer ms (SEMANTICS.md §5), and its whole value's syntax.
DEADLINE_HEADER: Final = "X-Deadline-Ms"
DEADLINE_HEADER_PATTERN: Final = r"-?[0-9]{1,10}"
