"""SIGTERM stops the gateway jar gracefully: no new connections, the payment in flight answered, exit 0."""

from __future__ import annotations

import concurrent.futures
import json
import signal
import time

import httpx
from e2e_processes import Processes

LATENCY_MS = 2000
# A slow provider needs a longer attempt timeout than the shortened config's 1 s; the deadline
# still covers 3 attempts and their backoff (the lint's rule).
TIMEOUT_MS = 4000
DEADLINE_MS = 13000
PAYMENT = {"order_id": "order-stop", "amount_minor": 1999, "currency": "EUR", "payment_token": "tok_visa_4242"}


def _attempts_at_provider(http: httpx.Client, simulator_url: str, key: str) -> int:
    charges = http.get(f"{simulator_url}/ledger").json()["charges"]
    return sum(entry["attempts"] for entry in charges if entry["key"] == key)


def test_sigterm_lets_the_payment_in_flight_answer_refuses_new_connections_and_exits_0(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    overrides = {
        "payment": {"timeout_ms": TIMEOUT_MS, "deadline_ms": DEADLINE_MS},
        "gateway": {"idempotency": {"lease_ms": DEADLINE_MS + 2000}},  # a lease outlives the deadline (lint)
    }
    gateway = processes.gateway(simulator.url, overrides)
    http.patch(
        f"{simulator.url}/control/behaviour", json={"latency": {"kind": "fixed", "ms": LATENCY_MS}}
    ).raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        in_flight = pool.submit(
            lambda: httpx.Client(timeout=30.0).post(
                f"{gateway.url}/payments", json=PAYMENT, headers={"Idempotency-Key": "e2e-stop"}
            )
        )
        waited = time.monotonic()
        while _attempts_at_provider(http, simulator.url, "e2e-stop") == 0:
            assert time.monotonic() - waited < 10, "the payment never reached the provider"
            time.sleep(0.02)

        gateway.popen.send_signal(signal.SIGTERM)
        signalled = time.monotonic()

        # The listener closes at once, while the payment still waits for the provider.
        refused = False
        while time.monotonic() - signalled < 1.0 and not in_flight.done():
            try:
                with httpx.Client(timeout=1.0) as fresh:
                    fresh.get(f"{gateway.url}/health")
            except httpx.ConnectError:
                refused = True
                break
            time.sleep(0.05)
        assert refused, "a new connection was still accepted after SIGTERM"
        assert not in_flight.done(), "the payment ended before the provider could answer it"

        answer = in_flight.result(timeout=30)

    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "authorised"
    assert answer.json()["attempts"] == 1
    # The bound: the payment's remaining deadline plus the time to write its answer (the 25 s cap
    # is above it here).
    bound_s = DEADLINE_MS / 1000 + 1
    code = gateway.popen.wait(timeout=bound_s)
    stopped_after = time.monotonic() - signalled
    print(f"\nSIGTERM to exit: {stopped_after * 1000:.0f} ms (provider latency {LATENCY_MS} ms, bound {bound_s} s)")
    assert code == 0
    assert stopped_after < bound_s

    ledger = http.get(f"{simulator.url}/ledger").json()
    entry = next(entry for entry in ledger["charges"] if entry["key"] == "e2e-stop")
    assert entry["charges"] == 1
    assert entry["status"] == "authorised"
    logged = [json.loads(line) for line in gateway.stderr().splitlines() if line.startswith("{")]
    draining = next(line for line in logged if line["event"] == "draining")
    assert draining["inflight"] == 1
    assert draining["stop_timeout_ms"] <= DEADLINE_MS + 1000
    assert next(line for line in logged if line["event"] == "stopped")["drained"] is True
