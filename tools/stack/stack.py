"""The three services wired together: simulator ← gateway ← order service, on 127.0.0.1.

With `replicas=N` (N ≥ 2) it is a fleet: N gateways `gateway-1…N` and N order services
`order-service-1…N`, each on its own port and all on the stack's one PostgreSQL (one database per
service, shared by its replicas), behind one HAProxy (tools/stack/balancer.py) with a frontend per
tier. The order services reach the gateways through the balancer, and so does every caller:
`gateway` / `order_service` (and their `_url`s) are the balancer's frontends in a fleet and the one
service otherwise. CHECKOUT_STACK_REPLICAS=N makes N the default of `StackOptions.replicas` (how
`python -m tools.replay --replicas N` reaches the stacks it starts).
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from tools.pg import PostgresServer, ServerUrl
from tools.pg.server import free_port
from tools.stack.balancer import GATEWAYS, ORDER_SERVICES, Balancer, Frontend
from tools.stack.process import ServiceProcess, StartupError
from tools.stack.support import (
    create_database,
    external_postgres,
    in_parallel,
    port_bound,
    replica_names,
    service_env,
)

# Re-exported: tools/perf creates its databases with the stack's helper.
__all__ = ["GATEWAY_JAR", "ORDER_SERVICE_JS", "Stack", "StackOptions", "create_database"]

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
_STACKS = itertools.count(1)
GATEWAY_JAR = REPO / "java" / "gateway" / "target" / "payment-gateway.jar"
ORDER_SERVICE_JS = REPO / "node" / "packages" / "order-service" / "dist" / "services" / "order-service.js"
BUILD_HINT = {
    GATEWAY_JAR: "mvn -B -f java/pom.xml package -DskipTests",
    ORDER_SERVICE_JS: "cd node && npm ci && npm run build",
}


@dataclass(frozen=True)
class StackOptions:
    config_path: Path
    workdir: Path
    seed: int = 42
    reload_interval_ms: int = 500
    # A behaviour document for the simulator at start (see docs/SIMULATOR.md); None = its defaults.
    simulator_behaviour: Path | None = None
    # A PostgreSQL server both services use, each in a database of its own made fresh for this stack;
    # None = the stack starts a throwaway server (CHECKOUT_STACK_PG_URL names an external one).
    postgres: ServerUrl | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    order_service_args: tuple[str, ...] = ()
    # 1: one gateway and one order service, no balancer. N ≥ 2: a fleet behind HAProxy (module docstring).
    replicas: int = field(default_factory=lambda: int(os.environ.get("CHECKOUT_STACK_REPLICAS", "1")))


class Stack:
    """Context manager: `with Stack(options) as stack:` starts all three and stops them on exit, also on Ctrl-C."""

    def __init__(self, options: StackOptions) -> None:
        self.options = options
        self.services: dict[str, ServiceProcess] = {}
        self.own_postgres: PostgresServer | None = None
        self.postgres: ServerUrl | None = options.postgres or external_postgres()
        # Database name per service: one server for the stack, a database each (docs/DECISIONS.md).
        self.databases: dict[str, str] = {}
        if options.replicas < 1:
            raise ValueError(f"replicas is {options.replicas}: a stack needs at least 1")
        self.fleet = options.replicas > 1
        self.gateways = replica_names("gateway", options.replicas)
        self.order_services = replica_names("order-service", options.replicas)
        # A fleet's replicas keep their ports across restarts: the balancer's config names them.
        self.ports = {name: free_port() for name in (*self.gateways, *self.order_services)} if self.fleet else {}
        self.balancer: Balancer | None = None

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def simulator(self) -> ServiceProcess:
        return self.services["simulator"]

    @property
    def gateway(self) -> ServiceProcess:
        """What a caller of the gateway reaches: the gateway, or in a fleet the balancer's gateway frontend
        (the HAProxy process seen at that port; each replica is `services["gateway-N"]`)."""
        if self.balancer is not None:
            return self.balancer.endpoint(GATEWAYS)
        return self.services["gateway"]

    @property
    def order_service(self) -> ServiceProcess:
        """The order service, or in a fleet the balancer's order-service frontend (as `gateway`)."""
        if self.balancer is not None:
            return self.balancer.endpoint(ORDER_SERVICES)
        return self.services["order-service"]

    @property
    def gateway_url(self) -> str:
        """Where callers of the gateway go: the balancer's gateway frontend in a fleet, else the gateway."""
        return self.gateway.url

    @property
    def order_service_url(self) -> str:
        return self.order_service.url

    @property
    def replicas(self) -> list[str]:
        """Every gateway and order-service replica's name, gateways first."""
        return [*self.gateways, *self.order_services]

    def start(self) -> None:
        missing = [f"{p.relative_to(REPO)} (build: {hint})" for p, hint in BUILD_HINT.items() if not p.exists()]
        if missing:
            raise StartupError("not built: " + "; ".join(missing))
        self.start_postgres()
        self.start_simulator()
        if self.fleet:
            self.start_balancer()
        in_parallel([partial(self.start_gateway, self.ports.get(n, 0), n) for n in self.gateways])
        in_parallel([partial(self.start_order_service, n) for n in self.order_services])
        self.wait_healthy()

    def start_balancer(self) -> Balancer:
        tiers = ((GATEWAYS, self.gateways), (ORDER_SERVICES, self.order_services))
        frontends = [Frontend(t, free_port(), tuple((n, self.ports[n]) for n in names)) for t, names in tiers]
        self.balancer = Balancer(self.options.workdir, frontends, free_port())
        return self.balancer.start()

    def start_postgres(self) -> ServerUrl:
        """The one PostgreSQL of the stack, and a fresh database per service on it."""
        if self.postgres is None:
            self.own_postgres = PostgresServer.throwaway().start()
            self.postgres = self.own_postgres.url
        suffix = f"{os.getpid()}_{next(_STACKS)}"
        for service in ("gateway", "orders"):
            name = f"{service}_{suffix}"
            create_database(self.postgres, name)
            self.databases[service] = name
        return self.postgres

    def database_url(self, service: str) -> str:
        """The libpq URL of `gateway` or `orders`, this stack's database of that service."""
        assert self.postgres is not None, "start_postgres() first"
        return self.postgres.database(self.databases[service])

    def start_simulator(self, port: int = 0) -> ServiceProcess:
        argv = [sys.executable, "-m", "tools.simulator", "--host", HOST, "--port", str(port)]
        argv += ["--seed", str(self.options.seed)]
        if self.options.simulator_behaviour is not None:
            argv += ["--behaviour", str(self.options.simulator_behaviour)]
        return self._start("simulator", argv)

    def start_gateway(self, port: int = 0, name: str = "gateway") -> ServiceProcess:
        """A gateway replica (`gateway`, or e.g. `gateway-2` sharing the same database)."""
        argv = ["java", "-jar", str(GATEWAY_JAR), "--host", HOST, "--port", str(port)]
        argv += ["--provider-url", self.simulator.url, *self._config_args()]
        return self._start(name, argv, database="gateway")

    def start_order_service(self, name: str = "order-service") -> ServiceProcess:
        """An order-service replica: on its fleet port, else a free one; it calls `gateway_url`."""
        argv = ["node", str(ORDER_SERVICE_JS), "--host", HOST, "--port", str(self.ports.get(name, 0))]
        argv += ["--gateway-url", self.gateway_url, *self._config_args(), *self.options.order_service_args]
        return self._start(name, argv, database="orders")

    def restart_simulator(self) -> ServiceProcess:
        """Stop the simulator (if it still runs) and start a new one on the same port, so the gateway
        keeps its provider URL. The new one has an empty ledger."""
        port = self.simulator.port
        self.simulator.stop()
        return self.start_simulator(port)

    def restart_gateway(self, *, kill: bool = False, name: str = "gateway") -> ServiceProcess:
        """Stop the gateway (if it still runs; SIGKILL when `kill`) and start a new one on the same port and
        database, so the order service keeps its gateway URL; waits until it answers /health."""
        port = self.services[name].port
        self._halt(name, kill)
        restarted = self.start_gateway(port, name)
        self.wait_healthy([name] if self.fleet else None)
        return restarted

    def restart_order_service(self, *, kill: bool = False, name: str = "order-service") -> ServiceProcess:
        """Stop the order service (SIGKILL when `kill`) and start a new one on the same database (in a
        fleet also on the same port, which the balancer names)."""
        self._halt(name, kill)
        restarted = self.start_order_service(name)
        self.wait_healthy([name] if self.fleet else None)
        return restarted

    def _halt(self, name: str, kill: bool) -> None:
        service = self.services[name]
        if kill:
            service.signal(signal.SIGKILL)
            service.popen.wait(timeout=10)
        service.stop()

    def wait_healthy(self, names: list[str] | None = None, timeout_s: float = 60.0) -> dict[str, dict[str, Any]]:
        """Poll each service's /health (default: every one) until each answers 200 and, in a fleet, the
        balancer sees each up; returns the last bodies."""
        deadline = time.monotonic() + timeout_s
        pending = [name for name in (names or self.services) if name != "simulator"]
        wanted = list(pending)
        bodies: dict[str, dict[str, Any]] = {}
        with httpx.Client(timeout=5.0) as client:
            while pending:
                for name in list(pending):
                    if not self.services[name].running:
                        code = self.services[name].popen.returncode
                        raise StartupError(f"{name} exited with code {code}:\n{self.services[name].log_tail()}")
                    try:
                        response = client.get(f"{self.services[name].url}/health")
                    except httpx.HTTPError:
                        continue
                    if response.status_code == 200:
                        bodies[name] = response.json()
                        pending.remove(name)
                if pending and time.monotonic() > deadline:
                    tails = "\n".join(f"--- {n}\n{self.services[n].log_tail()}" for n in pending)
                    raise StartupError(f"not healthy within {timeout_s} s: {', '.join(pending)}\n{tails}")
                if pending:
                    time.sleep(0.2)
        if self.balancer is not None:
            self.balancer.wait_up(wanted, timeout_s=max(1.0, deadline - time.monotonic()))
        return bodies

    def health(self, name: str) -> httpx.Response:
        return httpx.get(f"{self.services[name].url}/health", timeout=5.0)

    def fingerprints(self) -> dict[str, str]:
        """The config fingerprint each service (each replica in a fleet) reports on /health."""
        return {name: str(self.health(name).json()["config"]["fingerprint"]) for name in self.replicas}

    def stop(self) -> None:
        """Stop in reverse start order, so no caller outlives what it calls (the balancer after the
        replicas it fronts: an order service's drain still reaches the gateways through it).

        A service that will not stop is killed; the others are stopped whatever happens to one of them.
        """
        for name in reversed(list(self.services)):
            if name == "simulator" and self.balancer is not None:
                self.balancer.stop()
            self.services[name].stop()
        if self.balancer is not None:
            self.balancer.stop()
        if self.own_postgres is not None:
            self.own_postgres.stop()

    def leftovers(self) -> list[str]:
        """What this stack left behind after `stop()`: a process still running or a port still bound."""
        found = [f"{name} (pid {s.popen.pid}) still runs" for name, s in self.services.items() if s.running]
        for name, service in self.services.items():
            if service.port and port_bound(service.host, service.port):
                found.append(f"{name}'s port {service.port} is still bound")
        if self.own_postgres is not None and (self.own_postgres.running or port_bound(HOST, self.own_postgres.port)):
            found.append(f"postgres (port {self.own_postgres.port}) still runs")
        if self.balancer is not None:
            found += self.balancer.leftovers(port_bound)
        return found

    def _config_args(self) -> list[str]:
        return ["--config", str(self.options.config_path), "--reload-interval-ms", str(self.options.reload_interval_ms)]

    def _start(self, name: str, argv: list[str], database: str | None = None) -> ServiceProcess:
        env = service_env(None if database is None else self.database_url(database))
        env.update(self.options.extra_env)
        log_path = self.options.workdir / f"{name}.log"
        service = ServiceProcess.start(name, argv, log_path, env=env, cwd=REPO)
        self.services[name] = service
        return service
