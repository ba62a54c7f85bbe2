"""A fate depends on (seed, key, attempt, behaviour) only: not on arrival order, not on concurrency."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tools.simulator.behaviour import Behaviour
from tools.simulator.fate import Fault, draw_fate
from tools.tests.simulator.support import Simulator

MIXED = Behaviour.model_validate(
    {
        "latency": {"kind": "histogram", "buckets": [{"ms": 1, "weight": 3}, {"ms": 8, "weight": 1}]},
        "decline_rate": 0.3,
        "error_rate": 0.25,
        "drop_rate": 0.15,
    }
)
KEYS = [f"order-{n}:pay" for n in range(40)]
ATTEMPTS = 2


def test_draw_fate_is_a_pure_function_of_seed_key_attempt_and_behaviour() -> None:
    fates = {key: draw_fate(7, key, 1, MIXED) for key in KEYS}

    assert fates == {key: draw_fate(7, key, 1, MIXED) for key in reversed(KEYS)}
    assert fates != {key: draw_fate(8, key, 1, MIXED) for key in KEYS}
    assert fates != {key: draw_fate(7, key, 2, MIXED) for key in KEYS}
    # Every fault the behaviour allows shows up among 40 keys, so the comparison above has something to compare.
    assert {fate.fault for fate in fates.values()} >= {Fault.NONE, Fault.ERROR, Fault.DROP}


def test_fault_rates_are_honoured_over_many_keys() -> None:
    fates = [draw_fate(1, f"k{n}", 1, MIXED) for n in range(20_000)]

    share = {fault: sum(f.fault is fault for f in fates) / len(fates) for fault in Fault}
    assert abs(share[Fault.ERROR] - 0.25) < 0.015
    assert abs(share[Fault.DROP] - 0.15) < 0.015
    assert share[Fault.HANG] == share[Fault.CHARGE_THEN_TIMEOUT] == 0.0
    declined = sum(f.decline_reason is not None for f in fates) / len(fates)
    assert abs(declined - 0.3) < 0.015


def test_same_seed_gives_same_fates_whatever_the_order_and_concurrency(
    make_simulator: Any,
) -> None:
    in_order = make_simulator(seed=7, behaviour=MIXED)
    concurrent = make_simulator(seed=7, behaviour=MIXED)
    other_seed = make_simulator(seed=8, behaviour=MIXED)
    shuffled = KEYS[:]
    random.Random(3).shuffle(shuffled)

    expected = {key: _attempts(in_order, key) for key in KEYS}
    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = dict(zip(shuffled, pool.map(lambda key: _attempts(concurrent, key), shuffled), strict=True))
    different = {key: _attempts(other_seed, key) for key in KEYS}

    assert seen == expected
    assert different != expected
    kinds = {attempt[0] for attempts in expected.values() for attempt in attempts}
    assert {201, 500, "dropped"} <= kinds


def _attempts(simulator: Simulator, key: str) -> list[tuple[Any, ...]]:
    return [_fate_seen(simulator, key) for _ in range(ATTEMPTS)]


def _fate_seen(simulator: Simulator, key: str) -> tuple[Any, ...]:
    try:
        response = simulator.charge(key)
    except httpx.RemoteProtocolError:
        return ("dropped",)
    body = response.json()
    if "error" in body:
        return (response.status_code, body["error"]["class"])
    return (response.status_code, body["status"], body.get("decline_reason"), body["charge_id"])
