"""config/monitoring/grafana-dashboard.json: which panels, in what order, with the config's thresholds as lines."""

from __future__ import annotations

import json
from typing import Any

from tools.codegen.model import Schema
from tools.codegen.monitoring.alerts import FLAP_OPENS, RATE_WINDOW_MS, RELOAD_WINDOW_MS, flap_window_ms
from tools.codegen.monitoring.config import Monitored
from tools.codegen.monitoring.header import header
from tools.codegen.monitoring.panels import breaker_states, distinct_fingerprints, fingerprints, row, timeseries
from tools.codegen.monitoring.yaml_text import duration, number

DASHBOARD_PATH = "config/monitoring/grafana-dashboard.json"


def _panels(config: Monitored) -> list[dict[str, Any]]:
    w = duration(RATE_WINDOW_MS)
    ratio = f"sum by (service) (rate(checkout_requests_total[{w}]))"
    attempts = f"sum by (service, upstream, operation) (rate(checkout_upstream_attempts_total[{w}]))"
    latency = f"sum by (le, service, upstream, operation) (rate(checkout_upstream_latency_seconds_bucket[{w}]))"
    flap_window = duration(flap_window_ms(config))
    return [
        row("Errors and payment timeouts"),
        timeseries(
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
        timeseries(
            "Payment timeout rate",
            "Share of upstream attempts ending TIMEOUT or DEADLINE_EXCEEDED; line: "
            f"monitoring.payment_timeout_rate_threshold = {number(config.timeout_rate)}.",
            [
                (
                    "sum by (service, upstream, operation) "
                    f'(rate(checkout_upstream_attempts_total{{result=~"TIMEOUT|DEADLINE_EXCEEDED"}}[{w}]))\n'
                    f"  / {attempts}",
                    "{{service}} → {{upstream}} {{operation}}",
                )
            ],
            "percentunit",
            (("red", config.timeout_rate),),
        ),
        timeseries(
            "Payment latency percentiles",
            f"Upstream attempt latency; lines: payment.provider_expected_p99_ms = {config.provider_p99_ms} "
            f"and payment.timeout_ms = {config.timeout_ms}.",
            [
                (
                    f"histogram_quantile({q}, {latency})",
                    f"p{round(q * 100)} {{{{service}}}} → {{{{upstream}}}} {{{{operation}}}}",
                )
                for q in (0.5, 0.95, 0.99)
            ],
            "s",
            (("orange", config.provider_p99_ms / 1000), ("red", config.timeout_ms / 1000)),
        ),
        row("Database pool"),
        timeseries(
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
        timeseries(
            "Pool connections",
            "In use, idle and waiting (clients queued for a connection), and the pool size.",
            [
                ("checkout_pool_connections", "{{service}} {{state}}"),
                ("checkout_pool_max_connections", "{{service}} max"),
            ],
            "short",
        ),
        row("Breakers and retries"),
        breaker_states(),
        timeseries(
            f"Breaker opens ({flap_window})",
            f"Transitions to open in the flap window; line: the flapping alert's {FLAP_OPENS} opens.",
            [
                (
                    "sum by (service, upstream, operation) "
                    f'(increase(checkout_breaker_transitions_total{{to="open"}}[{flap_window}]))',
                    "{{service}} → {{upstream}} {{operation}}",
                )
            ],
            "short",
            (("red", FLAP_OPENS),),
        ),
        timeseries(
            "Retries",
            "Retries scheduled per second (backoff sleeps begun).",
            [
                (
                    f"sum by (service, upstream, operation) (rate(checkout_retries_total[{w}]))",
                    "{{service}} → {{upstream}} {{operation}}",
                )
            ],
            "ops",
        ),
        timeseries(
            "Retry budget",
            f"Tokens left; retries are refused at half of payment.retry_budget.max_tokens = {config.max_tokens} "
            "(line).",
            [
                ("checkout_retry_budget_tokens", "{{service}} → {{upstream}} {{operation}}"),
                ("checkout_retry_budget_max_tokens", "{{service}} → {{upstream}} {{operation}} max"),
            ],
            "short",
            (("red", config.max_tokens / 2),),
        ),
        row("Config"),
        fingerprints(config),
        distinct_fingerprints(),
        timeseries(
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


def dashboard_file(schema: Schema, config: Monitored) -> str:
    dashboard = {
        "uid": "checkout-timeouts",
        "title": "Checkout payment path: errors, timeouts, pool, breakers, config",
        "description": " · ".join(header(schema, config)),
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
