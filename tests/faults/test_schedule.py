"""The fault schedule is a pure function: seeded, complete, inside the traffic, one fault at a time per lane."""

from __future__ import annotations

import itertools

import pytest

from tools.faults import schedule
from tools.faults.schedule import KINDS, LANES, Fault, ScheduleError, build


def lane_overlaps(faults: list[Fault]) -> list[tuple[str, str]]:
    """Pairs of faults of one lane whose slots overlap."""
    found = []
    for lane in LANES:
        mine = sorted((f for f in faults if f.lane == lane), key=lambda f: f.at_s)
        found += [(a.kind, b.kind) for a, b in itertools.pairwise(mine) if a.at_s + a.slot_s > b.at_s + 1e-9]
    return found


def test_the_same_seed_gives_the_same_schedule_and_another_seed_another() -> None:
    assert build(7, 60, quick=True, replicas=2) == build(7, 60, quick=True, replicas=2)
    assert build(7, 60, quick=True, replicas=2) != build(8, 60, quick=True, replicas=2)


@pytest.mark.parametrize("seed", range(20))
def test_a_quick_schedule_has_every_kind_once_inside_the_traffic_and_no_lane_overlaps(seed: int) -> None:
    faults = build(seed, 60, quick=True, replicas=2)
    assert sorted(f.kind for f in faults) == sorted(KINDS)
    assert all(f.at_s >= schedule.LEAD_S and f.at_s + f.slot_s <= 60 - schedule.TAIL_S + 1e-9 for f in faults)
    assert lane_overlaps(faults) == []


@pytest.mark.parametrize("seed", range(10))
def test_a_full_schedule_fires_each_kind_per_minute_and_victims_and_pairs_are_real_replicas(seed: int) -> None:
    faults = build(seed, 480, quick=False, replicas=3)
    wanted = schedule.counts(480, quick=False)
    assert {kind: sum(1 for f in faults if f.kind == kind) for kind in KINDS} == wanted
    assert wanted[schedule.KILL_GATEWAY] == 4
    assert wanted[schedule.DUPLICATE_ORDER] == 8
    assert lane_overlaps(faults) == []
    for fault in faults:
        if fault.kind == schedule.KILL_GATEWAY:
            assert fault.params["victim"] in {"gateway-1", "gateway-2", "gateway-3"}
        if fault.kind == schedule.KILL_ORDER_SERVICE:
            assert fault.params["victim"] in {"order-service-1", "order-service-2", "order-service-3"}
        if fault.kind in (schedule.DUPLICATE_ORDER, schedule.DUPLICATE_PAYMENT):
            first, second = fault.params["replicas"]
            assert first != second
            assert {first, second} <= {1, 2, 3}


def test_victims_vary_with_the_seed() -> None:
    victims = {
        f.params["victim"]
        for seed in range(10)
        for f in build(seed, 60, quick=True, replicas=2)
        if f.kind == schedule.KILL_GATEWAY
    }
    assert victims == {"gateway-1", "gateway-2"}


def test_a_traffic_too_short_for_its_faults_is_refused_naming_the_length_it_needs() -> None:
    with pytest.raises(ScheduleError, match=r"lane process needs .* run at least \d+ s"):
        build(1, 30, quick=True, replicas=2)


def test_one_replica_cannot_be_killed_while_another_serves() -> None:
    with pytest.raises(ScheduleError, match="replicas is 1"):
        build(1, 60, quick=True, replicas=1)
