"""Latency follows the configured distribution, compressed by time_scale."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tools.simulator.behaviour import Behaviour, HistogramLatency, LognormalLatency
from tools.simulator.latency import latency_ms
from tools.tests.simulator.support import CHARGE, CliSimulator, quantile

SAMPLES = 240
WORKERS = 8
LOGNORMAL = LognormalLatency(kind="lognormal", median_ms=1000.0, p99_ms=10_000.0)


def test_lognormal_draws_have_the_configured_median_and_p99() -> None:
    rng = random.Random(11)
    draws = [latency_ms(LOGNORMAL, rng.random()) for _ in range(50_000)]

    assert quantile(draws, 0.5) == pytest.approx(1000.0, rel=0.03)
    assert quantile(draws, 0.99) == pytest.approx(10_000.0, rel=0.08)


def test_histogram_draws_follow_the_weights() -> None:
    histogram = HistogramLatency.model_validate(
        {"kind": "histogram", "buckets": [{"ms": 10, "weight": 3}, {"ms": 500, "weight": 1}]}
    )
    rng = random.Random(5)
    draws = [latency_ms(histogram, rng.random()) for _ in range(20_000)]

    assert set(draws) == {10.0, 500.0}
    assert draws.count(500.0) / len(draws) == pytest.approx(0.25, abs=0.015)


@pytest.fixture
def cli_simulator() -> Iterator[CliSimulator]:
    # A process of its own, so the client threads below do not share a GIL with the timers they measure.
    simulator = CliSimulator(seed=42)
    yield simulator
    simulator.stop()


def test_served_latency_is_lognormal_scaled_by_time_scale(cli_simulator: CliSimulator) -> None:
    time_scale = 0.02  # median 20 ms, p99 200 ms of wall time
    behaviour = Behaviour(latency=LOGNORMAL, time_scale=time_scale)
    httpx.put(f"{cli_simulator.url}/control/behaviour", content=behaviour.model_dump_json()).raise_for_status()

    clients = [httpx.Client(base_url=cli_simulator.url, timeout=10.0) for _ in range(WORKERS)]
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            elapsed = list(pool.map(lambda n: _timed_charge(clients[n % WORKERS], f"lat-{n}"), range(SAMPLES)))
    finally:
        for client in clients:
            client.close()

    assert 14.0 <= quantile(elapsed, 0.5) <= 35.0
    assert 110.0 <= quantile(elapsed, 0.99) <= 450.0
    assert statistics.fmean(elapsed) > quantile(elapsed, 0.5)  # the long right tail of a lognormal


def _timed_charge(client: httpx.Client, key: str) -> float:
    started = time.perf_counter()
    response = client.post("/v1/charges", json=CHARGE, headers={"Idempotency-Key": key})
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    assert response.status_code == 201
    return elapsed_ms
