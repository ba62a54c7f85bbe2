"""`python -m tools.simulator`: the listening line, JSON logs, clean stop, and no card data in the logs."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tools.tests.simulator.support import CHARGE, CliSimulator, wait_for


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_the_listening_line_and_stops_on_signal(signum: signal.Signals) -> None:
    simulator = CliSimulator(seed=42)
    try:
        assert simulator.listening["event"] == "listening"
        assert simulator.listening["host"] == "127.0.0.1"
        assert simulator.listening["port"] > 0
        response = httpx.post(f"{simulator.url}/v1/charges", json=CHARGE, headers={"Idempotency-Key": "cli"})
        assert response.status_code == 201
    finally:
        code = simulator.stop(signum)

    assert code == 0
    events = [json.loads(line)["event"] for line in simulator.stderr().splitlines()]
    assert events[0] == "listening"
    assert events[-2:] == ["stopping", "stopped"]
    assert "charge" in events


def test_cli_starts_with_the_behaviour_file(tmp_path: Path) -> None:
    document = {"decline_rate": 1.0, "latency": {"kind": "fixed", "ms": 1}}
    path = tmp_path / "behaviour.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    simulator = CliSimulator(42, "--behaviour", str(path))
    try:
        current = httpx.get(f"{simulator.url}/control/behaviour").json()
        response = httpx.post(f"{simulator.url}/v1/charges", json=CHARGE, headers={"Idempotency-Key": "f"})
    finally:
        simulator.stop()

    assert (current["decline_rate"], current["latency"]) == (1.0, {"kind": "fixed", "ms": 1.0})
    assert response.json()["status"] == "declined"


def test_cli_refuses_an_invalid_behaviour_file(tmp_path: Path) -> None:
    path = tmp_path / "behaviour.json"
    path.write_text('{"drop_rate": 2}', encoding="utf-8")
    simulator = CliSimulator(42, "--behaviour", str(path))

    code = simulator.stop()

    assert code == 2
    assert simulator.listening == {}
    logged = json.loads(simulator.stderr().splitlines()[-1])
    assert logged["event"] == "behaviour_file_invalid"
    assert logged["details"][0]["pointer"] == "/drop_rate"


def test_logs_never_hold_the_payment_token_or_a_card_number() -> None:
    token = "tok_4111111111111111"
    pan = "4242 4242 4242 4242"
    simulator = CliSimulator(seed=42)
    try:
        url = f"{simulator.url}/v1/charges"
        card_charge = {**CHARGE, "payment_token": token, "order_id": f"order for card {pan}"}
        headers = {"Idempotency-Key": "secret", "X-Deadline-Ms": "1500"}
        assert httpx.post(url, json=card_charge, headers=headers).status_code == 201
        assert httpx.post(url, json=card_charge, headers=headers).status_code == 200
        invalid = {**card_charge, "amount_minor": -1}
        assert httpx.post(url, json=invalid, headers={"Idempotency-Key": "bad"}).status_code == 400
        assert httpx.post(url, json=card_charge).status_code == 400
    finally:
        simulator.stop()

    log = simulator.stderr()
    assert token not in log
    assert "4111111111111111" not in log
    assert pan not in log
    assert pan.replace(" ", "") not in log
    charges = [entry for entry in map(json.loads, log.splitlines()) if entry["event"] == "charge"]
    assert [entry["payment_token"][-4:] for entry in charges] == ["1111", "1111"]
    assert charges[0]["order_id"] == "order for card ************4242"
    assert charges[0]["deadline_ms"] == "1500"


def test_cli_stops_promptly_while_a_request_hangs_and_logs_no_error() -> None:
    simulator = CliSimulator(seed=42)
    outcome: dict[str, BaseException] = {}

    def held_charge() -> None:
        try:
            httpx.post(f"{simulator.url}/v1/charges", json=CHARGE, headers={"Idempotency-Key": "held"}, timeout=30)
        except httpx.HTTPError as error:
            outcome["error"] = error

    try:
        httpx.put(f"{simulator.url}/control/behaviour", json={"drop_rate": 1.0}).raise_for_status()
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.post(f"{simulator.url}/v1/charges", json=CHARGE, headers={"Idempotency-Key": "dropped"})
        httpx.put(f"{simulator.url}/control/behaviour", json={"hang_rate": 1.0}).raise_for_status()
        client = threading.Thread(target=held_charge)
        client.start()
        wait_for(lambda: httpx.get(f"{simulator.url}/ledger").json()["totals"]["attempts"] == 2)
    finally:
        started = time.monotonic()
        code = simulator.stop()
        stopped_s = time.monotonic() - started

    client.join(5)
    assert code == 0
    assert stopped_s < 3.0  # the hang cap is 300 s: the held request was released, not waited for
    assert isinstance(outcome["error"], httpx.RemoteProtocolError)
    levels = {json.loads(line)["level"] for line in simulator.stderr().splitlines()}
    assert levels == {"info"}
