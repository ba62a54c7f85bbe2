"""The campaign's clients: orders through the balancer, direct payments by the Python client (the Lambda's
path), and the duplicate pairs sent straight at two replicas.

Each order is a client that behaves as the order service's answers advise (docs/ORDER_SERVICE.md): one
Idempotency-Key per order, the same key on every retry; a `409` waits its `Retry-After`, a `503`, a
balancer's `502` or a lost answer is retried after a pause; a `201`/`200` ends it (a `PAYMENT_UNKNOWN`
order is settled by the order service's reconciler). Every HTTP exchange is recorded with a request id
that HAProxy logs, so an answer the balancer made can be tied to the replica it was on.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from checkout_payments.client import AsyncPaymentClient, PaymentError
from tools.stack.balancer import MARKER_HEADER, REQUEST_ID_HEADER

TOKEN = "tok_visa_4242"
FINAL_ORDER = frozenset({"PAID", "DECLINED", "FAILED"})
FINAL_PAYMENT = frozenset({"authorised", "declined"})
# A client keeps retrying one order this long (wall s): past a killed replica's restart and the order
# service's stale-PENDING bound (deadline + acquire, ~9 s at k = 10), after which a retry is answered.
RETRY_FOR_S = 40.0
REQUEST_TIMEOUT_S = 30.0
# Every DIRECT_EVERY-th arrival is a direct payment by the Python client through the gateways' frontend.
DIRECT_EVERY = 5


@dataclass
class Exchange:
    """One HTTP exchange the campaign's clients made (wall epoch seconds)."""

    kind: str  # order, duplicate-order, duplicate-payment, settle
    key: str
    target: str  # "balancer" or the replica's name
    request_id: str
    sent_at: float
    ended_at: float
    status: int | None = None
    error_class: str | None = None
    from_balancer: bool = False
    transport_error: str | None = None
    order_id: str | None = None
    order_status: str | None = None


@dataclass
class Payment:
    """A direct payment by the Python client: its key and every outcome it was told, in order."""

    key: str
    outcomes: list[str] = field(default_factory=list)  # authorised | declined | failed:CLASS | unknown:CLASS
    final: str | None = None


@dataclass
class Traffic:
    """Everything the clients saw, filled while they run."""

    exchanges: list[Exchange] = field(default_factory=list)
    orders: dict[str, str | None] = field(default_factory=dict)  # client key → order id (None: none known yet)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # client key → the order's body
    payments: dict[str, Payment] = field(default_factory=dict)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    inflight: int = 0
    # How late each arrival left (wall s): the load generator's own distortion, reported.
    lags: list[float] = field(default_factory=list)

    def order_keys_without_order(self) -> list[str]:
        return [key for key, order_id in self.orders.items() if order_id is None]


