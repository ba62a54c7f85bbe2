"""tests/monitoring/alerts.test.yml: promtool unit tests with synthetic series at and beside each threshold."""

from __future__ import annotations

import math
from functools import reduce
from typing import Any

from tools.codegen.model import Schema
from tools.codegen.monitoring.alerts import FLAP_OPENS, RELOAD_WINDOW_MS, Alert, alerts, flap_window_ms
from tools.codegen.monitoring.config import Monitored
from tools.codegen.monitoring.header import header
from tools.codegen.monitoring.promtool_notation import (
    SERIES_MS,
    TEST_END_MS,
    check,
    counter,
    exact_threshold,
    expanding,
    input_series,
    ratio_cases,
)
from tools.codegen.monitoring.rules_file import RULES_PATH
from tools.codegen.monitoring.yaml_text import MINUTE_MS, duration, number, yaml_lines

TESTS_PATH = "tests/monitoring/alerts.test.yml"
# The business route each service counts (config/METRICS.md: method + OpenAPI path template).
ROUTES = {"payment-client": "POST /payments", "gateway": "POST /payments", "order-service": "POST /orders"}


def _error_rate_test(alert: Alert, threshold: float) -> dict[str, Any]:
    services = {"below": "payment-client", "at": "order-service", "above": "gateway"}
    series = []
    for case, bad, total in ratio_cases(threshold):
        base = {"service": services[case], "route": ROUTES[services[case]]}
        errors = {**base, "outcome": "error", "error_class": "UPSTREAM_UNAVAILABLE"}
        series.append(input_series("checkout_requests_total", errors, counter(bad)))
        series.append(input_series("checkout_requests_total", {**base, "outcome": "success"}, counter(total - bad)))
    firing = [{"service": "gateway"}] if threshold < 1 else []
    return {
        "name": f"{alert.name}: fires just above {number(threshold)}, silent at and below it ('above which')",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [check(alert, TEST_END_MS, firing)],
    }


def _timeout_rate_test(alert: Alert, threshold: float) -> dict[str, Any]:
    callers = {
        "below": ("payment-client", "gateway"),
        "at": ("order-service", "gateway"),
        "above": ("gateway", "provider"),
    }
    series = []
    for case, bad, total in ratio_cases(threshold):
        service, upstream = callers[case]
        # The case above the threshold gets its one extra bad attempt as DEADLINE_EXCEEDED: it counts too.
        timeouts, cut = (bad - 1, 1) if case == "above" else (bad, 0)
        for result, count in (("TIMEOUT", timeouts), ("DEADLINE_EXCEEDED", cut), ("success", total - bad)):
            labels = {"service": service, "upstream": upstream, "operation": "charge", "result": result}
            series.append(input_series("checkout_upstream_attempts_total", labels, counter(count)))
    firing = [{"service": "gateway", "upstream": "provider", "operation": "charge"}] if threshold < 1 else []
    return {
        "name": f"{alert.name}: TIMEOUT and DEADLINE_EXCEEDED attempts count; fires just above {number(threshold)}",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [check(alert, TEST_END_MS, firing)],
    }


def _pool_test(alert: Alert, threshold: float) -> dict[str, Any]:
    exact = exact_threshold(threshold)
    scale = math.ceil(100 / exact.denominator)  # pools of 100 connections or more: one connection is a small step
    size, at = exact.denominator * scale, exact.numerator * scale
    steps = TEST_END_MS // SERIES_MS + 10
    series = []
    for service, in_use in (("gateway", at), ("order-service", at - 1)):
        series.append(
            input_series("checkout_pool_connections", {"service": service, "state": "in_use"}, f"{in_use}x{steps}")
        )
        series.append(input_series("checkout_pool_max_connections", {"service": service}, f"{size}x{steps}"))
    return {
        "name": f"{alert.name}: fires at {number(threshold)} ({at}/{size}), silent one connection below",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [check(alert, TEST_END_MS, [{"service": "gateway"}])],
    }


