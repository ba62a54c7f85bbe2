"""Monitoring from the one config: Prometheus alert rules, their promtool tests and a Grafana dashboard.

Unlike the language bindings this emitter also reads config/timeout.json: the thresholds of the
monitoring checklist live there, so changing one and running `nox -s codegen` changes the rule, the
dashboard line and the test that proves the rule fires at it; `nox -s codegen -- --check` names the
stale files when someone forgets.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from pathlib import Path
from typing import Any

import rfc8785
from jsonschema import Draft202012Validator

from tools.codegen.model import REPO, SCHEMA_REL, Schema, header_lines

CONFIG_REL = "config/timeout.json"
CONFIG_PATH = REPO / CONFIG_REL
RULES_PATH = "config/monitoring/alerts.rules.yml"
DASHBOARD_PATH = "config/monitoring/grafana-dashboard.json"
TESTS_PATH = "tests/monitoring/alerts.test.yml"
# Repo-relative: the repo has no canonical web address yet; an Alertmanager template can prefix one.
RUNBOOK = "docs/RUNBOOK.md"

MINUTE_MS = 60_000
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
# A threshold with more decimals than this cannot be put exactly on synthetic counters (2^53 limit).
MAX_THRESHOLD_DENOMINATOR = 10**9


# --- the config, read the way a service reads it ------------------------------------------------------


@dataclass(frozen=True)
class Monitored:
    """The settings monitoring reads, with the identity of the config they came from."""

    version: str
    fingerprint: str
    error_rate: float
    timeout_rate: float
    pool_warn: float
    pool_critical: float
    recovery_timeout_ms: int
    timeout_ms: int
    provider_p99_ms: int
    max_tokens: int


def load_monitored(schema: Schema, path: Path) -> Monitored:
    """Validate and fingerprint the config through the Python binding when installed, else the schema alone."""
    text = path.read_text(encoding="utf-8")
    loaded = load_with_binding(text, str(path))
    document, fingerprint = loaded if loaded is not None else load_with_schema(schema, text, str(path))
    payment, monitoring = document["payment"], document["monitoring"]
    return Monitored(
        version=document["version"],
        fingerprint=fingerprint,
        error_rate=float(monitoring["error_rate_threshold"]),
        timeout_rate=float(monitoring["payment_timeout_rate_threshold"]),
        pool_warn=float(monitoring["pool_utilization_warn"]),
        pool_critical=float(monitoring["pool_utilization_critical"]),
        recovery_timeout_ms=payment["circuit_breaker"]["recovery_timeout_ms"],
        timeout_ms=payment["timeout_ms"],
        provider_p99_ms=payment["provider_expected_p99_ms"],
        max_tokens=payment["retry_budget"]["max_tokens"],
    )


def load_with_binding(text: str, source: str) -> tuple[dict[str, Any], str] | None:
    """Schema, lint and fingerprint exactly as a Python service does; None without the package (plain python3)."""
    try:
        from checkout_payments.config import parse_config
    except ImportError:
        return None
    return json.loads(text), parse_config(text, source).fingerprint


def load_with_schema(schema: Schema, text: str, source: str) -> tuple[dict[str, Any], str]:
    """The fallback: schema validation (no lint) and the same RFC 8785 fingerprint."""
    document = json.loads(text)
    errors = Draft202012Validator(schema.document).iter_errors(document)
    found = sorted(f"{''.join(f'/{part}' for part in e.absolute_path)}: {e.message}" for e in errors)
    if found:
        raise ValueError(f"{source} does not match {SCHEMA_REL}: {'; '.join(found)}")
    return document, hashlib.sha256(rfc8785.dumps(document)).hexdigest()


# --- the alerts ---------------------------------------------------------------------------------------


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


def breaker_for_ms(config: Monitored) -> int:
    # Open for the recovery time, then half-open trials that may each take a whole attempt timeout.
    return _whole_seconds(config.recovery_timeout_ms + config.timeout_ms + BREAKER_GRACE_MS)


def flap_window_ms(config: Monitored) -> int:
    return max(FLAP_WINDOW_MIN_MS, FLAP_OPENS * breaker_for_ms(config))


def alerts(config: Monitored) -> list[Alert]:
    window = duration(RATE_WINDOW_MS)
    source = f"config/timeout.json version {config.version}"
    return [
        Alert(
            "CheckoutErrorRateHigh",
            "critical",
            f'sum by (service) (increase(checkout_requests_total{{outcome="error"}}[{window}]))\n'
            f"  / sum by (service) (increase(checkout_requests_total[{window}]))\n"
            f"> {number(config.error_rate)}",
            RATE_FOR_MS,
            f"{{{{ $labels.service }}}}: more than {percent(config.error_rate)} of requests fail",
            f"More than monitoring.error_rate_threshold = {number(config.error_rate)} of the requests "
            f"{{{{ $labels.service }}}} answered in the last {window} had outcome=error ({source}). "
            "The dashboard splits them by error_class.",
        ),
        Alert(
            "CheckoutPaymentTimeoutRateHigh",
            "critical",
            "sum by (service, upstream) "
            f'(increase(checkout_upstream_attempts_total{{result=~"TIMEOUT|DEADLINE_EXCEEDED"}}[{window}]))\n'
            f"  / sum by (service, upstream) (increase(checkout_upstream_attempts_total[{window}]))\n"
            f"> {number(config.timeout_rate)}",
            RATE_FOR_MS,
            f"{{{{ $labels.service }}}} → {{{{ $labels.upstream }}}}: "
            f"more than {percent(config.timeout_rate)} of payment calls time out",
            f"More than monitoring.payment_timeout_rate_threshold = {number(config.timeout_rate)} of the "
            f"attempts {{{{ $labels.service }}}} made to {{{{ $labels.upstream }}}} in the last {window} got no "
            f"answer in time (TIMEOUT, or DEADLINE_EXCEEDED when the deadline cut the attempt) ({source}). "
            f"Their outcome is unknown until reconciled. payment.timeout_ms = {config.timeout_ms}.",
        ),
        _pool_alert("Warning", "warning", "pool_utilization_warn", config.pool_warn, POOL_WARN_FOR_MS, source),
        _pool_alert(
            "Critical", "critical", "pool_utilization_critical", config.pool_critical, POOL_CRITICAL_FOR_MS, source
        ),
        Alert(
            "CheckoutBreakerOpenTooLong",
            "critical",
            'min without (state) (checkout_breaker_state{state="closed"}) == 0\n'
            f"and on (service) sum by (service) (rate(checkout_requests_total[{window}])) > 0",
            breaker_for_ms(config),
            f"{{{{ $labels.service }}}} → {{{{ $labels.upstream }}}}: breaker has not closed "
            f"for {duration(breaker_for_ms(config))}",
            f"The breaker of {{{{ $labels.service }}}} to {{{{ $labels.upstream }}}} has been open or half-open "
            f"for longer than payment.circuit_breaker.recovery_timeout_ms = {config.recovery_timeout_ms} plus "
            f"one attempt (payment.timeout_ms = {config.timeout_ms}) while requests arrive: its trial calls "
            f"keep failing ({source}). Callers get CIRCUIT_OPEN or HALF_OPEN_LIMIT.",
        ),
        Alert(
            "CheckoutBreakerFlapping",
            "warning",
            "sum by (service, upstream) "
            f'(increase(checkout_breaker_transitions_total{{to="open"}}[{duration(flap_window_ms(config))}]))\n'
            f">= {FLAP_OPENS}",
            0,
            f"{{{{ $labels.service }}}} → {{{{ $labels.upstream }}}}: breaker opened {FLAP_OPENS} times or more "
            f"in {duration(flap_window_ms(config))}",
            f"The breaker of {{{{ $labels.service }}}} to {{{{ $labels.upstream }}}} opened at least {FLAP_OPENS} "
            f"times in {duration(flap_window_ms(config))}: the upstream fails on and off, or its half-open "
            f"trials keep failing ({source}).",
        ),
        Alert(
            "CheckoutRetryBudgetExhausted",
            "warning",
            "checkout_retry_budget_tokens * 2 <= checkout_retry_budget_max_tokens",
            BUDGET_FOR_MS,
            "{{ $labels.service }} → {{ $labels.upstream }}: retry budget exhausted",
            f"The retry budget of {{{{ $labels.service }}}} to {{{{ $labels.upstream }}}} is at half or below "
            f"(payment.retry_budget.max_tokens = {config.max_tokens}): retries are refused with "
            f"RETRY_BUDGET_EXHAUSTED until successes refill it ({source}).",
        ),
        Alert(
            "CheckoutConfigReloadFailed",
            "warning",
            f'increase(checkout_config_reloads_total{{result="failure"}}[{duration(RELOAD_WINDOW_MS)}]) > 0\n'
            # A counter created by its first failure is born at 1, and increase() cannot see that step.
            'or checkout_config_reloads_total{result="failure"} > 0\n'
            f'  unless checkout_config_reloads_total{{result="failure"}} offset {duration(RELOAD_WINDOW_MS)}',
            0,
            "{{ $labels.service }}: config reload failed",
            f"{{{{ $labels.service }}}} refused a config reload in the last {duration(RELOAD_WINDOW_MS)} and "
            "keeps running its previous config. Its log names every violation (JSON Pointer and message).",
        ),
        Alert(
            "CheckoutConfigDrift",
            "warning",
            "count(count by (fingerprint) (checkout_config_info)) > 1",
            DRIFT_FOR_MS,
            "services run different config fingerprints",
            f"For {duration(DRIFT_FOR_MS)} the fleet has run more than one config fingerprint. The repo's "
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


# --- formatting -----------------------------------------------------------------------------------------


def number(value: float) -> str:
    """The shortest spelling that parses back to the same double in Go (PromQL) and Python."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def percent(value: float) -> str:
    return f"{value * 100:g} %"


