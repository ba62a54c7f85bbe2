"""Each injected fault does what a real provider's would, and charges only when it should."""

from __future__ import annotations

import time

import httpx
import pytest

from tools.tests.simulator.support import Simulator, logged, wait_for


def test_declined_charge_is_answered_and_counted(simulator: Simulator) -> None:
    simulator.behave(decline_rate=1.0)

    response = simulator.charge("d")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "declined"
    assert body["decline_reason"] in {
        "insufficient_funds",
        "card_declined",
        "expired_card",
        "do_not_honor",
    }
    totals = simulator.ledger()["totals"]
    assert (totals["declined"], totals["authorised"], totals["charges"]) == (1, 0, 1)


@pytest.mark.parametrize(
    ("status", "error_class", "retryable"),
    [(503, "OVERLOADED", False), (500, "UPSTREAM_UNAVAILABLE", True)],
)
def test_error_is_answered_without_charging(
    simulator: Simulator, status: int, error_class: str, retryable: bool
) -> None:
    simulator.behave(error_rate=1.0, error_statuses=[status])

    response = simulator.charge("e")

    assert response.status_code == status
    assert response.json()["error"]["class"] == error_class
    assert response.json()["error"]["retryable"] is retryable
    assert simulator.entry("e")["charges"] == 0
    assert simulator.client.get("/v1/charges/e").status_code == 404


def test_drop_closes_the_connection_without_an_answer(simulator: Simulator) -> None:
    simulator.behave(drop_rate=1.0, latency={"kind": "fixed", "ms": 0})

    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        simulator.charge("x")

    entry = simulator.entry("x")
    assert (entry["charges"], entry["attempts"], entry["status"]) == (0, 1, "none")


def test_hang_ends_when_the_client_gives_up_and_charges_nothing(
    simulator: Simulator, sim_logs: pytest.LogCaptureFixture
) -> None:
    simulator.behave(hang_rate=1.0)
    started = time.monotonic()

    with pytest.raises(httpx.ReadTimeout):
        simulator.charge("h", timeout=0.3)

    ends = wait_for(lambda: logged(sim_logs, "charge"))
    assert ends[0]["outcome"] == "hang_client_gone"
    assert ends[0]["elapsed_ms"] < (time.monotonic() - started) * 1000.0
    assert simulator.entry("h")["charges"] == 0
    assert simulator.client.get("/v1/charges/h").status_code == 404


def test_hang_cap_closes_the_connection(simulator: Simulator) -> None:
    simulator.behave(hang_rate=1.0, hang_cap_ms=100)

    with pytest.raises(httpx.RemoteProtocolError):
        simulator.charge("capped", timeout=5.0)

    assert simulator.entry("capped")["charges"] == 0


def test_charge_then_timeout_charges_once_and_withholds_the_answer(
    simulator: Simulator,
) -> None:
    simulator.behave(charge_then_timeout_rate=1.0)

    with pytest.raises(httpx.ReadTimeout):
        simulator.charge("ctt", timeout=0.3)

    entry = simulator.entry("ctt")
    assert (entry["charges"], entry["status"]) == (1, "authorised")
    lookup = simulator.client.get("/v1/charges/ctt")
    assert lookup.status_code == 200
    assert lookup.json()["status"] == "authorised"

    simulator.behave()
    retry = simulator.charge("ctt")

    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["charge_id"] == lookup.json()["charge_id"]
    totals = simulator.ledger()["totals"]
    assert (totals["charges"], totals["attempts"], totals["double_charged"]) == (1, 2, [])


def test_client_that_gives_up_during_latency_is_still_charged(simulator: Simulator) -> None:
    # A timeout is an unknown outcome, not a failure: the provider finishes the charge it started.
    simulator.behave(latency={"kind": "fixed", "ms": 300})

    with pytest.raises(httpx.ReadTimeout):
        simulator.charge("slow", timeout=0.1)

    entry = wait_for(lambda: _completed(simulator, "slow"))
    assert (entry["status"], entry["charges"]) == ("authorised", 1)


def _completed(simulator: Simulator, key: str) -> dict[str, object] | None:
    entry = simulator.entry(key)
    return entry if entry["status"] != "pending" else None