def _breaker_open_test(alert: Alert, step_ms: int) -> dict[str, Any]:
    opens_at = 10 * MINUTE_MS
    samples = (opens_at + alert.for_ms) // SERIES_MS + 10
    closed = [1] * (opens_at // SERIES_MS) + [0] * (samples - opens_at // SERIES_MS)
    # Only the gateway takes requests: a breaker nobody calls cannot half-open, and that is no incident.
    requests = {"outcome": "error", "error_class": "CIRCUIT_OPEN"}
    series = [
        input_series(
            "checkout_requests_total",
            {"service": "gateway", "route": ROUTES["gateway"], **requests},
            f"1000+10x{samples}",
        ),
        input_series(
            "checkout_requests_total",
            {"service": "order-service", "route": ROUTES["order-service"], **requests},
            f"1000x{samples}",
        ),
    ]
    for service, upstream in (("gateway", "provider"), ("order-service", "gateway")):
        labels = {"service": service, "upstream": upstream, "operation": "charge", "state": "closed"}
        series.append(input_series("checkout_breaker_state", labels, expanding(closed)))
    firing = [{"service": "gateway", "upstream": "provider", "operation": "charge"}]
    return {
        "name": f"{alert.name}: fires {duration(alert.for_ms)} after the breaker left closed, not a step before; "
        "never without requests",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [
            check(alert, opens_at + alert.for_ms - step_ms, []),
            check(alert, opens_at + alert.for_ms, firing),
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
        return expanding(values)

    series = [
        input_series(
            "checkout_breaker_transitions_total",
            {"service": s, "upstream": u, "operation": "charge", "from": f, "to": "open"},
            opens(n),
        )
        for s, u, f, n in (
            ("gateway", "provider", "closed", 1),
            ("gateway", "provider", "half_open", FLAP_OPENS - 1),
            ("order-service", "gateway", "closed", FLAP_OPENS - 1),
        )
    ]
    # Transitions to other states do not count, however many.
    to_half_open = {
        "service": "order-service",
        "upstream": "gateway",
        "operation": "charge",
        "from": "open",
        "to": "half_open",
    }
    series.append(input_series("checkout_breaker_transitions_total", to_half_open, opens(FLAP_OPENS * 2)))
    return {
        "name": f"{alert.name}: fires at {FLAP_OPENS} opens in {duration(window_ms)}, silent at {FLAP_OPENS - 1}",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [check(alert, end, [{"service": "gateway", "upstream": "provider", "operation": "charge"}])],
    }


def _budget_test(alert: Alert, max_tokens: int) -> dict[str, Any]:
    steps = TEST_END_MS // SERIES_MS + 10
    series = []
    # Tokens are milli-tokens / 1000: half a bucket refuses retries, one milli-token more allows them.
    for service, upstream, tokens in (
        ("gateway", "provider", max_tokens / 2),
        ("order-service", "gateway", (max_tokens * 500 + 1) / 1000),
    ):
        labels = {"service": service, "upstream": upstream, "operation": "charge"}
        series.append(input_series("checkout_retry_budget_tokens", labels, f"{number(tokens)}x{steps}"))
        series.append(input_series("checkout_retry_budget_max_tokens", labels, f"{max_tokens}x{steps}"))
    return {
        "name": f"{alert.name}: fires at half of {max_tokens} tokens, silent one milli-token above",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [
            check(alert, TEST_END_MS, [{"service": "gateway", "upstream": "provider", "operation": "charge"}])
        ],
    }


def _reload_test(alert: Alert) -> dict[str, Any]:
    samples = TEST_END_MS // SERIES_MS + 10
    fails_at = 15  # minute of the one failed reload
    failure = expanding([0] * fails_at + [1] * (samples + 1 - fails_at))
    born = f"_x{fails_at} 1x{samples - fails_at}"  # `_xN` is N missing samples, `vxN` is N + 1 samples
    series = [
        input_series("checkout_config_reloads_total", {"service": "gateway", "result": "failure"}, failure),
        input_series(
            "checkout_config_reloads_total", {"service": "order-service", "result": "failure"}, f"0x{samples}"
        ),
        input_series("checkout_config_reloads_total", {"service": "order-service", "result": "success"}, "0+1x40"),
        # A service that creates the series with its first failure: no 0 before the 1.
        input_series("checkout_config_reloads_total", {"service": "payment-client", "result": "failure"}, born),
    ]
    quiet_after = fails_at * MINUTE_MS + RELOAD_WINDOW_MS + MINUTE_MS
    failed = [{"service": service, "result": "failure"} for service in ("gateway", "payment-client")]
    return {
        "name": f"{alert.name}: one failure fires for {duration(RELOAD_WINDOW_MS)}, none is silent",
        "interval": duration(SERIES_MS),
        "input_series": series,
        "alert_rule_test": [
            check(alert, fails_at * MINUTE_MS - MINUTE_MS, []),
            check(alert, fails_at * MINUTE_MS, failed),
            # Two minutes before it clears, so the window holds the last 0 under left-open windows too.
            check(alert, quiet_after - 3 * MINUTE_MS, failed),
            check(alert, quiet_after, []),
        ],
    }


def _drift_tests(alert: Alert, fingerprint: str, step_ms: int) -> list[dict[str, Any]]:
    samples = (alert.for_ms + TEST_END_MS) // SERIES_MS
    version = "under-test"

    def info(service: str, print_: str) -> dict[str, str]:
        labels = {"service": service, "version": version, "fingerprint": print_}
        return input_series("checkout_config_info", labels, f"1x{samples}")

    services = ("gateway", "order-service", "payment-client")
    return [
        {
            "name": f"{alert.name}: two fingerprints fire after {duration(alert.for_ms)}, not a step before",
            "interval": duration(SERIES_MS),
            "input_series": [info("gateway", fingerprint), info("order-service", "0" * 64)],
            "alert_rule_test": [check(alert, alert.for_ms - step_ms, []), check(alert, alert.for_ms, [{}])],
        },
        {
            "name": f"{alert.name}: one fingerprint across the fleet is silent",
            "interval": duration(SERIES_MS),
            "input_series": [info(service, fingerprint) for service in services],
            "alert_rule_test": [check(alert, TEST_END_MS, [])],
        },
    ]


def tests_file(schema: Schema, config: Monitored) -> str:
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
    comments = [*header(schema, config), "run: promtool test rules tests/monitoring/*.test.yml (nox -s monitoring)"]
    return "".join(f"# {line}\n" for line in comments) + "\n".join(yaml_lines(document)) + "\n"