def duration(ms: int) -> str:
    """A Prometheus duration: 140000 → 2m20s."""
    if ms == 0:
        return "0s"
    parts = []
    for unit, size in (("h", 3_600_000), ("m", MINUTE_MS), ("s", 1000), ("ms", 1)):
        count, ms = divmod(ms, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _whole_seconds(ms: int) -> int:
    # Rules are evaluated every few seconds at best: a sub-second `for` only makes the tests slow.
    return math.ceil(ms / 1000) * 1000


# Scalars YAML reads back as the same string without quotes: names and durations, minus YAML 1.1's booleans.
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*|([0-9]+(ms|[smhdwy]))+")
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _quote(text: str) -> str:
    if PLAIN.fullmatch(text) and text.lower() not in YAML_WORDS:
        return text
    return "'" + text.replace("'", "''") + "'"


def yaml_lines(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML of dicts, lists, strings and numbers, in insertion order (so the text is deterministic)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines: list[str] = []
        for key, item in value.items():
            if isinstance(item, str) and "\n" in item:
                lines.append(f"{pad}{key}: |-")
                lines.extend(f"{pad}  {line}" for line in item.split("\n"))
            elif isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines
    lines = []
    for item in value:
        if isinstance(item, dict):
            inner = yaml_lines(item, indent + 2)
            lines.append(f"{pad}- {inner[0][indent + 2 :]}")
            lines.extend(inner[1:])
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | dict):
        return "{}" if isinstance(value, dict) else "[]"  # only empty ones get here
    return _quote(str(value))


def _header(schema: Schema, config: Monitored) -> list[str]:
    return [
        *header_lines(),
        f"schema-sha256: {schema.sha256}",
        f"config: {CONFIG_REL} version {config.version} fingerprint {config.fingerprint}",
    ]


# --- alerts.rules.yml -------------------------------------------------------------------------------------


def _rules_file(schema: Schema, config: Monitored) -> str:
    rules = []
    for alert in alerts(config):
        rule: dict[str, Any] = {"alert": alert.name, "expr": alert.expr}
        if alert.for_ms:
            rule["for"] = duration(alert.for_ms)
        rule["labels"] = {"severity": alert.severity}
        rule["annotations"] = {
            "summary": alert.summary,
            "description": alert.description,
            "runbook_url": alert.anchor,
        }
        rules.append(rule)
    body = yaml_lines({"groups": [{"name": "checkout-timeouts", "rules": rules}]})
    return "".join(f"# {line}\n" for line in _header(schema, config)) + "\n".join(body) + "\n"


# --- alerts.test.yml: synthetic series at and beside each threshold ----------------------------------------

TEST_END_MS = 30 * MINUTE_MS  # value tests evaluate here, long after every `for` of a value threshold
SERIES_MS = MINUTE_MS  # the synthetic scrape interval


def _exact(threshold: float) -> Fraction:
    """The threshold as the exact decimal written in the config: n/d of counts hits the same double."""
    fraction = Fraction(repr(threshold))
    if fraction.denominator > MAX_THRESHOLD_DENOMINATOR:
        raise ValueError(f"threshold {threshold} has too many decimals to test exactly (at most 9)")
    return fraction


def _counter(per_minute: int) -> str:
    # Counters start high so Prometheus never extrapolates them back towards zero at a window's start.
    return f"{per_minute * 100}+{per_minute}x{TEST_END_MS // SERIES_MS + 10}"


def _steps(values: Sequence[float]) -> str:
    """promtool's expanding notation for a list of samples: runs of equal values as `vxN`."""
    runs: list[tuple[float, int]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    return " ".join(f"{number(value)}x{count - 1}" if count > 1 else number(value) for value, count in runs)


def _series(metric: str, labels: dict[str, str], values: str) -> dict[str, str]:
    inner = ",".join(f'{key}="{value}"' for key, value in labels.items())
    return {"series": f"{metric}{{{inner}}}", "values": values}


def _expected(alert: Alert, labels: dict[str, str]) -> dict[str, Any]:
    def expand(template: str) -> str:
        for key, label in labels.items():
            template = template.replace(f"{{{{ $labels.{key} }}}}", label)
        return template

    return {
        "exp_labels": {**labels, "severity": alert.severity},
        "exp_annotations": {
            "summary": expand(alert.summary),
            "description": expand(alert.description),
            "runbook_url": alert.anchor,
        },
    }


def _check(alert: Alert, eval_ms: int, firing: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "eval_time": duration(eval_ms),
        "alertname": alert.name,
        "exp_alerts": [_expected(alert, labels) for labels in firing],
    }


def _ratio_cases(threshold: float) -> Iterator[tuple[str, int, int]]:
    """(case, bad per minute, all per minute) just below, exactly at and, if possible, just above the ratio."""
    exact = _exact(threshold)
    scale = 100  # one more bad request per minute is then 1 % of the threshold past it
    bad, total = exact.numerator * scale, exact.denominator * scale
    yield "below", bad - 1, total
    yield "at", bad, total
    if bad < total:  # a threshold of 1 can never be exceeded
        yield "above", bad + 1, total


def _error_rate_test(alert: Alert, threshold: float) -> dict[str, Any]:
    services = {"below": "payment-client", "at": "order-service", "above": "gateway"}
    series = []
    for case, bad, total in _ratio_cases(threshold):
        base = {"service": services[case], "route": "/payments"}
        errors = {**base, "outcome": "error", "error_class": "UPSTREAM_UNAVAILABLE"}
        series.append(_series("checkout_requests_total", errors, _counter(bad)))
        series.append(_series("checkout_requests_total", {**base, "outcome": "success"}, _counter(total - bad)))
    firing = [{"service": "gateway"}] if threshold < 1 else []
    return {
        "name": f"{alert.name}: fires just above {number(threshold)}, silent at and below it ('above which')",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [_check(alert, TEST_END_MS, firing)],
    }


def _timeout_rate_test(alert: Alert, threshold: float) -> dict[str, Any]:
    callers = {
        "below": ("payment-client", "gateway"),
        "at": ("order-service", "gateway"),
        "above": ("gateway", "provider"),
    }
    series = []
    for case, bad, total in _ratio_cases(threshold):
        service, upstream = callers[case]
        # The case above the threshold gets its one extra bad attempt as DEADLINE_EXCEEDED: it counts too.
        timeouts, cut = (bad - 1, 1) if case == "above" else (bad, 0)
        for result, count in (("TIMEOUT", timeouts), ("DEADLINE_EXCEEDED", cut), ("success", total - bad)):
            labels = {"service": service, "upstream": upstream, "result": result}
            series.append(_series("checkout_upstream_attempts_total", labels, _counter(count)))
    firing = [{"service": "gateway", "upstream": "provider"}] if threshold < 1 else []
    return {
        "name": f"{alert.name}: TIMEOUT and DEADLINE_EXCEEDED attempts count; fires just above {number(threshold)}",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [_check(alert, TEST_END_MS, firing)],
    }


def _pool_test(alert: Alert, threshold: float) -> dict[str, Any]:
    exact = _exact(threshold)
    scale = math.ceil(100 / exact.denominator)  # pools of 100 connections or more: one connection is a small step
    size, at = exact.denominator * scale, exact.numerator * scale
    steps = TEST_END_MS // SERIES_MS + 10
    series = []
    for service, in_use in (("gateway", at), ("order-service", at - 1)):
        series.append(
            _series("checkout_pool_connections", {"service": service, "state": "in_use"}, f"{in_use}x{steps}")
        )
        series.append(_series("checkout_pool_max_connections", {"service": service}, f"{size}x{steps}"))
    return {
        "name": f"{alert.name}: fires at {number(threshold)} ({at}/{size}), silent one connection below",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [_check(alert, TEST_END_MS, [{"service": "gateway"}])],
    }


def _breaker_open_test(alert: Alert, step_ms: int) -> dict[str, Any]:
    opens_at = 10 * MINUTE_MS
    samples = (opens_at + alert.for_ms) // SERIES_MS + 10
    closed = [1] * (opens_at // SERIES_MS) + [0] * (samples - opens_at // SERIES_MS)
    # Only the gateway takes requests: a breaker nobody calls cannot half-open, and that is no incident.
    requests = {"route": "/payments", "outcome": "error", "error_class": "CIRCUIT_OPEN"}
    series = [
        _series("checkout_requests_total", {"service": "gateway", **requests}, f"1000+10x{samples}"),
        _series("checkout_requests_total", {"service": "order-service", **requests}, f"1000x{samples}"),
    ]
    for service, upstream in (("gateway", "provider"), ("order-service", "gateway")):
        labels = {"service": service, "upstream": upstream, "state": "closed"}
        series.append(_series("checkout_breaker_state", labels, _steps(closed)))
    firing = [{"service": "gateway", "upstream": "provider"}]
    return {
        "name": f"{alert.name}: fires {duration(alert.for_ms)} after the breaker left closed, not a step before; "
        "never without requests",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [
            _check(alert, opens_at + alert.for_ms - step_ms, []),
            _check(alert, opens_at + alert.for_ms, firing),
        ],
    }


def _flap_test(alert: Alert, window_ms: int) -> dict[str, Any]:
    end = max(TEST_END_MS, window_ms + 10 * MINUTE_MS)
    start = end - window_ms + 2 * MINUTE_MS  # every open lands inside the window that ends at `end`
    samples = end // SERIES_MS + 10

    def opens(count: int) -> str:
        times = {start // SERIES_MS + 2 * i for i in range(count)}
        values: list[int] = []
        level = 0
        for minute in range(samples + 1):
            level += minute in times
            values.append(level)
        return _steps(values)

    series = [
        _series("checkout_breaker_transitions_total", {"service": s, "upstream": u, "from": f, "to": "open"}, opens(n))
        for s, u, f, n in (
            ("gateway", "provider", "closed", 1),
            ("gateway", "provider", "half_open", FLAP_OPENS - 1),
            ("order-service", "gateway", "closed", FLAP_OPENS - 1),
        )
    ]
    # Transitions to other states do not count, however many.
    to_half_open = {"service": "order-service", "upstream": "gateway", "from": "open", "to": "half_open"}
    series.append(_series("checkout_breaker_transitions_total", to_half_open, opens(FLAP_OPENS * 2)))
    return {
        "name": f"{alert.name}: fires at {FLAP_OPENS} opens in {duration(window_ms)}, silent at {FLAP_OPENS - 1}",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [_check(alert, end, [{"service": "gateway", "upstream": "provider"}])],
    }


def _budget_test(alert: Alert, max_tokens: int) -> dict[str, Any]:
    steps = TEST_END_MS // SERIES_MS + 10
    series = []
    # Tokens are milli-tokens / 1000: half a bucket refuses retries, one milli-token more allows them.
    for service, upstream, tokens in (
        ("gateway", "provider", max_tokens / 2),
        ("order-service", "gateway", (max_tokens * 500 + 1) / 1000),
    ):
        labels = {"service": service, "upstream": upstream}
        series.append(_series("checkout_retry_budget_tokens", labels, f"{number(tokens)}x{steps}"))
        series.append(_series("checkout_retry_budget_max_tokens", labels, f"{max_tokens}x{steps}"))
    return {
        "name": f"{alert.name}: fires at half of {max_tokens} tokens, silent one milli-token above",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [_check(alert, TEST_END_MS, [{"service": "gateway", "upstream": "provider"}])],
    }


def _reload_test(alert: Alert) -> dict[str, Any]:
    samples = TEST_END_MS // SERIES_MS + 10
    fails_at = 15  # minute of the one failed reload
    failure = _steps([0] * fails_at + [1] * (samples + 1 - fails_at))
    born = f"_x{fails_at} 1x{samples - fails_at}"  # `_xN` is N missing samples, `vxN` is N + 1 samples
    series = [
        _series("checkout_config_reloads_total", {"service": "gateway", "result": "failure"}, failure),
        _series("checkout_config_reloads_total", {"service": "order-service", "result": "failure"}, f"0x{samples}"),
        _series("checkout_config_reloads_total", {"service": "order-service", "result": "success"}, "0+1x40"),
        # A service that creates the series with its first failure: no 0 before the 1.
        _series("checkout_config_reloads_total", {"service": "payment-client", "result": "failure"}, born),
    ]
    quiet_after = fails_at * MINUTE_MS + RELOAD_WINDOW_MS + MINUTE_MS
    failed = [{"service": service, "result": "failure"} for service in ("gateway", "payment-client")]
    return {
        "name": f"{alert.name}: one failure fires for {duration(RELOAD_WINDOW_MS)}, none is silent",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [
            _check(alert, fails_at * MINUTE_MS - MINUTE_MS, []),
            _check(alert, fails_at * MINUTE_MS, failed),
            # Two minutes before it clears, so the window holds the last 0 under left-open windows too.
            _check(alert, quiet_after - 3 * MINUTE_MS, failed),
            _check(alert, quiet_after, []),
        ],
    }


def _drift_tests(alert: Alert, fingerprint: str, step_ms: int) -> list[dict[str, Any]]:
    samples = (alert.for_ms + TEST_END_MS) // SERIES_MS
    version = "under-test"

    def info(service: str, print_: str) -> dict[str, str]:
        labels = {"service": service, "version": version, "fingerprint": print_}
        return _series("checkout_config_info", labels, f"1x{samples}")

    services = ("gateway", "order-service", "payment-client")
    return [
        {
            "name": f"{alert.name}: two fingerprints fire after {duration(alert.for_ms)}, not a step before",
            "interval": duration(SERIES_MS),
            "input_series": [info("gateway", fingerprint), info("order-service", "0" * 64)],
            "alert_rule_test": [_check(alert, alert.for_ms - step_ms, []), _check(alert, alert.for_ms, [{}])],
        },
        {
            "name": f"{alert.name}: one fingerprint across the fleet is silent",
            "interval": duration(SERIES_MS),
            "input_series": [info(service, fingerprint) for service in services],
            "alert_rule_test": [_check(alert, TEST_END_MS, [])],
        },
    ]


def _tests_file(schema: Schema, config: Monitored) -> str:
    by_name = {alert.name: alert for alert in alerts(config)}
    step_ms = reduce(math.gcd, (alert.for_ms for alert in by_name.values()), SERIES_MS)
    groups = [
        _error_rate_test(by_name["CheckoutErrorRateHigh"], config.error_rate),
        _timeout_rate_test(by_name["CheckoutPaymentTimeoutRateHigh"], config.timeout_rate),
        _pool_test(by_name["CheckoutPoolUtilizationWarning"], config.pool_warn),
        _pool_test(by_name["CheckoutPoolUtilizationCritical"], config.pool_critical),
        _breaker_open_test(by_name["CheckoutBreakerOpenTooLong"], step_ms),
        _flap_test(by_name["CheckoutBreakerFlapping"], flap_window_ms(config)),
        _budget_test(by_name["CheckoutRetryBudgetExhausted"], config.max_tokens),
        _reload_test(by_name["CheckoutConfigReloadFailed"]),
        *_drift_tests(by_name["CheckoutConfigDrift"], config.fingerprint, step_ms),
    ]
    document = {
        "rule_files": [f"../../{RULES_PATH}"],
        # A divisor of every `for`, so each alert is checked exactly at its duration and one step before.
        "evaluation_interval": duration(step_ms),
        "tests": groups,
    }
    header = [*_header(schema, config), "run: promtool test rules tests/monitoring/*.test.yml (nox -s monitoring)"]
    return "".join(f"# {line}\n" for line in header) + "\n".join(yaml_lines(document)) + "\n"


# --- grafana-dashboard.json ---------------------------------------------------------------------------

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def _thresholds(*steps: tuple[str, float]) -> dict[str, Any]:
    return {
        "mode": "absolute",
        "steps": [{"color": "green", "value": None}, *({"color": c, "value": v} for c, v in steps)],
    }


def _timeseries(
    title: str, description: str, targets: list[tuple[str, str]], unit: str, lines: tuple[tuple[str, float], ...] = ()
) -> dict[str, Any]:
    custom: dict[str, Any] = {"thresholdsStyle": {"mode": "line" if lines else "off"}}
    return {
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {"unit": unit, "custom": custom, "thresholds": _thresholds(*lines)},
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "table", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": [
            {"refId": chr(ord("A") + i), "datasource": DATASOURCE, "expr": expr, "legendFormat": legend}
            for i, (expr, legend) in enumerate(targets)
        ],
    }


def _row(title: str) -> dict[str, Any]:
    return {"type": "row", "title": title, "collapsed": False, "panels": []}


def _panels(config: Monitored) -> list[dict[str, Any]]:
    w = duration(RATE_WINDOW_MS)
    ratio = f"sum by (service) (rate(checkout_requests_total[{w}]))"
    attempts = f"sum by (service, upstream) (rate(checkout_upstream_attempts_total[{w}]))"
    latency = f"sum by (le, service, upstream) (rate(checkout_upstream_latency_seconds_bucket[{w}]))"
    flap_window = duration(flap_window_ms(config))
    return [
        _row("Errors and payment timeouts"),
        _timeseries(
            "Error rate by class",
            f"Share of requests answered with outcome=error, per error_class; line: monitoring.error_rate_threshold "
            f"= {number(config.error_rate)} (the alert compares the sum of all classes).",
            [
                (
                    f'sum by (service, error_class) (rate(checkout_requests_total{{outcome="error"}}[{w}]))\n'
                    f"  / on (service) group_left {ratio}",
                    "{{service}} {{error_class}}",
                ),
                (
                    f'sum by (service) (rate(checkout_requests_total{{outcome="error"}}[{w}])) / {ratio}',
                    "{{service}} all",
                ),
            ],
            "percentunit",
            (("red", config.error_rate),),
        ),
        _timeseries(
            "Payment timeout rate",
            "Share of upstream attempts ending TIMEOUT or DEADLINE_EXCEEDED; line: "
            f"monitoring.payment_timeout_rate_threshold = {number(config.timeout_rate)}.",
            [
                (
                    "sum by (service, upstream) "
                    f'(rate(checkout_upstream_attempts_total{{result=~"TIMEOUT|DEADLINE_EXCEEDED"}}[{w}]))\n'
                    f"  / {attempts}",
                    "{{service}} → {{upstream}}",
                )
            ],
            "percentunit",
            (("red", config.timeout_rate),),
        ),
        _timeseries(
            "Payment latency percentiles",
            f"Upstream attempt latency; lines: payment.provider_expected_p99_ms = {config.provider_p99_ms} "
            f"and payment.timeout_ms = {config.timeout_ms}.",
            [
                (f"histogram_quantile({q}, {latency})", f"p{round(q * 100)} {{{{service}}}} → {{{{upstream}}}}")
                for q in (0.5, 0.95, 0.99)
            ],
            "s",
            (("orange", config.provider_p99_ms / 1000), ("red", config.timeout_ms / 1000)),
        ),
        _row("Database pool"),
        _timeseries(
            "Pool utilization",
            f"In-use connections / pool size; lines: monitoring.pool_utilization_warn = {number(config.pool_warn)} "
            f"and monitoring.pool_utilization_critical = {number(config.pool_critical)}.",
            [
                (
                    'checkout_pool_connections{state="in_use"} / ignoring (state) checkout_pool_max_connections',
                    "{{service}} {{instance}}",
                )
            ],
            "percentunit",
            (("orange", config.pool_warn), ("red", config.pool_critical)),
        ),
        _timeseries(
            "Pool connections",
            "In use, idle and waiting (clients queued for a connection), and the pool size.",
            [
                ("checkout_pool_connections", "{{service}} {{state}}"),
                ("checkout_pool_max_connections", "{{service}} max"),
            ],
            "short",
        ),
        _row("Breakers and retries"),
        _breaker_states(),
        _timeseries(
            f"Breaker opens ({flap_window})",
            f"Transitions to open in the flap window; line: the flapping alert's {FLAP_OPENS} opens.",
            [
                (
                    "sum by (service, upstream) "
                    f'(increase(checkout_breaker_transitions_total{{to="open"}}[{flap_window}]))',
                    "{{service}} → {{upstream}}",
                )
            ],
            "short",
            (("red", FLAP_OPENS),),
        ),
        _timeseries(
            "Retries",
            "Retries scheduled per second (backoff sleeps begun).",
            [(f"sum by (service, upstream) (rate(checkout_retries_total[{w}]))", "{{service}} → {{upstream}}")],
            "ops",
        ),
        _timeseries(
            "Retry budget",
            f"Tokens left; retries are refused at half of payment.retry_budget.max_tokens = {config.max_tokens} "
            "(line).",
            [
                ("checkout_retry_budget_tokens", "{{service}} → {{upstream}}"),
                ("checkout_retry_budget_max_tokens", "{{service}} → {{upstream}} max"),
            ],
            "short",
            (("red", config.max_tokens / 2),),
        ),
        _row("Config"),
        _fingerprints(config),
        _distinct_fingerprints(),
        _timeseries(
            "Config reloads",
            f"Reload attempts per result in the last {duration(RELOAD_WINDOW_MS)}.",
            [
                (
                    f"sum by (service, result) (increase(checkout_config_reloads_total[{duration(RELOAD_WINDOW_MS)}]))",
                    "{{service}} {{result}}",
                )
            ],
            "short",
        ),
    ]


def _breaker_states() -> dict[str, Any]:
    states = {"0": ("closed", "green"), "1": ("half_open", "yellow"), "2": ("open", "red")}
    return {
        "type": "state-timeline",
        "title": "Breaker state",
        "description": "Per service and upstream: closed, half_open or open.",
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {
                "mappings": [
                    {
                        "type": "value",
                        "options": {
                            value: {"text": text, "color": color, "index": i}
                            for i, (value, (text, color)) in enumerate(states.items())
                        },
                    }
                ],
                "thresholds": _thresholds(),
            },
            "overrides": [],
        },
        "options": {"showValue": "never", "legend": {"displayMode": "list", "placement": "bottom"}},
        "targets": [
            {
                "refId": "A",
                "datasource": DATASOURCE,
                "expr": 'max by (service, upstream) (checkout_breaker_state{state="half_open"})\n'
                '  + 2 * max by (service, upstream) (checkout_breaker_state{state="open"})',
                "legendFormat": "{{service}} → {{upstream}}",
            }
        ],
    }


def _fingerprints(config: Monitored) -> dict[str, Any]:
    return {
        "type": "table",
        "title": "Config fingerprint per service",
        "description": f"The config each instance runs. {CONFIG_REL} in the repo: version {config.version}, "
        f"fingerprint {config.fingerprint} (marked green).",
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {},
            "overrides": [
                {
                    "matcher": {"id": "byName", "options": "fingerprint"},
                    "properties": [
                        {
                            "id": "mappings",
                            "value": [
                                {"type": "value", "options": {config.fingerprint: {"color": "green", "index": 0}}}
                            ],
                        },
                        {"id": "custom.cellOptions", "value": {"type": "color-text"}},
                    ],
                }
            ],
        },
        "targets": [
            {"refId": "A", "datasource": DATASOURCE, "expr": "checkout_config_info", "format": "table", "instant": True}
        ],
        "transformations": [
            {
                "id": "organize",
                "options": {
                    "excludeByName": {"Time": True, "Value": True, "__name__": True},
                    "indexByName": {"service": 0, "instance": 1, "version": 2, "fingerprint": 3},
                },
            }
        ],
    }


def _distinct_fingerprints() -> dict[str, Any]:
    return {
        "type": "stat",
        "title": "Distinct config fingerprints",
        "description": "1 when the whole fleet runs one config; the drift alert fires when it stays above 1.",
        "datasource": DATASOURCE,
        "fieldConfig": {"defaults": {"unit": "none", "thresholds": _thresholds(("red", 2))}, "overrides": []},
        "options": {"colorMode": "background", "reduceOptions": {"calcs": ["lastNotNull"]}},
        "targets": [
            {"refId": "A", "datasource": DATASOURCE, "expr": "count(count by (fingerprint) (checkout_config_info))"}
        ],
    }


def _layout(panels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ids and grid positions: a row spans the width, other panels go two to a line."""
    x = y = 0
    for panel_id, panel in enumerate(panels, start=1):
        if panel["type"] == "row" or x >= 24:
            y += 0 if x == 0 else 8
            x = 0
        if panel["type"] == "row":
            panel["gridPos"] = {"h": 1, "w": 24, "x": 0, "y": y}
            y += 1
        else:
            panel["gridPos"] = {"h": 8, "w": 12, "x": x, "y": y}
            x += 12
        panel["id"] = panel_id
    return panels


def _dashboard_file(schema: Schema, config: Monitored) -> str:
    dashboard = {
        "uid": "checkout-timeouts",
        "title": "Checkout payment path: errors, timeouts, pool, breakers, config",
        "description": " · ".join(_header(schema, config)),
        "tags": ["checkout", "generated"],
        "editable": False,
        "schemaVersion": 39,
        "time": {"from": "now-6h", "to": "now"},
        "refresh": "1m",
        "templating": {
            "list": [{"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus"}]
        },
        "annotations": {"list": []},
        "panels": _layout(_panels(config)),
    }
    return json.dumps(dashboard, indent=2, ensure_ascii=False) + "\n"


def emit(schema: Schema, config_path: Path | None = None) -> dict[str, str]:
    config = load_monitored(schema, config_path or CONFIG_PATH)
    return {
        RULES_PATH: _rules_file(schema, config),
        TESTS_PATH: _tests_file(schema, config),
        DASHBOARD_PATH: _dashboard_file(schema, config),
    }
