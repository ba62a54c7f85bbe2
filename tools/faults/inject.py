"""Firing the schedule's faults at the running fleet, one lane per thread, each fault recorded with evidence."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tools.faults import schedule as s
from tools.faults.load import Clients
from tools.stack import Stack, metrics
from tools.stack.configs import write_config

# The provider's misbehaviour per window (PATCH /control/behaviour over the profile's behaviour).
PROVIDER_FAULTS: dict[str, dict[str, Any]] = {
    s.CHARGE_THEN_TIMEOUT: {"charge_then_timeout_rate": 0.3},
    s.DROP: {"drop_rate": 0.3},
    s.STORM_503: {"outage": {"mode": "error_503"}},
    # Median 15 s, p99 30 s (real-world): most charges outlast the 20 s timeout.
    s.SLOW: {"latency": {"kind": "lognormal", "median_ms": 15000, "p99_ms": 30000}},
}
MID_PAYMENT_WAIT_S = 3.0
# A kill waits (at most MID_PAYMENT_WAIT_S) until the balancer has this many requests open on the victim.
MID_PAYMENT_REQUESTS = 2
CONVERGE_S = 8.0


@dataclass
class FaultRecord:
    kind: str
    lane: str
    scheduled_s: float
    params: dict[str, Any]
    started_at: float = 0.0  # wall epoch
    ended_at: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Configs:
    """The campaign's config files: the path every replica polls, and the documents to put there."""

    path: Path
    valid: dict[str, Any]  # what a valid reload writes
    invalid: dict[str, Any]  # what an invalid reload writes (the lint refuses it)
    valid_fingerprint: str


