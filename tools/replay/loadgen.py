"""Open-model load: orders arrive on a seeded Poisson schedule, whatever the system answers.

Each order is sent at its scheduled time even when earlier ones are still waiting, and its latency
is measured from that scheduled time, so a slow system shows up as latency instead of as fewer
requests (no coordinated omission). The only bound is `max_inflight`, set far above the expected
concurrency; each time it is hit, a send waits — counted and reported as a distortion.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

# Final order statuses: the payment's outcome is known.
FINAL = frozenset({"PAID", "DECLINED", "FAILED"})
# Answers that are not an error: the provider answered (authorised or declined).
ANSWERED = frozenset({"PAID", "DECLINED"})
CLIENT_TIMEOUT = "CLIENT_TIMEOUT"
CLIENT_CONNECTION = "CLIENT_CONNECTION"


@dataclass
class Outcome:
    """One order as the caller saw it."""

    index: int
    scheduled_s: float  # wall seconds after the traffic started
    latency_ms: float  # wall ms from the scheduled arrival to the answer
    http_status: int | None
    order_id: str | None
    status: str | None  # the order's status in the answer, or None when there was no order
    error_class: str | None  # None for PAID / DECLINED
    lag_ms: float  # how late the request left, wall ms
    key: str = ""  # the Idempotency-Key it was sent with (the same order index has the same key in every run)

    @property
    def is_error(self) -> bool:
        return self.error_class is not None


@dataclass
class LoadState:
    """Live counters, read by the progress line and the sampler."""

    sent: int = 0
    answered: int = 0
    errors: int = 0
    inflight: int = 0
    throttled: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


def poisson_schedule(rate_per_s: float, duration_s: float, seed: int) -> list[float]:
    """Arrival times in [0, duration_s) with exponential gaps of mean 1/rate, from a seeded RNG."""
    rng = random.Random(seed)
    times: list[float] = []
    t = rng.expovariate(rate_per_s)
    while t < duration_s:
        times.append(t)
        t += rng.expovariate(rate_per_s)
    return times


def order_body(index: int, rng: random.Random) -> dict[str, Any]:
    return {
        "customer_id": f"replay-customer-{index % 997}",
        "amount_minor": rng.randint(500, 25_000),
        "currency": "EUR",
        "payment_token": "tok_visa_4242",
    }


async def drive(
    base_url: str,
    schedule: list[float],
    *,
    key_prefix: str,
    seed: int,
    request_timeout_s: float,
    max_inflight: int,
    state: LoadState,
    on_start: Callable[[float], None] | None = None,
) -> None:
    """Send one POST /orders per scheduled time; returns when every answer is in."""
    rng = random.Random(seed + 1)
    bodies = [order_body(index, rng) for index in range(len(schedule))]
    slots = asyncio.Semaphore(max_inflight)
    limits = httpx.Limits(max_connections=max_inflight, max_keepalive_connections=max_inflight)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=request_timeout_s) as client:
        start = time.monotonic()
        if on_start is not None:
            on_start(start)
        tasks: list[asyncio.Task[None]] = []
        for index, at in enumerate(schedule):
            delay = start + at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if slots.locked():
                state.throttled += 1
            await slots.acquire()
            key = f"{key_prefix}-{index}"
            tasks.append(asyncio.create_task(_send(client, index, at, start, key, bodies[index], slots, state)))
        await asyncio.gather(*tasks)


async def _send(
    client: httpx.AsyncClient,
    index: int,
    at: float,
    start: float,
    key: str,
    body: dict[str, Any],
    slots: asyncio.Semaphore,
    state: LoadState,
) -> None:
    scheduled = start + at
    lag_ms = (time.monotonic() - scheduled) * 1000
    state.sent += 1
    state.inflight += 1
    http_status: int | None = None
    order_id = status = error_class = None
    try:
        response = await client.post("/orders", json=body, headers={"Idempotency-Key": key})
        http_status = response.status_code
        order_id, status, error_class = _classify(response)
    except httpx.TimeoutException:
        error_class = CLIENT_TIMEOUT
    except httpx.HTTPError:
        error_class = CLIENT_CONNECTION
    finally:
        latency_ms = (time.monotonic() - scheduled) * 1000
        state.inflight -= 1
        slots.release()
    state.answered += 1
    state.errors += error_class is not None
    state.outcomes.append(Outcome(index, at, latency_ms, http_status, order_id, status, error_class, lag_ms, key))


def _classify(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    """(order id, order status, error class) of one answer; the class is None for PAID / DECLINED."""
    try:
        body = response.json()
    except ValueError:
        return None, None, f"HTTP_{response.status_code}"
    if response.status_code in (200, 201) and isinstance(body, dict) and "order_id" in body:
        status = str(body.get("status"))
        if status in ANSWERED:
            return str(body["order_id"]), status, None
        payment = body.get("payment") or {}
        return str(body["order_id"]), status, str(payment.get("error_class") or status)
    error = body.get("error") if isinstance(body, dict) else None
    error_class = error.get("class") if isinstance(error, dict) else None
    return None, None, str(error_class or f"HTTP_{response.status_code}")
