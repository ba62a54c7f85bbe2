"""What the client tells operators: counters, Prometheus metrics named as METRICS.md, and logs free of card data."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from gateway_fake import FakeGateway, Step, error_body
from prometheus_client import CollectorRegistry

from checkout_payments.client import (
    JsonFormatter,
    PaymentClient,
    PaymentDeadlineExceededError,
    PaymentError,
    PaymentInvalidRequestError,
    PaymentTimeoutError,
)
from checkout_payments.config import LoadedConfig
from checkout_payments.resilience import BreakerState

CLIENT = {"service": "payment-client", "upstream": "gateway", "operation": "charge"}
LOOKUP = {**CLIENT, "operation": "lookup"}
# A token with a card number inside it, and a card number the gateway echoes back in an error.
TOKEN = "tok_4111111111111111"
CARD = "5500 0000 0000 0004"


def test_stats_count_each_payment_once_by_how_it_ended(client: PaymentClient, gateway: FakeGateway) -> None:
    gateway.script_post(
        Step(),  # authorised
        Step(drop=True),
        Step(),  # authorised on the retry
        Step(charge=True, hang=True),  # unknown
        Step(502, error_body("UPSTREAM_UNAVAILABLE", "provider 5xx", status="failed")),  # failed
    )
    client.pay("order-s1", 100, "EUR", "tok_a")
    client.pay("order-s2", 100, "EUR", "tok_b")
    # TIMEOUT, or DEADLINE_EXCEEDED when the clock moved before the attempt (SEMANTICS §5 calls it cut).
    with pytest.raises((PaymentTimeoutError, PaymentDeadlineExceededError)) as unknown:
        client.pay("order-s3", 100, "EUR", "tok_c")
    assert unknown.value.outcome == "unknown"
    with pytest.raises(PaymentError):
        client.pay("order-s4", 100, "EUR", "tok_d")
    client.pay("order-s5", 100, "EUR", "tok_decline")

    stats = client.stats
    assert (stats.successes, stats.declines, stats.unknown_outcomes, stats.failures) == (2, 1, 1, 1)
    assert (stats.attempts, stats.retries) == (6, 1)
    assert (stats.breaker_state, stats.breaker_generation) == (BreakerState.CLOSED, 0)
    # 10 − 1 (drop) + 0.1 (retry's success) − 1 (timeout) − 1 (502): the first success found the
    # bucket full and a decline is `ignored` (§4).
    assert stats.budget_tokens == pytest.approx(7.1)
    assert stats.budget_max_tokens == 10


def test_prometheus_metrics_use_the_shared_names_and_labels(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway, config: LoadedConfig
) -> None:
    registry = CollectorRegistry()
    client = make_client(gateway.url, registry=registry)
    gateway.script_post(Step(drop=True), Step(), *[Step(500, error_body("INTERNAL", "bug"))] * 3)

    client.pay("order-m1", 100, "EUR", "tok_a")
    for n in range(3):
        with pytest.raises(PaymentError):
            client.pay(f"order-m{n + 2}", 100, "EUR", "tok_b")

    def sample(name: str, **labels: str) -> float | None:
        return registry.get_sample_value(name, labels)

    assert sample("checkout_upstream_attempts_total", **CLIENT, result="CONNECTION") == 1
    assert sample("checkout_upstream_attempts_total", **CLIENT, result="success") == 1
    assert sample("checkout_upstream_attempts_total", **CLIENT, result="UPSTREAM_UNAVAILABLE") == 3
    assert sample("checkout_upstream_latency_seconds_count", **CLIENT) == 5
    assert sample("checkout_retries_total", **CLIENT) == 1
    assert sample("checkout_payment_outcomes_total", service="payment-client", status="authorised") == 1
    assert sample("checkout_payment_outcomes_total", service="payment-client", status="unknown") == 3
    assert sample("checkout_breaker_state", **CLIENT, state="open") == 1
    assert sample("checkout_breaker_state", **CLIENT, state="closed") == 0
    assert sample("checkout_breaker_transitions_total", **CLIENT, **{"from": "closed", "to": "open"}) == 1
    assert sample("checkout_retry_budget_tokens", **CLIENT) == client.stats.budget_tokens
    assert sample("checkout_retry_budget_max_tokens", **CLIENT) == 10
    assert sample("checkout_bulkhead_in_flight", **CLIENT) == 0
    # Payments touched only the charge's series: the lookup's breaker and budget are its own.
    assert sample("checkout_breaker_state", **LOOKUP, state="closed") == 1
    assert sample("checkout_retry_budget_tokens", **LOOKUP) == 10
    assert sample("checkout_upstream_latency_seconds_count", **LOOKUP) == 0
    info = {"service": "payment-client", "version": config.settings.version, "fingerprint": config.fingerprint}
    assert sample("checkout_config_info", **info) == 1
    assert sample("checkout_inflight_requests", service="payment-client") == 0


def test_logs_are_json_lines_without_the_token_or_card_numbers(
    client: PaymentClient, gateway: FakeGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    gateway.script_post(
        Step(drop=True),
        Step(),
        Step(400, error_body("INVALID_REQUEST", f"card {CARD} refused for token {TOKEN}", pointer="/payment_token")),
    )
    client.pay("order-l1", 100, "EUR", TOKEN)
    with pytest.raises(PaymentInvalidRequestError) as raised:
        client.pay("order-l2", 100, "EUR", TOKEN)
    with pytest.raises(PaymentInvalidRequestError):
        client.pay("order-l3", 100, "EUR", "x" * 300)

    lines = [JsonFormatter().format(record) for record in caplog.records]
    events = [json.loads(line)["event"] for line in lines]
    assert {"gateway_attempt", "gateway_backoff", "payment_outcome"} <= set(events)
    everything = "\n".join(lines) + "".join(str(record.__dict__) for record in caplog.records)
    for secret in (TOKEN, "4111111111111111", CARD, CARD.replace(" ", ""), "x" * 300):
        assert secret not in everything
    # The gateway's words reach the caller scrubbed too.
    assert CARD not in str(raised.value)
    assert "4111111111111111" not in str(raised.value)
