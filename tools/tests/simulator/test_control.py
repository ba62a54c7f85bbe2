"""The control API: strict behaviour documents, whole-document PUT, merging PATCH, reset and the ledger."""

from __future__ import annotations

from typing import Any

import pytest

from tools.simulator.behaviour import Behaviour
from tools.tests.simulator.support import Simulator

DEFAULTS = {
    "latency": {"kind": "fixed", "ms": 50.0},
    "decline_rate": 0.0,
    "error_rate": 0.0,
    "error_statuses": [500, 503],
    "hang_rate": 0.0,
    "drop_rate": 0.0,
    "charge_then_timeout_rate": 0.0,
    "outage": {"mode": "none"},
    "time_scale": 1.0,
    "hang_cap_ms": 300000.0,
}


def test_behaviour_starts_at_the_documented_defaults(simulator: Simulator) -> None:
    assert simulator.client.get("/control/behaviour").json() == DEFAULTS


def test_put_replaces_the_whole_behaviour(simulator: Simulator) -> None:
    simulator.behave(decline_rate=0.5)
    simulator.behave(error_rate=0.1)

    current = simulator.client.get("/control/behaviour").json()
    assert (current["decline_rate"], current["error_rate"]) == (0.0, 0.1)


def test_patch_changes_only_the_fields_given(simulator: Simulator) -> None:
    simulator.behave(decline_rate=0.5)

    response = simulator.client.patch("/control/behaviour", json={"error_rate": 0.1})

    assert response.status_code == 200
    assert (response.json()["decline_rate"], response.json()["error_rate"]) == (0.5, 0.1)


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        ({"bogus": 1}, "/bogus"),
        ({"decline_rate": 1.5}, "/decline_rate"),
        ({"decline_rate": "0.5"}, "/decline_rate"),
        ({"latency": {"kind": "gaussian"}}, "/latency"),
        ({"latency": {"kind": "fixed", "ms": -1}}, "/latency/ms"),
        ({"latency": {"kind": "fixed", "ms": 5, "jitter": 1}}, "/latency/jitter"),
        ({"latency": {"kind": "lognormal", "median_ms": 100, "p99_ms": 50}}, "/latency"),
        ({"latency": {"kind": "histogram", "buckets": []}}, "/latency/buckets"),
        ({"latency": {"kind": "histogram", "buckets": [{"ms": 1, "weight": 0}]}}, "/latency/buckets/0/weight"),
        ({"time_scale": 0}, "/time_scale"),
        ({"outage": {"mode": "partial"}}, "/outage/mode"),
        ({"error_statuses": [502]}, "/error_statuses/0"),
        ({"error_rate": 0.6, "drop_rate": 0.6}, ""),
    ],
)
def test_invalid_behaviour_is_400_naming_the_field_and_changes_nothing(
    simulator: Simulator, document: dict[str, Any], pointer: str
) -> None:
    response = simulator.client.put("/control/behaviour", json=document)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["class"], error["retryable"]) == ("INVALID_REQUEST", False)
    assert pointer in [detail["pointer"] for detail in error["details"]]
    assert simulator.client.get("/control/behaviour").json() == DEFAULTS


def test_behaviour_that_is_not_json_is_400(simulator: Simulator) -> None:
    for method in ("PUT", "PATCH"):
        response = simulator.client.request(method, "/control/behaviour", content=b"rates: high")
        assert response.status_code == 400, method
        assert response.json()["error"]["class"] == "INVALID_REQUEST"


def test_reset_forgets_charges_and_returns_to_the_start_behaviour(make_simulator: Any) -> None:
    start = Behaviour(decline_rate=1.0)
    simulator = make_simulator(behaviour=start)
    simulator.charge("before-reset")
    simulator.behave(error_rate=1.0)

    response = simulator.client.post("/control/reset")

    assert response.status_code == 200
    assert simulator.client.get("/control/behaviour").json() == start.model_dump(mode="json")
    assert simulator.ledger() == {
        "charges": [],
        "totals": {
            "keys": 0,
            "charges": 0,
            "attempts": 0,
            "authorised": 0,
            "declined": 0,
            "duplicate_attempts": 0,
            "double_charged": [],
        },
    }
    assert simulator.client.get("/v1/charges/before-reset").status_code == 404


def test_ledger_counts_keys_attempts_and_outcomes(simulator: Simulator) -> None:
    simulator.charge("a")
    simulator.charge("a")
    simulator.charge("a", amount_minor=1)
    simulator.behave(decline_rate=1.0)
    simulator.charge("b")
    simulator.behave(error_rate=1.0)
    simulator.charge("c")

    ledger = simulator.ledger()

    assert ledger["totals"] == {
        "keys": 3,
        "charges": 2,
        "attempts": 5,
        "authorised": 1,
        "declined": 1,
        "duplicate_attempts": 2,
        "double_charged": [],
    }
    by_key = {entry["key"]: entry for entry in ledger["charges"]}
    assert [(by_key[k]["status"], by_key[k]["charges"], by_key[k]["attempts"]) for k in "abc"] == [
        ("authorised", 1, 3),
        ("declined", 1, 1),
        ("none", 0, 1),
    ]
    assert by_key["a"]["first_at"] <= by_key["a"]["last_at"]


def test_unknown_route_answers_in_the_error_shape(simulator: Simulator) -> None:
    response = simulator.client.get("/v2/refunds")

    assert response.status_code == 404
    assert response.json()["error"]["class"] == "NOT_FOUND"
