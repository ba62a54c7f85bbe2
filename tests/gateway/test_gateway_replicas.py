"""Issue 11's "done when", gateway half: two gateway replicas on one PostgreSQL database, and a gateway
killed with SIGKILL mid-payment and started again — against the real provider simulator, whose ledger
is the proof of how many times a key was charged."""

from __future__ import annotations

import concurrent.futures
import signal
import subprocess
import time
from typing import Any

import httpx
import pytest
from e2e_processes import LEASE_MS, Process, Processes, gateway_command, gateway_env
from pg import execute

TOKEN = "tok_visa_4242"


def payment(amount_minor: int = 1999) -> dict[str, Any]:
    return {"order_id": "order-17", "amount_minor": amount_minor, "currency": "EUR", "payment_token": TOKEN}


def pay(gateway: Process, key: str, body: dict[str, Any] | None = None) -> httpx.Response:
    with httpx.Client(timeout=15.0) as client:
        return client.post(f"{gateway.url}/payments", json=body or payment(), headers={"Idempotency-Key": key})


def status(http: httpx.Client, gateway: Process, key: str) -> httpx.Response:
    return http.get(f"{gateway.url}/payments/{key}")


def ledger(http: httpx.Client, simulator: Process, key: str) -> dict[str, Any]:
    book = http.get(f"{simulator.url}/ledger").json()
    assert book["totals"]["double_charged"] == []
    entries = [entry for entry in book["charges"] if entry["key"] == key]
    assert len(entries) == 1, book
    entry: dict[str, Any] = entries[0]
    return entry


def behave(http: httpx.Client, simulator: Process, **fields: Any) -> None:
    http.patch(f"{simulator.url}/control/behaviour", json=fields).raise_for_status()


