"""What the end-to-end tests share: the shortened config, the stack's HTTP surfaces, and waiting for a condition.

Every test talks real HTTP to real processes (tools/stack): the provider simulator, the Java gateway
and the Node order service on one real PostgreSQL (a database each), all reading one shortened copy of
config/timeout.json. The only fault injection is the simulator's control API and killing processes.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from checkout_payments.client import PaymentClient, ReloadingConfig
from tools.stack import Stack, StackOptions, metrics
from tools.stack.configs import derive, write_config

T = TypeVar("T")

# config/timeout.json with every wait cut to what a test can afford; the production counts are kept
# (3 attempts, breaker threshold 5, 3 half-open calls, 10 budget tokens). Each value still passes the
# schema and the lint: timeout ≥ p99, deadline ≥ 3 × 1500 + (100 + 20) + (200 + 20) = 4840.
TIMEOUT_MS = 1500
RECOVERY_MS = 2000
RELOAD_INTERVAL_MS = 400
RECONCILE_INTERVAL_MS = 1000
SHORTENED: dict[str, Any] = {
    "/version": "e2e-shortened",
    "/payment/timeout_ms": TIMEOUT_MS,
    # floor + margin ≤ every timeout a test sets (down to 1400), margin < floor.
    "/payment/min_deadline_ms": 500,
    "/payment/answer_margin_ms": 200,
    "/payment/provider_expected_p99_ms": 1000,
    "/payment/deadline_ms": 6000,
    "/payment/retry/base_delay_ms": 100,
    "/payment/retry/jitter_ms": 20,
    "/payment/retry/max_delay_ms": 400,
    "/payment/circuit_breaker/recovery_timeout_ms": RECOVERY_MS,
    # The lookup's own policy (SEMANTICS §11), cut the same way.
    "/payment/lookup/timeout_ms": TIMEOUT_MS,
    "/payment/lookup/provider_expected_p99_ms": 1000,
    "/payment/lookup/deadline_ms": 6000,
    "/payment/lookup/retry/base_delay_ms": 100,
    "/payment/lookup/retry/jitter_ms": 20,
    "/payment/lookup/retry/max_delay_ms": 400,
    "/payment/lookup/circuit_breaker/recovery_timeout_ms": RECOVERY_MS,
    "/database/pool/acquire_timeout_ms": 2000,
    "/monitoring/pool_check_interval_ms": 1000,
    "/order_service/reconcile_interval_ms": RECONCILE_INTERVAL_MS,
    # Outlives the deadline (lint), short enough that a key whose gateway was killed is recovered in a test.
    "/gateway/idempotency/lease_ms": 8000,
}
MAX_ATTEMPTS = 3
FAILURE_THRESHOLD = 5
HALF_OPEN_CALLS = 3
# How long a condition that depends on a poll, a reconcile run or a recovery may take on a busy
# 2-core machine; waits return as soon as the condition holds.
SETTLE_S = 30.0

SERVICES = ("gateway", "order-service")
TOKEN = "tok_visa_4242"


def write_shortened_config(directory: Path, changes: dict[str, Any] | None = None) -> Path:
    return write_config(derive({**SHORTENED, **(changes or {})}), directory / "timeout.json")


@contextmanager
def running_stack(workdir: Path) -> Iterator[Stack]:
    config = write_shortened_config(workdir)
    with Stack(StackOptions(config_path=config, workdir=workdir, reload_interval_ms=RELOAD_INTERVAL_MS)) as stack:
        yield stack


def module_stack(name: str) -> Callable[..., Iterator[Stack]]:
    """A module-scoped `own_stack` fixture: a stack of the module's own, for tests that kill its processes."""

    @pytest.fixture(scope="module")
    def own_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
        with running_stack(tmp_path_factory.mktemp(name)) as stack:
            yield stack
        assert stack.leftovers() == [], stack.leftovers()

    return own_stack