class Clients:
    """The campaign's clients on one event loop; `http` for the balancer, `direct` for the replicas."""

    def __init__(self, order_url: str, payments: AsyncPaymentClient, seed: int, prefix: str) -> None:
        limits = httpx.Limits(max_connections=1024, max_keepalive_connections=256)
        self.http = httpx.AsyncClient(base_url=order_url, limits=limits, timeout=REQUEST_TIMEOUT_S)
        self.direct = httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT_S)
        self.payments = payments
        self.rng = random.Random(f"load:{seed}")
        self.prefix = prefix
        self.traffic = Traffic()

    async def close(self) -> None:
        await self.http.aclose()
        await self.direct.aclose()

    def body(self) -> dict[str, Any]:
        customer = f"faults-customer-{self.rng.randrange(1, 500)}"
        return {"customer_id": customer, "amount_minor": self.rng.randint(500, 25_000), "currency": "EUR"}

    async def arrival(self, index: int) -> None:
        """One arrival of the open-model traffic: an order, or every DIRECT_EVERY-th a direct payment."""
        self.traffic.inflight += 1
        try:
            if index % DIRECT_EVERY == DIRECT_EVERY - 1:
                await self.pay(f"{self.prefix}-pay-{index}", self.body())
            else:
                await self.order(f"{self.prefix}-order-{index}", self.body(), "order")
        finally:
            self.traffic.inflight -= 1

    async def order(self, key: str, body: dict[str, Any], kind: str, retry_for_s: float = RETRY_FOR_S) -> None:
        """POST /orders with one key until an order comes back (or retry_for_s runs out)."""
        self.traffic.orders.setdefault(key, None)
        self.traffic.bodies[key] = body
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            exchange = await self.post_order(self.http, "balancer", key, body, f"{kind}:{attempt}", kind)
            if exchange.order_id is not None:
                self.traffic.orders[key] = exchange.order_id
                return
            if exchange.status in (400, 413, 415, 422, 500) or time.monotonic() - started > retry_for_s:
                return
            await asyncio.sleep(_pause(exchange, attempt))

    async def post_order(
        self, http: httpx.AsyncClient, target: str, key: str, body: dict[str, Any], tag: str, kind: str
    ) -> Exchange:
        request_id = f"{key}#{tag}"
        headers = {"Idempotency-Key": key, REQUEST_ID_HEADER: request_id}
        exchange = Exchange(kind, key, target, request_id, time.time(), 0.0)
        url = "/orders" if target == "balancer" else f"{target}/orders"
        try:
            response = await http.post(url, json={**body, "payment_token": TOKEN}, headers=headers)
        except httpx.HTTPError as lost:
            exchange.transport_error = f"{type(lost).__name__}: {lost}"[:200]
        else:
            _read(exchange, response)
        exchange.ended_at = time.time()
        self.traffic.exchanges.append(exchange)
        return exchange

    async def pay(self, key: str, body: dict[str, Any], tries: int = 3) -> None:
        """A direct payment (the Lambda's path); a `failed` one (nothing charged) is paid again with the
        same key after its Retry-After, as SQS redelivers; an `unknown` one is settled at the end."""
        payment = self.traffic.payments.setdefault(key, Payment(key))
        for _ in range(tries):
            try:
                result = await self.payments.pay(
                    key, body["amount_minor"], body["currency"], TOKEN, idempotency_key=key
                )
            except PaymentError as failed:
                payment.outcomes.append(f"{failed.outcome}:{failed.error_class.value}")
                if failed.outcome != "failed":
                    return
                await asyncio.sleep(min(2.0, (failed.retry_after_ms or 1000) / 1000))
                continue
            payment.outcomes.append(result.status)
            payment.final = result.status
            return

    async def settle_payment(self, key: str) -> str:
        """GET /payments/{key} through the balancer: what the gateway (asking the provider) knows now."""
        try:
            status = (await self.payments.get_payment(key)).status
        except PaymentError as failed:
            self.traffic.payments[key].outcomes.append(f"settle {failed.outcome}:{failed.error_class.value}")
            if failed.error_class.value == "NOT_FOUND":
                # Neither the gateway nor the provider knows the key: it never arrived, nothing was charged.
                self.traffic.payments[key].final = "failed"
            return f"{failed.outcome}:{failed.error_class.value}"
        self.traffic.payments[key].outcomes.append(f"settle {status}")
        if status in FINAL_PAYMENT or status == "failed":
            self.traffic.payments[key].final = status
        return status

    async def duplicate_order(self, key: str, urls: list[str], names: list[str]) -> dict[str, Any]:
        """The same order with one key posted at the same moment to two order-service replicas."""
        body = self.body()
        self.traffic.orders.setdefault(key, None)
        self.traffic.bodies[key] = body
        answers = await asyncio.gather(
            *(
                self.post_order(self.direct, url, key, body, f"dup:{name}", "duplicate-order")
                for url, name in zip(urls, names, strict=True)
            )
        )
        for answer, name in zip(answers, names, strict=True):
            answer.target = name
        found = {answer.order_id for answer in answers if answer.order_id is not None}
        if found:
            self.traffic.orders[key] = next(iter(found))
        else:
            await self.order(key, body, "duplicate-order")
        record = {
            "kind": "duplicate-order",
            "key": key,
            "replicas": names,
            "answers": [{"replica": a.target, "status": a.status, "order_id": a.order_id} for a in answers],
            "distinct_orders": len(found),
        }
        self.traffic.duplicates.append(record)
        return record

    async def duplicate_payment(self, key: str, urls: list[str], names: list[str]) -> dict[str, Any]:
        """The same payment with one key posted at the same moment to two gateway replicas."""
        body = {**self.body(), "order_id": key, "payment_token": TOKEN}
        body.pop("customer_id")
        self.traffic.payments[key] = Payment(key)

        async def post(url: str, name: str) -> Exchange:
            exchange = Exchange("duplicate-payment", key, name, f"{key}#dup:{name}", time.time(), 0.0)
            try:
                response = await self.direct.post(f"{url}/payments", json=body, headers={"Idempotency-Key": key})
            except httpx.HTTPError as lost:
                exchange.transport_error = type(lost).__name__
            else:
                _read(exchange, response)
                exchange.order_status = _json(response).get("status")
            exchange.ended_at = time.time()
            self.traffic.exchanges.append(exchange)
            return exchange

        answers = await asyncio.gather(*(post(url, name) for url, name in zip(urls, names, strict=True)))
        record = {
            "kind": "duplicate-payment",
            "key": key,
            "replicas": names,
            "answers": [{"replica": a.target, "status": a.status, "payment": a.order_status} for a in answers],
        }
        self.traffic.duplicates.append(record)
        return record


def _read(exchange: Exchange, response: httpx.Response) -> None:
    exchange.status = response.status_code
    exchange.from_balancer = MARKER_HEADER.lower() in response.headers
    body = _json(response)
    error = body.get("error")
    if isinstance(error, dict):
        exchange.error_class = str(error.get("class"))
    if response.status_code in (200, 201) and "order_id" in body:
        exchange.order_id = str(body["order_id"])
        exchange.order_status = str(body.get("status"))


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _pause(exchange: Exchange, attempt: int) -> float:
    """How long a client waits before the same request again: Retry-After (capped), else a backoff."""
    if exchange.status == 409:
        return 1.0
    return float(min(2.0, 0.25 * 2 ** min(attempt, 4)) * random.uniform(0.8, 1.2))
