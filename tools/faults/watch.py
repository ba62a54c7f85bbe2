"""Sampling the fleet while the campaign runs: each replica's /health (breaker, answer) and HAProxy's view."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx

from tools.stack import Stack
from tools.stack.sampling import BackgroundSampler

SAMPLE_EVERY_S = 0.25
HEALTH_TIMEOUT_S = 0.5


@dataclass
class Sample:
    at: float  # wall epoch seconds
    replica: str
    health: int | None  # /health's HTTP status; None when it did not answer in time
    breaker: str | None  # the replica's breaker state (closed, open, half_open)
    balancer: str | None  # HAProxy's state of the replica (UP, DOWN, …)


@dataclass
class Watched:
    samples: list[Sample] = field(default_factory=list)

    def seen(self, replica: str, since: float, until: float) -> list[Sample]:
        return [s for s in self.samples if s.replica == replica and since <= s.at <= until]


class Watcher(BackgroundSampler):
    """`with Watcher(stack) as watcher:` samples until the block ends; read `watcher.watched`."""

    def __init__(self, stack: Stack) -> None:
        super().__init__("faults-watcher", SAMPLE_EVERY_S, HEALTH_TIMEOUT_S)
        self._stack = stack
        self.watched = Watched()

    def snapshot(self) -> list[Sample]:
        with self._lock:
            return list(self.watched.samples)

    def sample(self, http: httpx.Client) -> None:
        states: dict[str, str] = {}
        if self._stack.balancer is not None:
            try:
                states = self._stack.balancer.servers()
            except OSError:
                states = {}
        for name in self._stack.replicas:
            self._sample(http, name, states.get(name))

    def _sample(self, http: httpx.Client, name: str, balancer: str | None) -> None:
        service = self._stack.services.get(name)
        code: int | None = None
        breaker: str | None = None
        if service is not None and service.running:
            try:
                response = http.get(f"{service.url}/health")
                code = response.status_code
                body = response.json()
                state = body.get("breaker", {}).get("state") if isinstance(body, dict) else None
                breaker = str(state) if state is not None else None
            except (httpx.HTTPError, ValueError):
                pass
        with self._lock:
            self.watched.samples.append(Sample(time.time(), name, code, breaker, balancer))
