"""One charge per Idempotency-Key, whatever the client repeats."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from tools.tests.simulator.support import CHARGE, Simulator, wait_for


def test_same_key_after_completion_replays_the_first_answer(simulator: Simulator) -> None:
    first = simulator.charge("order-1:pay")
    again = simulator.charge("order-1:pay")

    assert first.status_code == 201
    assert first.json()["status"] == "authorised"
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    entry = simulator.entry("order-1:pay")
    assert (entry["charges"], entry["attempts"]) == (1, 2)
    assert simulator.ledger()["totals"]["duplicate_attempts"] == 1


def test_same_key_while_the_first_is_in_flight_is_409(simulator: Simulator) -> None:
    simulator.behave(latency={"kind": "fixed", "ms": 400})
    first: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: first.update(response=simulator.charge("slow")))
    worker.start()
    pending = wait_for(lambda: _lookup(simulator, "slow"))
    assert pending.json()["status"] == "pending"

    second = simulator.charge("slow")
    worker.join(5)

    assert second.status_code == 409
    assert second.json()["error"]["class"] == "IDEMPOTENCY_CONFLICT"
    assert first["response"].status_code == 201
    assert simulator.entry("slow")["charges"] == 1


def test_same_key_with_a_different_payload_is_422(simulator: Simulator) -> None:
    assert simulator.charge("k").status_code == 201

    other = simulator.charge("k", amount_minor=CHARGE["amount_minor"] + 1)

    assert other.status_code == 422
    assert other.json()["error"]["class"] == "IDEMPOTENCY_CONFLICT"
    assert other.json()["error"]["retryable"] is False
    assert simulator.entry("k")["charges"] == 1


def test_missing_idempotency_key_is_400(simulator: Simulator) -> None:
    response = simulator.client.post("/v1/charges", json=CHARGE)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["class"] == "INVALID_REQUEST"
    assert error["details"][0]["pointer"] == "/headers/Idempotency-Key"
    assert simulator.ledger()["totals"]["attempts"] == 0


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"amount_minor": 0}, "/amount_minor"),
        ({"amount_minor": "1999"}, "/amount_minor"),
        ({"amount_minor": 19.5}, "/amount_minor"),
        ({"currency": "eur"}, "/currency"),
        ({"order_id": ""}, "/order_id"),
        ({"payment_token": None}, "/payment_token"),
        ({"surprise": 1}, "/surprise"),
    ],
)
def test_invalid_charge_body_is_400_naming_the_field(
    simulator: Simulator, change: dict[str, Any], pointer: str
) -> None:
    response = simulator.charge("bad", **change)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["class"] == "INVALID_REQUEST"
    assert error["retryable"] is False
    assert [detail["pointer"] for detail in error["details"]] == [pointer]
    assert simulator.ledger()["totals"]["keys"] == 0


def test_body_that_is_not_json_is_400(simulator: Simulator) -> None:
    response = simulator.client.post("/v1/charges", content=b"{nope", headers={"Idempotency-Key": "k"})

    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["pointer"] == ""


def test_lookup_of_an_unknown_key_is_404(simulator: Simulator) -> None:
    response = simulator.client.get("/v1/charges/never-seen")

    assert response.status_code == 404
    assert response.json()["error"]["class"] == "NOT_FOUND"


def _lookup(simulator: Simulator, key: str) -> httpx.Response | None:
    response = simulator.client.get(f"/v1/charges/{key}")
    return response if response.status_code == 200 else None


def test_body_over_64_kib_is_413(simulator: Simulator) -> None:
    huge = {**CHARGE, "order_id": "x" * 70_000}

    response = simulator.client.post("/v1/charges", json=huge, headers={"Idempotency-Key": "huge"})

    assert response.status_code == 413
    assert response.json()["error"]["class"] == "INVALID_REQUEST"