class Injector:
    def __init__(
        self,
        stack: Stack,
        clients: Clients,
        loop: asyncio.AbstractEventLoop,
        configs: Configs,
        base_behaviour: dict[str, Any],
        started_at: float,
    ) -> None:
        self.stack = stack
        self.clients = clients
        self.loop = loop
        self.configs = configs
        self.base_behaviour = base_behaviour
        self.started_at = started_at
        self.records: list[FaultRecord] = []
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._duplicates = 0

    def run_lanes(self, faults: list[s.Fault]) -> list[threading.Thread]:
        threads = []
        for lane in s.LANES:
            mine = [fault for fault in faults if fault.lane == lane]
            thread = threading.Thread(target=self._lane, args=(mine,), name=f"faults-{lane}", daemon=True)
            thread.start()
            threads.append(thread)
        return threads

    def _lane(self, faults: list[s.Fault]) -> None:
        for fault in faults:
            if self.stop.wait(max(0.0, self.started_at + fault.at_s - time.time())):
                return
            record = FaultRecord(fault.kind, fault.lane, fault.at_s, dict(fault.params), time.time())
            try:
                self._fire(fault, record)
            except Exception as failed:  # noqa: BLE001 - recorded: a fault that could not fire fails the campaign
                record.error = f"{type(failed).__name__}: {failed}"
            record.ended_at = time.time()
            with self._lock:
                self.records.append(record)

    def _fire(self, fault: s.Fault, record: FaultRecord) -> None:
        kind = fault.kind
        if kind in (s.KILL_GATEWAY, s.KILL_ORDER_SERVICE):
            self._kill(fault.params["victim"], record)
        elif kind == s.PG_RESTART:
            server = self._postgres()
            before = server.pid
            started = time.monotonic()
            server.restart("fast")
            record.evidence.update(pid_before=before, pid_after=server.pid, restart_s=time.monotonic() - started)
        elif kind == s.PG_UNREACHABLE:
            self._freeze(float(fault.params["seconds"]), record)
        elif kind in PROVIDER_FAULTS:
            self._provider(PROVIDER_FAULTS[kind], float(fault.params["seconds"]), record)
        elif kind == s.RELOAD_VALID:
            write_config(self.configs.valid, self.configs.path)
            record.evidence["converged_s"] = self._converge(self.configs.valid_fingerprint)
        elif kind == s.RELOAD_INVALID:
            self._invalid_reload(record)
        elif kind == s.DUPLICATE_ORDER:
            names = [f"order-service-{n}" for n in fault.params["replicas"]]
            urls = [self.stack.services[name].url for name in names]
            record.evidence.update(self._on_loop(lambda: self.clients.duplicate_order(self._dup_key("o"), urls, names)))
        elif kind == s.DUPLICATE_PAYMENT:
            names = [f"gateway-{n}" for n in fault.params["replicas"]]
            urls = [self.stack.services[name].url for name in names]
            key = self._dup_key("p")
            record.evidence.update(self._on_loop(lambda: self.clients.duplicate_payment(key, urls, names)))

    def _kill(self, victim: str, record: FaultRecord) -> None:
        """SIGKILL `victim` once it has requests in flight (bounded wait), then restart it on its port."""
        old = self.stack.services[victim]
        assert self.stack.balancer is not None
        deadline = time.monotonic() + MID_PAYMENT_WAIT_S
        inflight = 0
        while time.monotonic() < deadline:
            inflight = self.stack.balancer.in_flight(victim)
            if inflight >= MID_PAYMENT_REQUESTS:
                break
            time.sleep(0.02)
        record.evidence["inflight_at_kill"] = inflight
        record.evidence["killed_at"] = time.time()
        started = time.monotonic()
        if victim.startswith("gateway"):
            self.stack.restart_gateway(kill=True, name=victim)
        else:
            self.stack.restart_order_service(kill=True, name=victim)
        record.evidence.update(exit_code=old.popen.returncode, restart_s=round(time.monotonic() - started, 2))

    def _freeze(self, seconds: float, record: FaultRecord) -> None:
        """Every PostgreSQL process stopped (SIGSTOP to its group): connections hang, nothing is refused."""
        server = self._postgres()
        assert server.pid is not None
        os.killpg(server.pid, signal.SIGSTOP)
        try:
            record.evidence["frozen_at"] = time.time()
            started = time.monotonic()
            record.evidence["probe"] = _probe(server.url.database("postgres"))
            time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        finally:
            os.killpg(server.pid, signal.SIGCONT)
        record.evidence["frozen_s"] = seconds

    def _provider(self, fields: dict[str, Any], seconds: float, record: FaultRecord) -> None:
        simulator = self.stack.simulator.url
        with httpx.Client(timeout=5.0) as http:
            http.patch(f"{simulator}/control/behaviour", json=fields).raise_for_status()
            try:
                self.stop.wait(seconds)
            finally:
                http.put(f"{simulator}/control/behaviour", json=self.base_behaviour).raise_for_status()
        record.evidence["behaviour"] = fields

    def _invalid_reload(self, record: FaultRecord) -> None:
        """Write a file the lint refuses; every replica must count a failed reload and keep its config."""
        before = self._reload_failures()
        running = self.stack.fingerprints()
        previous = json.loads(self.configs.path.read_text(encoding="utf-8"))
        write_config(self.configs.invalid, self.configs.path)
        deadline = time.monotonic() + CONVERGE_S
        after = before
        while time.monotonic() < deadline:
            after = self._reload_failures()
            if all(after[name] > before[name] for name in before):
                break
            time.sleep(0.1)
        kept = self.stack.fingerprints()
        write_config(previous, self.configs.path)  # the last good file back, for later restarts
        record.evidence.update(
            refused_by=sorted(name for name in before if after[name] > before[name]),
            fingerprints_kept=sorted(name for name, fp in kept.items() if fp == running.get(name)),
            replicas=sorted(before),
        )

    def _reload_failures(self) -> dict[str, float]:
        with httpx.Client(timeout=2.0) as http:
            return {
                name: metrics.total(
                    metrics.scrape(self.stack.services[name].url, http),
                    "checkout_config_reloads_total",
                    result="failure",
                )
                for name in self.stack.replicas
            }

    def _converge(self, fingerprint: str) -> float:
        started = time.monotonic()
        while time.monotonic() - started < CONVERGE_S:
            with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                if set(self.stack.fingerprints().values()) == {fingerprint}:
                    return round(time.monotonic() - started, 2)
            time.sleep(0.1)
        raise TimeoutError(f"replicas not on {fingerprint[:12]}… within {CONVERGE_S} s: {self.stack.fingerprints()}")

    def _postgres(self) -> Any:
        if self.stack.own_postgres is None:
            raise RuntimeError("the campaign needs the stack's own PostgreSQL (unset CHECKOUT_STACK_PG_URL)")
        return self.stack.own_postgres

    def _dup_key(self, tag: str) -> str:
        with self._lock:
            self._duplicates += 1
            return f"{self.clients.prefix}-dup-{tag}-{self._duplicates}"

    def _on_loop(self, make: Callable[[], Coroutine[Any, Any, dict[str, Any]]]) -> dict[str, Any]:
        return asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout=120)


def _probe(url: str) -> str:
    """A new connection to the frozen server: it must not answer (the kernel accepts, PostgreSQL is stopped)."""
    started = time.monotonic()
    try:
        with psycopg.connect(url, connect_timeout=1):
            return f"answered in {time.monotonic() - started:.2f} s"
    except psycopg.OperationalError as error:
        return f"no answer ({type(error).__name__} after {time.monotonic() - started:.1f} s)"
