"""What the bench watches while the load runs: the pool and breakers (/health), and the machine's CPU."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BREAKER_LEVEL = {"closed": 0, "half_open": 1, "half-open": 1, "open": 2}
GATEWAY_EVERY = 4


@dataclass
class PoolSample:
    t_s: float  # wall seconds after the traffic started
    in_use: int
    waiting: int
    max: int
    order_service_breaker: int  # BREAKER_LEVEL
    gateway_breaker: int

    @property
    def utilization(self) -> float:
        return self.in_use / self.max if self.max else 0.0


@dataclass
class CpuSample:
    t_s: float
    busy: float  # share of all cores busy since the previous sample, 0..1


@dataclass
class Samples:
    pool: list[PoolSample] = field(default_factory=list)
    cpu: list[CpuSample] = field(default_factory=list)
    failed_polls: int = 0


async def sample_services(
    order_service_url: str, gateway_url: str, start: float, interval_s: float, samples: Samples, stop: asyncio.Event
) -> None:
    """Polls the order service's /health every interval (a 503 still has the body) until `stop` is set.

    The gateway's /health, for its breaker state only, is polled every GATEWAY_EVERY-th time: the
    breaker changes on a scale of seconds, and every poll costs the measured services CPU.
    """
    gateway_breaker = 0
    polls = 0
    async with httpx.AsyncClient(timeout=max(1.0, interval_s * 10)) as client:
        while not stop.is_set():
            began = time.monotonic()
            try:
                if polls % GATEWAY_EVERY == 0:
                    gateway_health = (await client.get(f"{gateway_url}/health")).json()
                    gateway_breaker = BREAKER_LEVEL.get(gateway_health["breaker"]["state"], 0)
                order_health = (await client.get(f"{order_service_url}/health")).json()
                pool = order_health["pool"]
                samples.pool.append(
                    PoolSample(
                        t_s=began - start,
                        in_use=int(pool["in_use"]),
                        waiting=int(pool["waiting"]),
                        max=int(pool["max"]),
                        order_service_breaker=BREAKER_LEVEL.get(order_health["breaker"]["state"], 0),
                        gateway_breaker=gateway_breaker,
                    )
                )
            except (httpx.HTTPError, ValueError, KeyError):
                samples.failed_polls += 1
            polls += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, interval_s - (time.monotonic() - began)))


def _cpu_times(stat: Path = Path("/proc/stat")) -> tuple[int, int] | None:
    """(busy, total) jiffies of all cores, or None where /proc/stat does not exist."""
    try:
        first = stat.read_text().splitlines()[0].split()
    except OSError:
        return None
    values = [int(value) for value in first[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    return sum(values) - idle, sum(values)


async def sample_cpu(start: float, interval_s: float, samples: Samples, stop: asyncio.Event) -> None:
    previous = _cpu_times()
    while previous is not None and not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
        current = _cpu_times()
        if current is None:
            return
        busy, total = current[0] - previous[0], current[1] - previous[1]
        if total > 0:
            samples.cpu.append(CpuSample(time.monotonic() - start, busy / total))
        previous = current


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def process_group_cpu_s(pgid: int, proc: Path = Path("/proc")) -> float:
    """CPU seconds (user + system) used so far by the live processes of one process group."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 12 and int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def own_cpu_s() -> float:
    times = os.times()
    return times.user + times.system
