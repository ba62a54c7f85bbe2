"""The gateway jar against the provider simulator, both real processes on 127.0.0.1."""

from __future__ import annotations

import concurrent.futures
import json
import signal
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from e2e_processes import JAR, REPO, Process, Processes
from pg import Databases

TOKEN = "tok_visa_4242"
CARD_IN_ORDER = "4111 1111 1111 1111"


def payment(order_id: str = "order-17") -> dict[str, Any]:
    return {"order_id": order_id, "amount_minor": 1999, "currency": "EUR", "payment_token": TOKEN}


def pay(http: httpx.Client, gateway: Process, key: str, body: dict[str, Any] | None = None) -> httpx.Response:
    return http.post(f"{gateway.url}/payments", json=body or payment(), headers={"Idempotency-Key": key})


def ledger_entry(http: httpx.Client, simulator: Process, key: str) -> dict[str, Any]:
    ledger = http.get(f"{simulator.url}/ledger").json()
    assert ledger["totals"]["double_charged"] == []
    entries = [entry for entry in ledger["charges"] if entry["key"] == key]
    assert len(entries) == 1, ledger
    entry: dict[str, Any] = entries[0]
    return entry


def behave(http: httpx.Client, simulator: Process, **fields: Any) -> None:
    http.patch(f"{simulator.url}/control/behaviour", json=fields).raise_for_status()


def breaker(http: httpx.Client, gateway: Process) -> str:
    state: str = http.get(f"{gateway.url}/health").json()["breaker"]["state"]
    return state


def test_a_payment_is_authorised_and_charged_once(processes: Processes, http: httpx.Client) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)

    answer = pay(http, gateway, "e2e-authorise")

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "authorised"
    assert body["attempts"] == 1
    assert body["charge_id"].startswith("ch_")
    entry = ledger_entry(http, simulator, "e2e-authorise")
    assert entry["charges"] == 1
    assert entry["status"] == "authorised"
    replay = pay(http, gateway, "e2e-authorise")
    assert replay.json() == body
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert ledger_entry(http, simulator, "e2e-authorise")["attempts"] == 1


def test_a_declined_payment_is_answered_and_not_retried(processes: Processes, http: httpx.Client) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)
    behave(http, simulator, decline_rate=1)

    answer = pay(http, gateway, "e2e-decline")

    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "declined"
    assert answer.json()["decline_reason"] in {"insufficient_funds", "card_declined", "expired_card", "do_not_honor"}
    entry = ledger_entry(http, simulator, "e2e-decline")
    assert entry["attempts"] == 1
    assert entry["status"] == "declined"


def test_charge_then_timeout_is_unknown_charged_once_and_settled_by_a_lookup(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)
    behave(http, simulator, charge_then_timeout_rate=1)

    answer = pay(http, gateway, "e2e-ctt")

    assert answer.status_code == 504, answer.text
    assert answer.json()["status"] == "unknown"
    assert answer.json()["error"]["class"] == "TIMEOUT"
    assert answer.json()["error"]["retryable"] is False
    entry = ledger_entry(http, simulator, "e2e-ctt")
    assert entry["charges"] == 1
    assert entry["attempts"] == 3

    behave(http, simulator, charge_then_timeout_rate=0)
    settled = http.get(f"{gateway.url}/payments/e2e-ctt")
    assert settled.status_code == 200
    assert settled.json()["status"] == "authorised"
    assert settled.json()["charge_id"] == entry["charge_id"]
    assert ledger_entry(http, simulator, "e2e-ctt")["charges"] == 1


def _open_the_breaker(http: httpx.Client, gateway: Process) -> int:
    """Pays until the breaker opens; returns how many calls it took (each makes up to 3 attempts)."""
    for call in range(1, 6):
        answer = pay(http, gateway, f"e2e-trip-{call}")
        assert answer.status_code in {502, 503, 504}, answer.text
        if breaker(http, gateway) == "open":
            return call
    raise AssertionError("the breaker did not open")


def _rejections_are_fast(http: httpx.Client, gateway: Process, label: str) -> None:
    latencies = []
    for i in range(20):
        started = time.perf_counter()
        answer = pay(http, gateway, f"e2e-{label}-rejected-{i}")
        latencies.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["class"] == "CIRCUIT_OPEN"
        assert answer.json()["status"] == "failed"
    p50, worst = statistics.median(latencies), max(latencies)
    print(f"\n{label}: CIRCUIT_OPEN rejection latency over 20 calls: p50 {p50:.2f} ms, max {worst:.2f} ms")
    assert p50 < 100, latencies


# Every payment, a rejected one too, is claimed and settled in PostgreSQL (two commits), so 20
# rejections take longer than the shortened config's 500 ms recovery: these tests keep the breaker
# open for 3 s.
SLOW_RECOVERY: dict[str, Any] = {"payment": {"circuit_breaker": {"recovery_timeout_ms": 3000}}}


def _recovers(http: httpx.Client, gateway: Process, label: str) -> None:
    time.sleep(3.1)  # SLOW_RECOVERY's recovery_timeout_ms
    for trial in range(1, 4):
        answer = pay(http, gateway, f"e2e-{label}-trial-{trial}")
        assert answer.status_code == 200, answer.text
    assert breaker(http, gateway) == "closed"


