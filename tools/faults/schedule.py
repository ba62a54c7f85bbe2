"""The seeded fault schedule: which fault fires when, in three lanes that run side by side.

A lane runs its faults one after the other (a fault ends before the next of its lane starts), and the
lanes overlap each other, so a replica may be killed while the provider is failing:
- `process`: SIGKILL of a gateway or order-service replica and its restart, PostgreSQL restarted or
  made unreachable, config reloads (one lane, so a replica is never restarted onto the invalid file);
- `provider`: windows of provider misbehaviour (charge-then-timeout, drops, a 503 storm, slowness);
- `duplicate`: the same order posted at once through two order-service replicas (and the same payment
  through two gateway replicas) with one Idempotency-Key.
Pure: the same (seed, traffic length, quick, replicas) always gives the same schedule.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

KILL_GATEWAY = "kill-gateway"
KILL_ORDER_SERVICE = "kill-order-service"
PG_RESTART = "postgres-restart"
PG_UNREACHABLE = "postgres-unreachable"
RELOAD_VALID = "config-reload-valid"
RELOAD_INVALID = "config-reload-invalid"
CHARGE_THEN_TIMEOUT = "provider-charge-then-timeout"
DROP = "provider-drop"
STORM_503 = "provider-503-storm"
SLOW = "provider-slow"
DUPLICATE_ORDER = "duplicate-order"
DUPLICATE_PAYMENT = "duplicate-payment"

LANES: dict[str, tuple[str, ...]] = {
    "process": (KILL_GATEWAY, KILL_ORDER_SERVICE, PG_RESTART, PG_UNREACHABLE, RELOAD_VALID, RELOAD_INVALID),
    "provider": (CHARGE_THEN_TIMEOUT, DROP, STORM_503, SLOW),
    "duplicate": (DUPLICATE_ORDER, DUPLICATE_PAYMENT),
}
KINDS: tuple[str, ...] = tuple(kind for kinds in LANES.values() for kind in kinds)
LANE_OF = {kind: lane for lane, kinds in LANES.items() for kind in kinds}

# How long a lane keeps a fault's slot (wall seconds): the fault's own duration plus what it takes
# (a JVM's restart, a reload's poll), so the next fault of the lane does not start on top of it.
SLOT_S: dict[str, float] = {
    KILL_GATEWAY: 14.0,
    KILL_ORDER_SERVICE: 6.0,
    PG_RESTART: 6.0,
    PG_UNREACHABLE: 7.0,
    RELOAD_VALID: 4.0,
    RELOAD_INVALID: 5.0,
    CHARGE_THEN_TIMEOUT: 7.0,
    DROP: 7.0,
    STORM_503: 7.0,
    SLOW: 7.0,
    DUPLICATE_ORDER: 3.0,
    DUPLICATE_PAYMENT: 3.0,
}
# Wall seconds a provider window or a PostgreSQL freeze lasts.
WINDOW_S = 4.0
FREEZE_S = 3.0
# Nothing fires in the first seconds (traffic is ramping up) nor the last (faults must end in traffic).
LEAD_S = 4.0
TAIL_S = 6.0
# How many times each kind fires in a full run per minute of traffic (at least once, as in --quick).
PER_MINUTE: dict[str, float] = {
    KILL_GATEWAY: 0.5,
    KILL_ORDER_SERVICE: 0.5,
    PG_RESTART: 0.25,
    PG_UNREACHABLE: 0.25,
    RELOAD_VALID: 0.25,
    RELOAD_INVALID: 0.25,
    CHARGE_THEN_TIMEOUT: 0.5,
    DROP: 0.5,
    STORM_503: 0.25,
    SLOW: 0.5,
    DUPLICATE_ORDER: 1.0,
    DUPLICATE_PAYMENT: 0.5,
}


@dataclass(frozen=True)
class Fault:
    at_s: float  # wall seconds after the traffic started
    kind: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def lane(self) -> str:
        return LANE_OF[self.kind]

    @property
    def slot_s(self) -> float:
        return SLOT_S[self.kind]


class ScheduleError(ValueError):
    """The traffic is too short for the faults asked for; the message says how long it must be."""


def counts(traffic_s: float, quick: bool) -> dict[str, int]:
    """How many of each kind: one each in a quick run, else PER_MINUTE × minutes (at least one)."""
    if quick:
        return dict.fromkeys(KINDS, 1)
    minutes = traffic_s / 60
    return {kind: max(1, round(PER_MINUTE[kind] * minutes)) for kind in KINDS}


def build(seed: int, traffic_s: float, *, quick: bool, replicas: int) -> list[Fault]:
    """The schedule: each lane's faults in a seeded order, spread evenly over the traffic with jitter."""
    if replicas < 2:
        raise ScheduleError(f"replicas is {replicas}: the campaign kills one replica while another serves, so ≥ 2")
    rng = random.Random(f"faults:{seed}")
    wanted = counts(traffic_s, quick)
    faults: list[Fault] = []
    usable = traffic_s - LEAD_S - TAIL_S
    for lane, kinds in LANES.items():
        bag = [kind for kind in kinds for _ in range(wanted[kind])]
        rng.shuffle(bag)
        busy = sum(SLOT_S[kind] for kind in bag)
        if busy > usable:
            raise ScheduleError(
                f"lane {lane} needs {busy:.0f} s of traffic for {len(bag)} faults, "
                f"the run has {usable:.0f} s between lead and tail: run at least {busy + LEAD_S + TAIL_S:.0f} s"
            )
        # The spare time, cut at random points, goes between the faults: an even spread with jitter.
        spare = usable - busy
        cuts = sorted(rng.uniform(0, spare) for _ in bag)
        at = LEAD_S
        previous_cut = 0.0
        for kind, cut in zip(bag, cuts, strict=True):
            at += cut - previous_cut
            previous_cut = cut
            faults.append(Fault(round(at, 3), kind, _params(kind, rng, replicas)))
            at += SLOT_S[kind]
    return sorted(faults, key=lambda fault: (fault.at_s, fault.kind))


def _params(kind: str, rng: random.Random, replicas: int) -> dict[str, Any]:
    replica = rng.randrange(1, replicas + 1)
    if kind == KILL_GATEWAY:
        return {"victim": f"gateway-{replica}"}
    if kind == KILL_ORDER_SERVICE:
        return {"victim": f"order-service-{replica}"}
    if kind == PG_UNREACHABLE:
        return {"seconds": FREEZE_S}
    if LANE_OF[kind] == "provider":
        return {"seconds": WINDOW_S}
    if kind in (DUPLICATE_ORDER, DUPLICATE_PAYMENT):
        # Two different replicas: the first and another one.
        other = rng.randrange(1, replicas)
        return {"replicas": [replica, other if other < replica else other + 1]}
    return {}
