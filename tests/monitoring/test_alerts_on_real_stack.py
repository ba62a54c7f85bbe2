"""The generated alerts on the real stack: a real Prometheus scrapes the gateway, the order service and the
Python client every second and evaluates the rules generated from the shortened config (fixed windows at
SCALE); the tests break things for real and watch the alerts through Prometheus' HTTP API.
"""

from __future__ import annotations

from typing import Any

from conftest import RealServices
from prometheus_server import Prometheus
from real_stack import SCALE, GatewayLoad, set_outage, write_short_config

from tools.codegen.model import load_schema
from tools.codegen.monitoring.alerts import DRIFT_FOR_MS, breaker_for_ms, scaled
from tools.codegen.monitoring.config import load_monitored

BREAKER = "CheckoutBreakerOpenTooLong"
DRIFT = "CheckoutConfigDrift"
GATEWAY_TO_PROVIDER = {"service": "gateway", "upstream": "provider", "operation": "charge"}
# Generous: two shared cores, a JVM, Node, PostgreSQL and Prometheus; the alerts themselves need seconds.
SLACK_S = 60.0


def active(prometheus: Prometheus, alert: str, labels: dict[str, str]) -> list[dict[str, Any]]:
    return [a for a in prometheus.alerts(alert) if all(a["labels"].get(k) == v for k, v in labels.items())]


def in_state(prometheus: Prometheus, alert: str, labels: dict[str, str], state: str) -> dict[str, Any] | None:
    return next((a for a in active(prometheus, alert, labels) if a["state"] == state), None)


def value(prometheus: Prometheus, expr: str) -> float | None:
    result = prometheus.query(expr)
    return float(result[0]["value"][1]) if len(result) == 1 else None


def test_breaker_alert_goes_pending_fires_on_a_provider_outage_and_clears_after_recovery(
    services: RealServices, prometheus: Prometheus
) -> None:
    config = load_monitored(load_schema(), services.config_path)
    for_s = breaker_for_ms(config, SCALE) / 1000
    closed = 'checkout_breaker_state{service="gateway",upstream="provider",operation="charge",state="closed"}'
    prometheus.wait_for("Prometheus sees the gateway's breaker closed", lambda: value(prometheus, closed), SLACK_S)
    assert value(prometheus, closed) == 1
    assert active(prometheus, BREAKER, GATEWAY_TO_PROVIDER) == []

    with GatewayLoad(services.stack.gateway.url) as load:
        set_outage(services.stack, "error_503")
        try:
            pending = prometheus.wait_for(
                f"{BREAKER} pending once the provider fails",
                lambda: in_state(prometheus, BREAKER, GATEWAY_TO_PROVIDER, "pending"),
                SLACK_S,
                poll_s=0.1,
            )
            firing = prometheus.wait_for(
                f"{BREAKER} firing after its `for` of {for_s} s",
                lambda: in_state(prometheus, BREAKER, GATEWAY_TO_PROVIDER, "firing"),
                for_s + SLACK_S,
            )
        finally:
            set_outage(services.stack, "none")
        # The same alert instance went pending, then fired: it did not start over on the way.
        assert firing["activeAt"] == pending["activeAt"]
        assert firing["labels"]["severity"] == "critical"
        # Requests keep arriving while the breaker's next trial call finds the provider back.
        prometheus.wait_for(
            f"{BREAKER} cleared after the provider recovered",
            lambda: True if value(prometheus, closed) == 1 and not active(prometheus, BREAKER, {}) else None,
            SLACK_S,
        )
    assert load.answers.get(503, 0) > 0, f"the outage never reached a caller: {load.answers}"
    assert load.answers.get(200, 0) > 0, f"no payment succeeded after the recovery: {load.answers}"


def test_config_drift_alert_fires_when_one_service_runs_another_valid_config(
    services: RealServices, prometheus: Prometheus
) -> None:
    fingerprints = "count(count by (fingerprint) (checkout_config_info))"
    every_service = "count(checkout_config_info)"
    prometheus.wait_for(
        "all three services in Prometheus with one fingerprint",
        lambda: True if (value(prometheus, every_service), value(prometheus, fingerprints)) == (3, 1) else None,
        SLACK_S,
    )
    assert prometheus.alerts(DRIFT) == []

    # Another valid config for the client alone (its own file, re-read before each payment).
    write_short_config(services.client.config_path, {"/version": "monitoring-e2e-drifted", "/payment/timeout_ms": 600})
    try:
        services.client.pay()
        prometheus.wait_for("two fingerprints", lambda: True if value(prometheus, fingerprints) == 2 else None, SLACK_S)
        pending = prometheus.wait_for("drift pending", lambda: in_state(prometheus, DRIFT, {}, "pending"), SLACK_S)
        for_s = scaled(DRIFT_FOR_MS, SCALE) / 1000
        firing = prometheus.wait_for(
            f"drift firing after its `for` of {for_s} s",
            lambda: in_state(prometheus, DRIFT, {}, "firing"),
            for_s + SLACK_S,
        )
        assert firing["activeAt"] == pending["activeAt"]
        assert firing["labels"]["severity"] == "warning"
    finally:
        write_short_config(services.client.config_path)
        services.client.pay()
    prometheus.wait_for(
        "drift cleared once the client runs the fleet's config again",
        lambda: True if value(prometheus, fingerprints) == 1 and not prometheus.alerts(DRIFT) else None,
        SLACK_S,
    )