def test_two_gateways_on_one_database_charge_a_key_posted_to_both_at_once_once(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    replicas = [processes.gateway(simulator.url), processes.gateway(simulator.url)]
    behave(http, simulator, latency={"kind": "fixed", "ms": 300})

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda i: pay(replicas[i % 2], "e2e-replicas"), range(10)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(200) == 1, [answer.text for answer in answers]
    assert statuses.count(409) == 9, statuses
    entry = ledger(http, simulator, "e2e-replicas")
    assert entry["charges"] == 1
    assert entry["attempts"] == 1
    charged = next(answer.json() for answer in answers if answer.status_code == 200)
    for replica in replicas:  # either replica replays the one answer
        replay = pay(replica, "e2e-replicas")
        assert replay.status_code == 200
        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json()["charge_id"] == charged["charge_id"]
    assert pay(replicas[1], "e2e-replicas", payment(2999)).status_code == 422


def _kill_mid_payment(processes: Processes, http: httpx.Client, simulator: Process, key: str) -> Process:
    """Starts a payment on a gateway, SIGKILLs the gateway while the provider is charging, returns a new one."""
    doomed = processes.gateway(simulator.url)
    behave(http, simulator, latency={"kind": "fixed", "ms": 800})  # within the 1 s attempt timeout
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        in_flight = pool.submit(pay, doomed, key)
        waited = time.monotonic()
        while http.get(f"{simulator.url}/v1/charges/{key}").status_code == 404:
            assert time.monotonic() - waited < 10, "the charge never reached the provider"
            time.sleep(0.02)
        doomed.stop(signal.SIGKILL)
        with pytest.raises(httpx.HTTPError):
            in_flight.result(timeout=15)
    behave(http, simulator, latency={"kind": "fixed", "ms": 20})
    return processes.gateway(simulator.url)


def _after_the_lease(http: httpx.Client, gateway: Process, key: str) -> httpx.Response:
    """GET until the dead gateway's lease ran out and the record was settled by asking the provider."""
    deadline = time.monotonic() + LEASE_MS / 1000 + 10
    while True:
        answer = status(http, gateway, key)
        if answer.json()["status"] != "pending" or time.monotonic() > deadline:
            return answer
        time.sleep(0.25)


def test_a_gateway_killed_mid_payment_is_answered_by_its_restart_through_a_lookup(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    restarted = _kill_mid_payment(processes, http, simulator, "e2e-killed-get")

    pending = status(http, restarted, "e2e-killed-get")
    assert pending.status_code == 200
    assert pending.json()["status"] == "pending", "the dead gateway's lease still holds the key"
    assert pay(restarted, "e2e-killed-get").status_code == 409

    settled = _after_the_lease(http, restarted, "e2e-killed-get")

    entry = ledger(http, simulator, "e2e-killed-get")
    assert settled.json()["status"] == "authorised", settled.text
    assert settled.json()["charge_id"] == entry["charge_id"]
    replay = pay(restarted, "e2e-killed-get")
    assert replay.status_code == 200, replay.text
    assert replay.json()["charge_id"] == entry["charge_id"]
    assert replay.headers["Idempotent-Replayed"] == "true"
    conflict = pay(restarted, "e2e-killed-get", payment(2999))
    assert conflict.status_code == 422, conflict.text
    assert conflict.json()["error"]["class"] == "IDEMPOTENCY_CONFLICT"
    assert ledger(http, simulator, "e2e-killed-get")["charges"] == 1


def test_a_gateway_killed_mid_payment_is_answered_by_a_post_replay_after_its_restart(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    restarted = _kill_mid_payment(processes, http, simulator, "e2e-killed-post")
    time.sleep(LEASE_MS / 1000 + 0.5)

    replay = pay(restarted, "e2e-killed-post")  # asks the provider first: never a blind second charge

    entry = ledger(http, simulator, "e2e-killed-post")
    assert replay.status_code == 200, replay.text
    assert replay.json()["status"] == "authorised"
    assert replay.json()["charge_id"] == entry["charge_id"]
    assert entry["charges"] == 1
    assert pay(restarted, "e2e-killed-post", payment(2999)).status_code == 422
    assert status(http, restarted, "e2e-killed-post").json()["status"] == "authorised"


def test_a_shed_payment_succeeds_with_the_same_key_once_the_provider_recovers(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)
    behave(http, simulator, error_rate=1, error_statuses=[503])

    shed = pay(gateway, "e2e-shed")
    assert shed.status_code == 503, shed.text
    assert shed.json()["status"] == "failed"
    assert "retrying with the same Idempotency-Key is safe" in shed.json()["error"]["message"]

    behave(http, simulator, error_rate=0)
    again = pay(gateway, "e2e-shed")
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "authorised"
    assert "Idempotent-Replayed" not in again.headers
    assert ledger(http, simulator, "e2e-shed")["charges"] == 1


def test_a_reused_key_with_another_body_after_the_record_is_lost_is_422_and_the_charge_stays(
    processes: Processes, http: httpx.Client, database: str
) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)
    charged = pay(gateway, "e2e-lost")
    assert charged.status_code == 200
    execute(database, "DELETE FROM payment_records WHERE idempotency_key = 'e2e-lost'")  # the record is lost

    conflict = pay(gateway, "e2e-lost", payment(2999))

    assert conflict.status_code == 422, conflict.text
    assert conflict.json()["error"]["class"] == "IDEMPOTENCY_CONFLICT"
    assert "status" not in conflict.json()
    looked_up = status(http, gateway, "e2e-lost")
    assert looked_up.json()["status"] == "authorised"
    assert looked_up.json()["charge_id"] == charged.json()["charge_id"]
    assert pay(gateway, "e2e-lost").json()["charge_id"] == charged.json()["charge_id"]
    assert ledger(http, simulator, "e2e-lost")["charges"] == 1


def test_a_gateway_that_cannot_reach_its_database_exits_2_naming_the_url_without_its_password(
    processes: Processes,
) -> None:
    command = gateway_command(processes.config(), "http://127.0.0.1:9")
    env = gateway_env("postgresql://postgres:s3cret@127.0.0.1:1/gateway")

    run = subprocess.run(command, capture_output=True, timeout=60, check=False, env=env)

    assert run.returncode == 2
    assert run.stdout == b""
    stderr = run.stderr.decode()
    assert "postgresql://postgres:***@127.0.0.1:1/gateway" in stderr
    assert "s3cret" not in stderr
    assert "python -m tools.pg up" in stderr


def test_a_throwaway_database_is_announced_at_start(processes: Processes, database: str) -> None:
    simulator = processes.simulator()
    env = gateway_env(database) | {"CHECKOUT_DB_THROWAWAY": "1"}
    process = subprocess.Popen(
        gateway_command(processes.config(), simulator.url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert process.stdout is not None
        assert b'"event":"listening"' in process.stdout.readline()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert '"event":"database_throwaway"' in stderr.decode()
    assert '"level":"warn"' in stderr.decode().split('"event":"database_throwaway"')[0].rsplit("\n", 1)[-1]
