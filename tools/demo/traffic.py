"""The demo's batch of orders: arrivals at a steady mean rate while the provider changes behaviour.

Open model: orders arrive on a seeded Poisson schedule whatever the stack answers, so a slow or
failing provider shows up as latency and errors instead of as fewer orders.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from checkout_payments.client import PaymentClient, PaymentError

FAST = {"kind": "lognormal", "median_ms": 120, "p99_ms": 900}
DECLINES = 0.08


@dataclass(frozen=True)
class Phase:
    name: str
    starts_at_s: float
    # A whole simulator behaviour document (PUT /control/behaviour; docs/SIMULATOR.md).
    behaviour: dict[str, Any]


PLAN = (
    Phase("fast provider", 0, {"latency": FAST, "decline_rate": DECLINES}),
    # Slow but inside the 20 s timeout; 6 % of the answers are lost after the charge was made.
    Phase(
        "slow provider",
        15,
        {
            "latency": {"kind": "lognormal", "median_ms": 900, "p99_ms": 12000},
            "decline_rate": DECLINES,
            "charge_then_timeout_rate": 0.06,
        },
    ),
    Phase("provider outage", 30, {"latency": FAST, "decline_rate": DECLINES, "outage": {"mode": "error_503"}}),
    Phase("provider back", 40, {"latency": FAST, "decline_rate": DECLINES}),
)
ARRIVALS_PER_S = 4.0
DURATION_S = 60.0
# Above the order service's worst case (payment.deadline_ms 70 s plus its own writes).
ORDER_TIMEOUT_S = 90.0
CURRENCIES = ("EUR", "USD", "GBP")
TOKEN = "tok_visa_4242"
# Every fifth arrival pays through the Python client straight at the gateway (the payment Lambda's path).
DIRECT_EVERY = 5


@dataclass
class Sent:
    """One order or direct payment as the demo sent it, and its status as first answered.

    `kind` is `order` (POST /orders at the order service) or `payment` (the Python client paying at
    the gateway, the path of the payment Lambda); `key` is the Idempotency-Key the provider sees.
    """

    number: int
    phase: str
    kind: str
    key: str = ""
    status: str = "no answer"
    error_class: str | None = None
    order_id: str | None = None
    latency_s: float = 0.0
    error: str | None = None

    @property
    def answered(self) -> bool:
        return self.status != "no answer" and not self.status.startswith("HTTP ")


class Traffic:
    """Sends the plan's orders (and, with a client, direct payments); `sent` grows as they are answered."""

    def __init__(
        self, order_service_url: str, simulator_url: str, seed: int, client: PaymentClient | None = None
    ) -> None:
        self._orders = order_service_url
        self._client = client
        self._simulator = simulator_url
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.sent: list[Sent] = []
        self.phase = PLAN[0].name

    def run(self, on_tick: Callable[[float], None], tick_s: float = 3.0) -> None:
        """Send every order of the plan and wait for their answers, calling `on_tick(elapsed)` meanwhile."""
        started = time.monotonic()
        phases = list(PLAN)
        futures: list[Future[None]] = []
        next_tick = tick_s

        def wait_until(at_s: float) -> None:
            nonlocal next_tick
            while (elapsed := time.monotonic() - started) < at_s:
                if elapsed >= next_tick:
                    on_tick(elapsed)
                    next_tick += tick_s
                time.sleep(min(at_s - elapsed, 0.05))

        pool = ThreadPoolExecutor(max_workers=128, thread_name_prefix="order")
        try:
            with httpx.Client(timeout=ORDER_TIMEOUT_S, limits=httpx.Limits(max_connections=200)) as http:
                for number, at_s in enumerate(self._schedule(), start=1):
                    wait_until(at_s)
                    if len(phases) > 1 and at_s >= phases[1].starts_at_s:
                        phases.pop(0)
                    if self.phase != phases[0].name or number == 1:
                        self.phase = phases[0].name
                        http.put(f"{self._simulator}/control/behaviour", json=phases[0].behaviour).raise_for_status()
                    futures.append(pool.submit(self._send, http, number, self.phase))
                self.phase = "waiting for the last answers"
                while not all(future.done() for future in futures):
                    wait_until(time.monotonic() - started + 0.1)
                for future in futures:
                    future.result()
        except BaseException:
            # Ctrl-C: do not wait for answers that may take a whole payment deadline.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()

    def _schedule(self) -> list[float]:
        times: list[float] = []
        at = 0.0
        while True:
            at += self._random.expovariate(ARRIVALS_PER_S)
            if at >= DURATION_S:
                return times
            times.append(at)

    def _send(self, http: httpx.Client, number: int, phase: str) -> None:
        with self._lock:
            customer = f"customer-{self._random.randrange(1, 400)}"
            amount = self._random.randrange(500, 25_000)
            currency = self._random.choice(CURRENCIES)
        direct = self._client is not None and number % DIRECT_EVERY == 0
        sent = Sent(number, phase, "payment" if direct else "order")
        started = time.perf_counter()
        if direct:
            self._pay(sent, customer, amount, currency)
        else:
            self._order(http, sent, {"customer_id": customer, "amount_minor": amount, "currency": currency})
        sent.latency_s = time.perf_counter() - started
        with self._lock:
            self.sent.append(sent)

    def _order(self, http: httpx.Client, sent: Sent, body: dict[str, Any]) -> None:
        headers = {"Idempotency-Key": f"demo-order-{sent.number}"}
        try:
            answer = http.post(f"{self._orders}/orders", json={**body, "payment_token": TOKEN}, headers=headers)
        except httpx.HTTPError as failed:
            sent.error = f"{type(failed).__name__}: {failed}"
            return
        if answer.status_code not in (200, 201):
            sent.status, sent.error = f"HTTP {answer.status_code}", answer.text[:300]
            return
        order = answer.json()
        sent.status, sent.order_id = str(order["status"]), str(order["order_id"])
        sent.key, sent.error_class = order["payment"]["idempotency_key"], order["payment"].get("error_class")

    def _pay(self, sent: Sent, customer: str, amount: int, currency: str) -> None:
        assert self._client is not None
        sent.key = f"demo-payment-{sent.number}"
        try:
            result = self._client.pay(customer, amount, currency, TOKEN, idempotency_key=sent.key)
        except PaymentError as failed:
            sent.status, sent.error_class = failed.outcome, failed.error_class.value
            return
        sent.status = result.status

    def snapshot(self) -> list[Sent]:
        with self._lock:
            return list(self.sent)
