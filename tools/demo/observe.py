"""Watching the stack while the demo runs: pool use and breaker states, sampled from /health."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from tools.stack import Stack
from tools.stack.sampling import BackgroundSampler

SAMPLE_EVERY_S = 0.25


@dataclass
class Watched:
    peak_in_use: int = 0
    peak_waiting: int = 0
    pool_max: int = 0
    breakers: dict[str, str] = field(default_factory=dict)
    # Each breaker state seen, in order, per service (from /health; /metrics has the exact counts).
    states_seen: dict[str, list[str]] = field(default_factory=dict)

    @property
    def peak_utilization(self) -> float:
        return self.peak_in_use / self.pool_max if self.pool_max else 0.0


class Watcher(BackgroundSampler):
    """`with Watcher(stack) as watcher:` samples until the block ends; read `watcher.watched`."""

    def __init__(self, stack: Stack) -> None:
        super().__init__("watcher", SAMPLE_EVERY_S, 2.0)
        self._stack = stack
        self.watched = Watched()

    def breakers(self) -> dict[str, str]:
        with self._lock:
            return dict(self.watched.breakers)

    def sample(self, http: httpx.Client) -> None:
        for name in self._stack.replicas:
            try:
                health = http.get(f"{self._stack.services[name].url}/health").json()
            except (httpx.HTTPError, ValueError):
                continue
            self._record(name, health)

    def _record(self, name: str, health: dict[str, object]) -> None:
        breaker = health.get("breaker")
        pool = health.get("pool")
        with self._lock:
            watched = self.watched
            if isinstance(breaker, dict):
                state = str(breaker["state"])
                watched.breakers[name] = state
                seen = watched.states_seen.setdefault(name, [])
                if not seen or seen[-1] != state:
                    seen.append(state)
            if isinstance(pool, dict):
                watched.pool_max = int(pool["max"])
                watched.peak_in_use = max(watched.peak_in_use, int(pool["in_use"]))
                watched.peak_waiting = max(watched.peak_waiting, int(pool["waiting"]))
