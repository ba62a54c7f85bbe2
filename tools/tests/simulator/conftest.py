"""Fixtures: a real simulator on 127.0.0.1 per test, stopped after it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from tools.simulator.behaviour import Behaviour
from tools.tests.simulator.support import Simulator


@pytest.fixture
def make_simulator() -> Iterator[Callable[..., Simulator]]:
    started: list[Simulator] = []

    def make(seed: int = 42, behaviour: Behaviour | None = None) -> Simulator:
        simulator = Simulator(seed, behaviour)
        started.append(simulator)
        return simulator

    yield make
    for simulator in started:
        simulator.close()


@pytest.fixture
def simulator(make_simulator: Callable[..., Simulator]) -> Simulator:
    return make_simulator()


@pytest.fixture
def sim_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="tools.simulator")
    return caplog
