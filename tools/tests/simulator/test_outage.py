"""An outage fails every request at the front door, for lookups too, and charges nothing."""

from __future__ import annotations

import httpx
import pytest

from tools.tests.simulator.support import Simulator


def test_outage_error_503_answers_at_once_and_charges_nothing(
    simulator: Simulator,
) -> None:
    simulator.behave(outage={"mode": "error_503"}, latency={"kind": "fixed", "ms": 5000})

    response = simulator.charge("o", timeout=2.0)

    assert response.status_code == 503
    error = response.json()["error"]
    assert (error["class"], error["retryable"]) == ("UPSTREAM_UNAVAILABLE", True)
    assert "Retry-After" not in response.headers
    assert simulator.client.get("/v1/charges/o").status_code == 503
    assert simulator.entry("o")["charges"] == 0


def test_outage_drop_closes_every_connection(simulator: Simulator) -> None:
    simulator.behave(outage={"mode": "drop"})

    with pytest.raises(httpx.RemoteProtocolError):
        simulator.charge("o")
    with (
        httpx.Client(base_url=simulator.url) as fresh,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        fresh.get("/v1/charges/o")

    assert simulator.entry("o")["charges"] == 0


def test_outage_hang_holds_until_the_client_gives_up(simulator: Simulator) -> None:
    simulator.behave(outage={"mode": "hang"})

    with pytest.raises(httpx.ReadTimeout):
        simulator.charge("o", timeout=0.2)

    assert simulator.entry("o")["charges"] == 0


def test_after_an_outage_the_same_key_charges_once(simulator: Simulator) -> None:
    simulator.behave(outage={"mode": "error_503"})
    assert simulator.charge("o").status_code == 503

    simulator.behave()
    response = simulator.charge("o")

    assert response.status_code == 201
    entry = simulator.entry("o")
    assert (entry["charges"], entry["attempts"]) == (1, 2)
