"""The three services that export metrics, running for real: gateway and order service (tools.stack) and
the Python payment client, whose registry is served on 127.0.0.1 like a service's /metrics.

Everything runs on a shortened copy of config/timeout.json, so the breaker recovers in a second.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from prometheus_client import CollectorRegistry, start_http_server

from checkout_payments.client import PaymentClient, PaymentError, ReloadingConfig
from tools.stack import Stack
from tools.stack.configs import derive, write_config

# Each value keeps the config's lint rules: timeout ≥ p99; deadline ≥ 2 × 500 + (50 + 10); acquire < deadline;
# floor + margin ≤ timeout and margin < floor.
SHORT: dict[str, Any] = {
    "/version": "monitoring-e2e",
    "/payment/timeout_ms": 500,
    "/payment/min_deadline_ms": 200,
    "/payment/answer_margin_ms": 100,
    "/payment/deadline_ms": 3000,
    "/payment/provider_expected_p99_ms": 300,
    "/payment/retry/max_attempts": 2,
    "/payment/retry/base_delay_ms": 50,
    "/payment/retry/jitter_ms": 10,
    "/payment/retry/max_delay_ms": 200,
    "/payment/circuit_breaker/failure_threshold": 3,
    "/payment/circuit_breaker/recovery_timeout_ms": 1000,
    "/payment/circuit_breaker/half_open_max_calls": 1,
    # The lookup's own policy (SEMANTICS §11), cut the same way.
    "/payment/lookup/timeout_ms": 500,
    "/payment/lookup/provider_expected_p99_ms": 300,
    "/payment/lookup/deadline_ms": 3000,
    "/payment/lookup/retry/base_delay_ms": 50,
    "/payment/lookup/retry/jitter_ms": 10,
    "/payment/lookup/retry/max_delay_ms": 200,
    "/payment/lookup/circuit_breaker/recovery_timeout_ms": 1000,
    "/database/pool/acquire_timeout_ms": 1000,
}
# The rules' fixed windows at 1/30: 5m rate windows become 10s, the drift alert's 10m `for` 20s.
SCALE = 1 / 30
GATEWAY_JOB, ORDER_JOB, CLIENT_JOB = "gateway", "order-service", "payment-client"
PAYMENT: dict[str, Any] = {"amount_minor": 1999, "currency": "EUR", "payment_token": "tok_visa_4242"}


def write_short_config(path: Path, changes: Mapping[str, Any] | None = None) -> Path:
    return write_config(derive({**SHORT, **(changes or {})}), path)


class ClientService:
    """A PaymentClient paying through the real gateway, its registry served over HTTP on 127.0.0.1.

    Its config is its own file (re-read before every payment), so a test can give it another one.
    """

    def __init__(self, gateway_url: str, config_path: Path) -> None:
        self.config_path = config_path
        self.registry = CollectorRegistry()
        self.client = PaymentClient(
            gateway_url, config=ReloadingConfig(config_path, interval_ms=0), registry=self.registry
        )
        self._server, self._thread = start_http_server(0, addr="127.0.0.1", registry=self.registry)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._orders = itertools.count(1)

    def pay(self) -> str:
        """One payment under a fresh order id; returns its status (a failure is a status too)."""
        order = f"monitoring-client-{next(self._orders)}"
        try:
            return self.client.pay(order, PAYMENT["amount_minor"], PAYMENT["currency"], PAYMENT["payment_token"]).status
        except PaymentError as error:
            return str(error.error_class)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self.client.close()


class GatewayLoad:
    """Payments straight to the gateway from a background thread, a few per second, until stopped.

    The breaker alert needs requests to keep arriving (a breaker nobody calls is no incident), and a
    caller with a breaker of its own would stop calling once it opened.
    """

    def __init__(self, gateway_url: str, interval_s: float = 0.1) -> None:
        self.answers: dict[int, int] = {}
        self._url = gateway_url
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gateway-load", daemon=True)

    def __enter__(self) -> GatewayLoad:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        with httpx.Client(base_url=self._url, timeout=10.0) as http:
            for n in itertools.count(1):
                if self._stop.wait(self._interval_s):
                    return
                body = {"order_id": f"load-{n}", **PAYMENT}
                try:
                    status = http.post("/payments", json=body, headers={"Idempotency-Key": f"load-{n}"}).status_code
                except httpx.HTTPError:
                    status = 0
                self.answers[status] = self.answers.get(status, 0) + 1


def place_order(order_service_url: str) -> str:
    """One order through the order service (which pays through the gateway); returns the order's status."""
    body = {"customer_id": "monitoring-e2e", **PAYMENT}
    headers = {"Idempotency-Key": f"monitoring-{uuid.uuid4()}"}
    response = httpx.post(f"{order_service_url}/orders", json=body, headers=headers, timeout=30.0)
    assert response.status_code == 201, response.text
    status: str = response.json()["status"]
    return status


def scrape(url: str) -> str:
    response = httpx.get(f"{url}/metrics", timeout=10.0)
    response.raise_for_status()
    return response.text


def set_outage(stack: Stack, mode: str) -> None:
    """The simulator's provider outage: `error_503` makes every charge fail at once, `none` ends it."""
    response = httpx.patch(f"{stack.simulator.url}/control/behaviour", json={"outage": {"mode": mode}}, timeout=10.0)
    response.raise_for_status()
