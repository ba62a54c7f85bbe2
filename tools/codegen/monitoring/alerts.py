"""The alerts: one rule per monitoring concern, its thresholds from the config and its timing from named constants."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tools.codegen.monitoring.config import Monitored
from tools.codegen.monitoring.yaml_text import MINUTE_MS, duration, number, percent

# Repo-relative: the repo has no canonical web address yet; an Alertmanager template can prefix one.
# Who calls whom, in an alert's text: every upstream series carries its operation (SEMANTICS §11).
CALLER_TO = "{{ $labels.service }} → {{ $labels.upstream }} ({{ $labels.operation }})"
CALLER_OF = "{{ $labels.service }} to {{ $labels.upstream }} ({{ $labels.operation }})"
CALLER_MADE = "{{ $labels.service }} made to {{ $labels.upstream }} ({{ $labels.operation }})"
RUNBOOK = "docs/RUNBOOK.md"

# Every rate and ratio looks at five minutes: long enough to hold several scrapes, short enough to page early.
RATE_WINDOW_MS = 5 * MINUTE_MS
# The 5m window already smooths; two more minutes keep one bad batch of requests from paging anyone.
RATE_FOR_MS = 2 * MINUTE_MS
# A pool near warn for a few scrapes at peak is normal; five minutes of it is the incident's 95–98 % shape.
POOL_WARN_FOR_MS = 5 * MINUTE_MS
# At critical, /health already answers 503: page within a minute.
POOL_CRITICAL_FOR_MS = 1 * MINUTE_MS
# The breaker gauge is scraped and rules are evaluated on intervals: a breaker that closed on time can
# still read "not closed" for one scrape plus one evaluation.
BREAKER_GRACE_MS = 1 * MINUTE_MS
# Opening this often is more than one bad spell: the upstream keeps failing, or trial calls keep failing.
FLAP_OPENS = 3
# The window of the flap count; at least FLAP_OPENS breaker cycles long, so a long recovery can still flap.
FLAP_WINDOW_MIN_MS = 15 * MINUTE_MS
# A dip to half is the budget doing its job; two minutes of it means callers see RETRY_BUDGET_EXHAUSTED.
BUDGET_FOR_MS = 2 * MINUTE_MS
# A failed reload is rare and the service keeps its old config silently: keep the alert up for a while.
RELOAD_WINDOW_MS = 10 * MINUTE_MS
# A rolling reload shows two fingerprints for a few minutes; ten minutes is past any healthy rollout.
DRIFT_FOR_MS = 10 * MINUTE_MS


@dataclass(frozen=True)
class Alert:
    name: str
    severity: str
    expr: str
    for_ms: int
    summary: str
    description: str

    @property
    def anchor(self) -> str:
        return f"{RUNBOOK}#{self.name.lower()}"


# `scale` multiplies the fixed windows and `for`s at the top of this module, so an end-to-end run against a
# real Prometheus (tests/monitoring) waits seconds where production waits minutes; durations derived from
# the config shrink with a shortened config instead. The generated files use scale 1.
def scaled(ms: int, scale: float) -> int:
    return round(ms * scale)


def breaker_for_ms(config: Monitored, scale: float = 1) -> int:
    # Open for the recovery time, then half-open trials that may each take a whole attempt timeout.
    return _whole_seconds(config.recovery_timeout_ms + config.timeout_ms + scaled(BREAKER_GRACE_MS, scale))


def _whole_seconds(ms: int) -> int:
    # Rules are evaluated every few seconds at best: a sub-second `for` only makes the tests slow.
    return math.ceil(ms / 1000) * 1000


def flap_window_ms(config: Monitored, scale: float = 1) -> int:
    return max(scaled(FLAP_WINDOW_MIN_MS, scale), FLAP_OPENS * breaker_for_ms(config, scale))


def alerts(config: Monitored, scale: float = 1) -> list[Alert]:
    window = duration(scaled(RATE_WINDOW_MS, scale))
    breaker_for, flap_window = breaker_for_ms(config, scale), duration(flap_window_ms(config, scale))
    reload_window, drift_for = duration(scaled(RELOAD_WINDOW_MS, scale)), scaled(DRIFT_FOR_MS, scale)
    source = f"config/timeout.json version {config.version}"
    return [
        Alert(
            "CheckoutErrorRateHigh",
            "critical",
            f'sum by (service) (increase(checkout_requests_total{{outcome="error"}}[{window}]))\n'
            f"  / sum by (service) (increase(checkout_requests_total[{window}]))\n"
            f"> {number(config.error_rate)}",
            scaled(RATE_FOR_MS, scale),
            f"{{{{ $labels.service }}}}: more than {percent(config.error_rate)} of requests fail",
            f"More than monitoring.error_rate_threshold = {number(config.error_rate)} of the requests "
            f"{{{{ $labels.service }}}} answered in the last {window} had outcome=error ({source}). "
            "The dashboard splits them by error_class.",
        ),
        Alert(
            "CheckoutPaymentTimeoutRateHigh",
            "critical",
            "sum by (service, upstream, operation) "
            f'(increase(checkout_upstream_attempts_total{{result=~"TIMEOUT|DEADLINE_EXCEEDED"}}[{window}]))\n'
            f"  / sum by (service, upstream, operation) (increase(checkout_upstream_attempts_total[{window}]))\n"
            f"> {number(config.timeout_rate)}",
            scaled(RATE_FOR_MS, scale),
            f"{CALLER_TO}: more than {percent(config.timeout_rate)} of payment calls time out",
            f"More than monitoring.payment_timeout_rate_threshold = {number(config.timeout_rate)} of the "
            f"attempts {CALLER_MADE} in the last {window} got no "
            f"answer in time (TIMEOUT, or DEADLINE_EXCEEDED when the deadline cut the attempt) ({source}). "
            f"Their outcome is unknown until reconciled. payment.timeout_ms = {config.timeout_ms}.",
        ),
        _pool_alert(
            "Warning", "warning", "pool_utilization_warn", config.pool_warn, scaled(POOL_WARN_FOR_MS, scale), source
        ),
        _pool_alert(
            "Critical",
            "critical",
            "pool_utilization_critical",
            config.pool_critical,
            scaled(POOL_CRITICAL_FOR_MS, scale),
            source,
        ),
        Alert(
            "CheckoutBreakerOpenTooLong",
            "critical",
            'min without (state) (checkout_breaker_state{state="closed"}) == 0\n'
            f"and on (service) sum by (service) (rate(checkout_requests_total[{window}])) > 0",
            breaker_for,
            f"{CALLER_TO}: breaker has not closed for {duration(breaker_for)}",
            f"The breaker of {CALLER_OF} has been open or half-open "
            f"for longer than payment.circuit_breaker.recovery_timeout_ms = {config.recovery_timeout_ms} plus "
            f"one attempt (payment.timeout_ms = {config.timeout_ms}) while requests arrive: its trial calls "
            f"keep failing ({source}). Callers get CIRCUIT_OPEN or HALF_OPEN_LIMIT.",
        ),
        Alert(
            "CheckoutBreakerFlapping",
            "warning",
            "sum by (service, upstream, operation) "
            f'(increase(checkout_breaker_transitions_total{{to="open"}}[{flap_window}]))\n'
            f">= {FLAP_OPENS}",
            0,
            f"{CALLER_TO}: breaker opened {FLAP_OPENS} times or more in {flap_window}",
            f"The breaker of {CALLER_OF} opened at least {FLAP_OPENS} "
            f"times in {flap_window}: the upstream fails on and off, or its half-open "
            f"trials keep failing ({source}).",
        ),
        Alert(
            "CheckoutRetryBudgetExhausted",
            "warning",
            "checkout_retry_budget_tokens * 2 <= checkout_retry_budget_max_tokens",
            scaled(BUDGET_FOR_MS, scale),
            f"{CALLER_TO}: retry budget exhausted",
            f"The retry budget of {CALLER_OF} is at half or below "
            f"(payment.retry_budget.max_tokens = {config.max_tokens}): retries are refused with "
            f"RETRY_BUDGET_EXHAUSTED until successes refill it ({source}).",
        ),
        Alert(
            "CheckoutConfigReloadFailed",
            "warning",
            f'increase(checkout_config_reloads_total{{result="failure"}}[{reload_window}]) > 0\n'
            # A counter created by its first failure is born at 1, and increase() cannot see that step.
            'or checkout_config_reloads_total{result="failure"} > 0\n'
            f'  unless checkout_config_reloads_total{{result="failure"}} offset {reload_window}',
            0,
            "{{ $labels.service }}: config reload failed",
            f"{{{{ $labels.service }}}} refused a config reload in the last {reload_window} and "
            "keeps running its previous config. Its log names every violation (JSON Pointer and message).",
        ),
        Alert(
            "CheckoutConfigDrift",
            "warning",
            "count(count by (fingerprint) (checkout_config_info)) > 1",
            drift_for,
            "services run different config fingerprints",
            f"For {duration(drift_for)} the fleet has run more than one config fingerprint. The repo's "
            f"config/timeout.json is version {config.version}, fingerprint {config.fingerprint}.",
        ),
    ]


def _pool_alert(level: str, severity: str, field: str, threshold: float, for_ms: int, source: str) -> Alert:
    return Alert(
        f"CheckoutPoolUtilization{level}",
        severity,
        'checkout_pool_connections{state="in_use"}\n'
        "  / ignoring (state) checkout_pool_max_connections\n"
        f">= {number(threshold)}",
        for_ms,
        f"{{{{ $labels.service }}}}: database pool at {percent(threshold)} or more",
        f"{{{{ $labels.service }}}} has used monitoring.{field} = {number(threshold)} or more of its "
        f"database pool for {duration(for_ms)} ({source}). Requests that find no connection within "
        "database.pool.acquire_timeout_ms fail with POOL_ACQUIRE_TIMEOUT.",
    )
