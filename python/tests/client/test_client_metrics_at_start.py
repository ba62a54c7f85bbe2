"""The client's Prometheus series exist at 0 before the first payment, so increase() sees the first event."""

from __future__ import annotations

from collections.abc import Callable

from gateway_fake import FakeGateway
from prometheus_client import CollectorRegistry

from checkout_payments.client import PaymentClient

CLIENT = {"service": "payment-client", "upstream": "gateway"}
OPERATIONS = ("charge", "lookup")
TRANSITIONS = [("closed", "open"), ("open", "half_open"), ("half_open", "closed"), ("half_open", "open")]


def test_series_with_labels_known_up_front_start_at_zero(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway
) -> None:
    registry = CollectorRegistry()
    make_client(gateway.url, registry=registry)

    def sample(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, labels)

    for operation in OPERATIONS:
        labels = {**CLIENT, "operation": operation}
        assert sample("checkout_retries_total", **labels) == 0
        assert sample("checkout_upstream_latency_seconds_count", **labels) == 0
        assert sample("checkout_upstream_latency_seconds_bucket", **labels, le="60.0") == 0
        for from_state, to_state in TRANSITIONS:
            assert sample("checkout_breaker_transitions_total", **labels, **{"from": from_state, "to": to_state}) == 0
        assert sample("checkout_bulkhead_in_flight", **labels) == 0
    # The config's bulkhead sizes: the charge's and the lookup's own.
    assert sample("checkout_bulkhead_max_concurrent", **CLIENT, operation="charge") == 200
    assert sample("checkout_bulkhead_max_concurrent", **CLIENT, operation="lookup") == 20
    for status in ("authorised", "declined", "unknown", "failed"):
        assert sample("checkout_payment_outcomes_total", service="payment-client", status=status) == 0
    # Only the four transitions of SEMANTICS §3: no made-up pair such as closed → half_open.
    closed_to_half_open = {"from": "closed", "to": "half_open"}
    assert sample("checkout_breaker_transitions_total", **CLIENT, operation="charge", **closed_to_half_open) is None
    # Results are open-ended (success, DECLINED, any error class): they appear on first use.
    assert sample("checkout_upstream_attempts_total", **CLIENT, operation="charge", result="success") is None
