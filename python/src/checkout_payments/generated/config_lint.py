# generated from config/timeout.schema.json — do not edit
# regenerate: nox -s codegen
# schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903
# lint rules: tools/configlint/rules.py
"""The semantic lint of the config: the rules of tools/configlint/rules.py as Python code.

A rule holds when its predicate is true; when it does not, its finding names the rule id, the
severity, the JSON Pointer of the setting and a sentence with the values found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import rfc8785

from .timeout_config import TimeoutConfig

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class LintFinding:
    """One rule that does not hold: `error` findings make a loader refuse the config."""

    rule: str
    severity: Severity
    pointer: str
    message: str


def worst_case_call_ms(settings: TimeoutConfig) -> int:
    """Longest time one payment call can take with every attempt timing out.

    max_attempts x timeout_ms plus, for each retry n, its backoff b_n and jitter_ms at its bound, where
    b_1 = base_delay_ms and b_n = min(max_delay_ms, floor(b_(n-1) x backoff_multiplier)).
    """
    payment = settings.payment
    retry = payment.retry
    total = retry.max_attempts * payment.timeout_ms
    backoff = retry.base_delay_ms
    for retry_number in range(1, retry.max_attempts):
        if retry_number > 1:
            backoff = min(retry.max_delay_ms, math.floor(backoff * retry.backoff_multiplier))
        total += backoff + retry.jitter_ms
    return total


def lint_config(settings: TimeoutConfig) -> list[LintFinding]:
    """Every finding of every rule, in the order of the rules; empty when all hold."""
    findings: list[LintFinding] = []
    worst_case = worst_case_call_ms(settings)
    # payment-timeout-covers-p99
    holds = settings.payment.timeout_ms >= settings.payment.provider_expected_p99_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="payment-timeout-covers-p99",
                severity="error",
                pointer="/payment/timeout_ms",
                message=(
                    f"payment timeout_ms is {_show(settings.payment.timeout_ms)} ms, below the provider's "
                    f"expected p99 latency of {_show(settings.payment.provider_expected_p99_ms)} ms, so "
                    "legitimate payments will time out; expected timeout_ms >= provider_expected_p99_ms"
                ),
            )
        )
    # payment-deadline-covers-retries
    holds = worst_case <= settings.payment.deadline_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="payment-deadline-covers-retries",
                severity="error",
                pointer="/payment/deadline_ms",
                message=(
                    f"payment deadline_ms is {_show(settings.payment.deadline_ms)} ms, shorter than the worst "
                    f"case of one payment call ({_show(worst_case)} ms: every attempt timing out plus every "
                    "backoff at its maximum); expected deadline_ms >= max_attempts x timeout_ms + backoff "
                    "sleeps"
                ),
            )
        )
    # retry-jitter-within-base
    holds = settings.payment.retry.jitter_ms <= settings.payment.retry.base_delay_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="retry-jitter-within-base",
                severity="error",
                pointer="/payment/retry/jitter_ms",
                message=(
                    f"retry jitter_ms is {_show(settings.payment.retry.jitter_ms)} ms, larger than "
                    f"base_delay_ms {_show(settings.payment.retry.base_delay_ms)} ms; expected jitter_ms <= "
                    "base_delay_ms"
                ),
            )
        )
    # retry-max-delay-covers-base
    holds = settings.payment.retry.max_delay_ms >= settings.payment.retry.base_delay_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="retry-max-delay-covers-base",
                severity="error",
                pointer="/payment/retry/max_delay_ms",
                message=(
                    f"retry max_delay_ms is {_show(settings.payment.retry.max_delay_ms)} ms, below "
                    f"base_delay_ms {_show(settings.payment.retry.base_delay_ms)} ms; expected max_delay_ms >= "
                    "base_delay_ms"
                ),
            )
        )
    # pool-acquire-within-deadline
    holds = settings.database.pool.acquire_timeout_ms < settings.payment.deadline_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="pool-acquire-within-deadline",
                severity="error",
                pointer="/database/pool/acquire_timeout_ms",
                message=(
                    f"database pool acquire_timeout_ms is {_show(settings.database.pool.acquire_timeout_ms)} "
                    f"ms, not below the payment deadline_ms {_show(settings.payment.deadline_ms)} ms; expected "
                    "acquire_timeout_ms < deadline_ms"
                ),
            )
        )
    # monitoring-warn-below-critical
    holds = settings.monitoring.pool_utilization_warn < settings.monitoring.pool_utilization_critical
    if not holds:
        findings.append(
            LintFinding(
                rule="monitoring-warn-below-critical",
                severity="error",
                pointer="/monitoring/pool_utilization_warn",
                message=(
                    f"monitoring pool_utilization_warn is {_show(settings.monitoring.pool_utilization_warn)}, "
                    "not below pool_utilization_critical "
                    f"{_show(settings.monitoring.pool_utilization_critical)}; expected warn < critical"
                ),
            )
        )
    # circuit-breaker-enabled
    holds = settings.payment.circuit_breaker.enabled is True
    if not holds:
        findings.append(
            LintFinding(
                rule="circuit-breaker-enabled",
                severity="warning",
                pointer="/payment/circuit_breaker/enabled",
                message=(
                    f"payment circuit_breaker enabled is {_show(settings.payment.circuit_breaker.enabled)}: a "
                    "failing provider will be called on every request; expected true"
                ),
            )
        )
    # retry-backoff-grows
    holds = settings.payment.retry.backoff_multiplier > 1 or settings.payment.retry.max_attempts == 1
    if not holds:
        findings.append(
            LintFinding(
                rule="retry-backoff-grows",
                severity="warning",
                pointer="/payment/retry/backoff_multiplier",
                message=(
                    f"retry backoff_multiplier is {_show(settings.payment.retry.backoff_multiplier)} with "
                    f"max_attempts {_show(settings.payment.retry.max_attempts)}: fixed retry delays keep "
                    "hammering a struggling provider; expected backoff_multiplier > 1"
                ),
            )
        )
    # retry-jitter-present
    holds = settings.payment.retry.jitter_ms > 0 or settings.payment.retry.max_attempts == 1
    if not holds:
        findings.append(
            LintFinding(
                rule="retry-jitter-present",
                severity="warning",
                pointer="/payment/retry/jitter_ms",
                message=(
                    f"retry jitter_ms is {_show(settings.payment.retry.jitter_ms)} with max_attempts "
                    f"{_show(settings.payment.retry.max_attempts)}: retries of many callers fire in lockstep; "
                    "expected jitter_ms > 0"
                ),
            )
        )
    # legacy-hold-connection-off
    holds = settings.order_service.legacy_hold_connection_during_payment is False
    if not holds:
        findings.append(
            LintFinding(
                rule="legacy-hold-connection-off",
                severity="warning",
                pointer="/order_service/legacy_hold_connection_during_payment",
                message=(
                    "order_service legacy_hold_connection_during_payment is "
                    f"{_show(settings.order_service.legacy_hold_connection_during_payment)}: every payment in "
                    "flight holds a database connection, the pool exhaustion of the incident; expected false "
                    "(true exists only to replay the incident)"
                ),
            )
        )
    # legacy-retry-timeout-as-new-payment-off
    holds = settings.order_service.legacy_retry_timeout_as_new_payment is False
    if not holds:
        findings.append(
            LintFinding(
                rule="legacy-retry-timeout-as-new-payment-off",
                severity="warning",
                pointer="/order_service/legacy_retry_timeout_as_new_payment",
                message=(
                    "order_service legacy_retry_timeout_as_new_payment is "
                    f"{_show(settings.order_service.legacy_retry_timeout_as_new_payment)}: a payment attempt "
                    "that timed out is retried as a new payment under a fresh Idempotency-Key, so every "
                    "abandoned attempt that completes charges the customer again, the retry storm and double "
                    "charges of the incident; expected false (true exists only to replay the incident)"
                ),
            )
        )
    # fleet-connections-fit
    fleet_connections = (
        settings.database.pool.max_connections * settings.fleet.order_service_replicas
        + settings.database.gateway_pool.max_connections * settings.fleet.gateway_replicas
        + settings.fleet.database_reserved_connections
    )
    holds = fleet_connections <= settings.fleet.database_max_connections
    if not holds:
        findings.append(
            LintFinding(
                rule="fleet-connections-fit",
                severity="error",
                pointer="/fleet/database_max_connections",
                message=(
                    f"the fleet can open {_show(fleet_connections)} PostgreSQL connections: order service pool "
                    f"max_connections {_show(settings.database.pool.max_connections)} x "
                    f"{_show(settings.fleet.order_service_replicas)} replicas + gateway pool max_connections "
                    f"{_show(settings.database.gateway_pool.max_connections)} x "
                    f"{_show(settings.fleet.gateway_replicas)} replicas + "
                    f"{_show(settings.fleet.database_reserved_connections)} reserved, more than fleet "
                    f"database_max_connections {_show(settings.fleet.database_max_connections)}; expected "
                    "pools x replicas + reserved <= database_max_connections"
                ),
            )
        )
    # deadline-floor-leaves-an-attempt
    floor_plus_margin = settings.payment.min_deadline_ms + settings.payment.answer_margin_ms
    holds = floor_plus_margin <= settings.payment.timeout_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="deadline-floor-leaves-an-attempt",
                severity="error",
                pointer="/payment/min_deadline_ms",
                message=(
                    f"payment min_deadline_ms {_show(settings.payment.min_deadline_ms)} ms + answer_margin_ms "
                    f"{_show(settings.payment.answer_margin_ms)} ms is {_show(floor_plus_margin)} ms, more "
                    f"than timeout_ms {_show(settings.payment.timeout_ms)} ms: even an attempt with the whole "
                    "timeout would send an X-Deadline-Ms below the next hop's floor; expected min_deadline_ms "
                    "+ answer_margin_ms <= timeout_ms"
                ),
            )
        )
    # answer-margin-below-deadline-floor
    holds = settings.payment.answer_margin_ms < settings.payment.min_deadline_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="answer-margin-below-deadline-floor",
                severity="error",
                pointer="/payment/answer_margin_ms",
                message=(
                    f"payment answer_margin_ms is {_show(settings.payment.answer_margin_ms)} ms, not below "
                    f"min_deadline_ms {_show(settings.payment.min_deadline_ms)} ms: a request accepted with "
                    "the shortest deadline could never start an attempt; expected answer_margin_ms < "
                    "min_deadline_ms"
                ),
            )
        )
    # idempotency-lease-outlives-deadline
    holds = settings.gateway.idempotency.lease_ms > settings.payment.deadline_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="idempotency-lease-outlives-deadline",
                severity="error",
                pointer="/gateway/idempotency/lease_ms",
                message=(
                    f"gateway idempotency lease_ms is {_show(settings.gateway.idempotency.lease_ms)} ms, not "
                    f"longer than payment deadline_ms {_show(settings.payment.deadline_ms)} ms: a lease could "
                    "run out while its payment is still running and a second request would charge again; "
                    "expected lease_ms > deadline_ms"
                ),
            )
        )
    # idempotency-retention-covers-lease
    holds = settings.gateway.idempotency.retention_ms >= settings.gateway.idempotency.lease_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="idempotency-retention-covers-lease",
                severity="error",
                pointer="/gateway/idempotency/retention_ms",
                message=(
                    f"gateway idempotency retention_ms is {_show(settings.gateway.idempotency.retention_ms)} "
                    f"ms, shorter than lease_ms {_show(settings.gateway.idempotency.lease_ms)} ms: a record in "
                    "flight could be deleted; expected retention_ms >= lease_ms"
                ),
            )
        )
    # idempotency-retention-covers-a-day
    holds = settings.gateway.idempotency.retention_ms >= 86400000
    if not holds:
        findings.append(
            LintFinding(
                rule="idempotency-retention-covers-a-day",
                severity="warning",
                pointer="/gateway/idempotency/retention_ms",
                message=(
                    f"gateway idempotency retention_ms is {_show(settings.gateway.idempotency.retention_ms)} "
                    "ms, less than 24 h: a client retrying a payment after that with the same Idempotency-Key "
                    "is charged again; expected retention_ms >= 86400000 (the IETF Idempotency-Key draft "
                    "suggests 24 h)"
                ),
            )
        )
    # lookup-timeout-covers-p99
    holds = settings.payment.lookup.timeout_ms >= settings.payment.lookup.provider_expected_p99_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="lookup-timeout-covers-p99",
                severity="error",
                pointer="/payment/lookup/timeout_ms",
                message=(
                    f"payment lookup timeout_ms is {_show(settings.payment.lookup.timeout_ms)} ms, below the "
                    "lookup's expected p99 latency of "
                    f"{_show(settings.payment.lookup.provider_expected_p99_ms)} ms, so reconciliation would "
                    "time out on healthy lookups; expected timeout_ms >= provider_expected_p99_ms"
                ),
            )
        )
    # lookup-deadline-floor-leaves-an-attempt
    holds = settings.payment.min_deadline_ms + settings.payment.answer_margin_ms <= settings.payment.lookup.timeout_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="lookup-deadline-floor-leaves-an-attempt",
                severity="error",
                pointer="/payment/lookup/timeout_ms",
                message=(
                    f"payment min_deadline_ms {_show(settings.payment.min_deadline_ms)} ms + answer_margin_ms "
                    f"{_show(settings.payment.answer_margin_ms)} ms is more than lookup timeout_ms "
                    f"{_show(settings.payment.lookup.timeout_ms)} ms: no lookup attempt could send an "
                    "X-Deadline-Ms the next hop accepts; expected min_deadline_ms + answer_margin_ms <= "
                    "lookup timeout_ms"
                ),
            )
        )
    # lookup-retry-jitter-within-base
    holds = settings.payment.lookup.retry.jitter_ms <= settings.payment.lookup.retry.base_delay_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="lookup-retry-jitter-within-base",
                severity="error",
                pointer="/payment/lookup/retry/jitter_ms",
                message=(
                    f"lookup retry jitter_ms is {_show(settings.payment.lookup.retry.jitter_ms)} ms, larger "
                    f"than base_delay_ms {_show(settings.payment.lookup.retry.base_delay_ms)} ms; expected "
                    "jitter_ms <= base_delay_ms"
                ),
            )
        )
    # lookup-retry-max-delay-covers-base
    holds = settings.payment.lookup.retry.max_delay_ms >= settings.payment.lookup.retry.base_delay_ms
    if not holds:
        findings.append(
            LintFinding(
                rule="lookup-retry-max-delay-covers-base",
                severity="error",
                pointer="/payment/lookup/retry/max_delay_ms",
                message=(
                    f"lookup retry max_delay_ms is {_show(settings.payment.lookup.retry.max_delay_ms)} ms, "
                    f"below base_delay_ms {_show(settings.payment.lookup.retry.base_delay_ms)} ms; expected "
                    "max_delay_ms >= base_delay_ms"
                ),
            )
        )
    return findings


def _show(value: float | bool) -> str:
    # Canonical JSON spelling (true, 2, 0.8), so a message reads the same in every language.
    return rfc8785.dumps(value).decode()