def wait_until(what: str, probe: Callable[[], T | None], timeout_s: float = SETTLE_S, every_s: float = 0.1) -> T:
    """Poll `probe` until it returns something other than None/False; fail naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = probe()
        if found is not None and found is not False:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s} s: {what}")
        time.sleep(every_s)


@dataclass
class Surfaces:
    """The stack's HTTP endpoints as the tests use them."""

    stack: Stack
    http: httpx.Client

    # ---- provider simulator --------------------------------------------------------------------

    def behave(self, **fields: Any) -> None:
        self.http.patch(f"{self.stack.simulator.url}/control/behaviour", json=fields).raise_for_status()

    def reset_provider(self) -> None:
        self.http.post(f"{self.stack.simulator.url}/control/reset").raise_for_status()

    def ledger(self) -> dict[str, Any]:
        ledger: dict[str, Any] = self.http.get(f"{self.stack.simulator.url}/ledger").json()
        assert ledger["totals"]["double_charged"] == [], ledger["totals"]
        return ledger

    def ledger_entry(self, key: str) -> dict[str, Any]:
        entries = [entry for entry in self.ledger()["charges"] if entry["key"] == key]
        assert len(entries) == 1, f"{key} in the ledger {len(entries)} times"
        entry: dict[str, Any] = entries[0]
        return entry

    # ---- gateway and order service -------------------------------------------------------------

    def health(self, service: str) -> dict[str, Any]:
        body: dict[str, Any] = self.http.get(f"{self.stack.services[service].url}/health").json()
        return body

    def breaker(self, service: str) -> str:
        state: str = self.health(service)["breaker"]["state"]
        return state

    def fingerprint(self, service: str) -> str:
        fingerprint: str = self.health(service)["config"]["fingerprint"]
        return fingerprint

    def pay(self, key: str, order_id: str = "order-e2e") -> httpx.Response:
        body = {"order_id": order_id, "amount_minor": 1999, "currency": "EUR", "payment_token": TOKEN}
        return self.http.post(f"{self.stack.gateway.url}/payments", json=body, headers={"Idempotency-Key": key})

    def order(self, key: str | None = None, customer: str = "c-e2e") -> httpx.Response:
        body = {"customer_id": customer, "amount_minor": 2599, "currency": "EUR", "payment_token": TOKEN}
        # The order service requires the key (a retry without one could charge twice): a fresh one by default.
        headers = {"Idempotency-Key": key if key is not None else f"e2e-{uuid.uuid4()}"}
        return self.http.post(f"{self.stack.order_service.url}/orders", json=body, headers=headers)

    def get_order(self, order_id: str) -> dict[str, Any]:
        response = self.http.get(f"{self.stack.order_service.url}/orders/{order_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def metric(self, service: str, name: str, **labels: str) -> float:
        """The sum of every sample of `name` whose labels include `labels` (0 when there is none)."""
        return metrics.total(metrics.scrape(self.stack.services[service].url, self.http), name, **labels)

    def client(self, config_path: Path | None = None, **options: Any) -> PaymentClient:
        """A Python payment client on the stack's config, re-read like the services do."""
        source = ReloadingConfig(config_path or self.stack.options.config_path, interval_ms=RELOAD_INTERVAL_MS)
        return PaymentClient(self.stack.gateway.url, config=source, **options)

    # ---- breakers ------------------------------------------------------------------------------

    def heal(self) -> None:
        """Bring every breaker of the stack back to closed: processes up, provider healthy, trials paid."""
        if not self.stack.simulator.running:
            self.stack.restart_simulator()
        if not self.stack.gateway.running:
            self.stack.restart_gateway()
        self.reset_provider()
        for n in range(HALF_OPEN_CALLS * 10):
            if all(self.breaker(service) == "closed" for service in SERVICES):
                return
            answer = self.order(customer=f"heal-{n}")
            if answer.status_code == 201 and answer.json()["status"] == "PAID":
                continue
            time.sleep(0.2)  # still open: its recovery time has not passed yet
        raise AssertionError(f"breakers did not close: {[self.health(s)['breaker'] for s in SERVICES]}")