def test_a_key_with_a_slash_and_other_reserved_characters_is_paid_and_looked_up_percent_encoded(
    processes: Processes, http: httpx.Client, databases: Databases
) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)
    key = "order-17/pay?try=1#50%"
    path = quote(key, safe="")  # order-17%2Fpay%3Ftry%3D1%2350%25

    assert pay(http, gateway, key).status_code == 200
    local = http.get(f"{gateway.url}/payments/{path}")
    assert local.status_code == 200, local.text
    assert local.json()["idempotency_key"] == key
    assert local.json()["status"] == "authorised"

    # A gateway that never saw the key (a database of its own) asks the provider, percent-encoding it.
    gateway.stop()
    fresh = processes.gateway(simulator.url, database_url=databases.create())
    remote = http.get(f"{fresh.url}/payments/{path}")
    assert remote.status_code == 200, remote.text
    assert remote.json()["idempotency_key"] == key
    assert remote.json()["status"] == "authorised"
    assert ledger_entry(http, simulator, key)["charges"] == 1

    refused = pay(http, fresh, "..")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"][0]["pointer"] == "/headers/Idempotency-Key"


def test_a_provider_outage_opens_the_breaker_which_rejects_fast_and_closes_after_recovery(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url, SLOW_RECOVERY)
    behave(http, simulator, outage={"mode": "error_503"})

    calls = _open_the_breaker(http, gateway)

    assert calls <= 5  # failure_threshold attempts at most, each call making up to three
    attempts_before = http.get(f"{simulator.url}/ledger").json()["totals"]["attempts"]
    assert attempts_before == 5
    _rejections_are_fast(http, gateway, "outage")
    assert http.get(f"{simulator.url}/ledger").json()["totals"]["attempts"] == attempts_before
    behave(http, simulator, outage={"mode": "none"})
    _recovers(http, gateway, "outage")


def test_a_killed_provider_opens_the_breaker_and_a_restarted_one_closes_it(
    processes: Processes, http: httpx.Client
) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url, SLOW_RECOVERY)
    assert pay(http, gateway, "e2e-before-kill").status_code == 200
    port = simulator.port
    simulator.stop(signal.SIGKILL)

    _open_the_breaker(http, gateway)
    _rejections_are_fast(http, gateway, "killed")
    processes.simulator(port=port)
    _recovers(http, gateway, "killed")


def test_concurrent_duplicates_with_one_key_charge_once(processes: Processes, http: httpx.Client) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)
    http.put(f"{simulator.url}/control/behaviour", json={"latency": {"kind": "fixed", "ms": 250}}).raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: pay(httpx.Client(timeout=10.0), gateway, "e2e-dup"), range(10)))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(200) == 1, statuses
    assert statuses.count(409) == 9, statuses
    entry = ledger_entry(http, simulator, "e2e-dup")
    assert entry["charges"] == 1
    assert entry["attempts"] == 1


def test_no_payment_token_or_card_number_reaches_the_gateways_logs(processes: Processes, http: httpx.Client) -> None:
    simulator = processes.simulator()
    gateway = processes.gateway(simulator.url)
    assert pay(http, gateway, "e2e-mask", payment(order_id=f"order {CARD_IN_ORDER}")).status_code == 200
    bad = http.post(
        f"{gateway.url}/payments",
        content=b'{"payment_token": "' + TOKEN.encode() + b'", "order_id": 4111111111111111',
        headers={"Idempotency-Key": "e2e-mask-bad"},
    )
    assert bad.status_code == 400
    behave(http, simulator, outage={"mode": "drop"})
    assert pay(http, gateway, "e2e-mask-drop").status_code in {502, 503}
    gateway.stop()

    logs = gateway.stderr()
    assert '"event":"payment"' in logs
    assert '"event":"provider_attempt"' in logs
    assert TOKEN not in logs
    assert "tok_visa" not in logs
    assert CARD_IN_ORDER not in logs
    assert "4111111111111111" not in logs
    assert "************1111" in logs  # the order id was logged, masked


def test_an_invalid_config_at_start_lists_every_violation_and_exits_2(tmp_path: Path) -> None:
    config = json.loads((REPO / "config" / "timeout.json").read_text(encoding="utf-8"))
    config["payment"]["retry"]["max_attempts"] = "three"
    config["payment"]["surprise"] = True
    path = tmp_path / "timeout.json"
    path.write_text(json.dumps(config), encoding="utf-8")

    run = subprocess.run(
        ["java", "-jar", str(JAR), "--provider-url", "http://127.0.0.1:9", "--config", str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )

    assert run.returncode == 2
    assert run.stdout == b""
    logged = [json.loads(line) for line in run.stderr.decode().splitlines() if line.startswith("{")]
    refusal = next(entry for entry in logged if entry["event"] == "config_invalid")
    assert refusal["error_class"] == "INVALID_CONFIG"
    pointers = sorted(violation["pointer"] for violation in refusal["violations"])
    assert pointers == ["/payment/retry/max_attempts", "/payment/surprise"]
