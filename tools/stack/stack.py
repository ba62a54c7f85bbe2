"""The three services wired together: simulator ← gateway ← order service, on 127.0.0.1."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import psycopg

from tools.pg import PostgresServer, ServerUrl
from tools.stack.process import ServiceProcess, StartupError

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


class Stack:
    """Context manager: `with Stack(options) as stack:` starts all three and stops them on exit, also on Ctrl-C."""

    def __init__(self, options: StackOptions) -> None:
        self.options = options
        self.services: dict[str, ServiceProcess] = {}
        self.own_postgres: PostgresServer | None = None
        self.postgres: ServerUrl | None = options.postgres or _external_postgres()
        # Database name per service: one server for the stack, a database each (docs/DECISIONS.md).
        self.databases: dict[str, str] = {}

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
        return self.services["gateway"]

    @property
    def order_service(self) -> ServiceProcess:
        return self.services["order-service"]

    def start(self) -> None:
        missing = [f"{p.relative_to(REPO)} (build: {hint})" for p, hint in BUILD_HINT.items() if not p.exists()]
        if missing:
            raise StartupError("not built: " + "; ".join(missing))
        self.start_postgres()
        self.start_simulator()
        self.start_gateway()
        self.start_order_service()
        self.wait_healthy()

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

    def start_order_service(self) -> ServiceProcess:
        argv = ["node", str(ORDER_SERVICE_JS), "--host", HOST, "--port", "0"]
        argv += ["--gateway-url", self.gateway.url, *self._config_args(), *self.options.order_service_args]
        return self._start("order-service", argv, database="orders")

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
        self.wait_healthy()
        return restarted

    def restart_order_service(self, *, kill: bool = False) -> ServiceProcess:
        """Stop the order service (SIGKILL when `kill`) and start a new one on the same database."""
        self._halt("order-service", kill)
        restarted = self.start_order_service()
        self.wait_healthy()
        return restarted

    def _halt(self, name: str, kill: bool) -> None:
        service = self.services[name]
        if kill:
            service.signal(signal.SIGKILL)
            service.popen.wait(timeout=10)
        service.stop()

    def wait_healthy(self, timeout_s: float = 60.0) -> dict[str, dict[str, Any]]:
        """Poll every service's /health until each answers 200; returns the last bodies."""
        deadline = time.monotonic() + timeout_s
        pending = [name for name in self.services if name != "simulator"]
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
        return bodies

    def health(self, name: str) -> httpx.Response:
        return httpx.get(f"{self.services[name].url}/health", timeout=5.0)

    def fingerprints(self) -> dict[str, str]:
        """The config fingerprint each service reports on /health."""
        return {name: str(self.health(name).json()["config"]["fingerprint"]) for name in ("gateway", "order-service")}

    def stop(self) -> None:
        """Stop in reverse start order, so no caller outlives what it calls.

        A service that will not stop is killed; the others are stopped whatever happens to one of them.
        """
        for name in reversed(list(self.services)):
            self.services[name].stop()
        if self.own_postgres is not None:
            self.own_postgres.stop()

    def leftovers(self) -> list[str]:
        """What this stack left behind after `stop()`: a process still running or a port still bound."""
        found = [f"{name} (pid {s.popen.pid}) still runs" for name, s in self.services.items() if s.running]
        for name, service in self.services.items():
            if service.port and _port_bound(service.host, service.port):
                found.append(f"{name}'s port {service.port} is still bound")
        if self.own_postgres is not None and (self.own_postgres.running or _port_bound(HOST, self.own_postgres.port)):
            found.append(f"postgres (port {self.own_postgres.port}) still runs")
        return found

    def _config_args(self) -> list[str]:
        return ["--config", str(self.options.config_path), "--reload-interval-ms", str(self.options.reload_interval_ms)]

    def _start(self, name: str, argv: list[str], database: str | None = None) -> ServiceProcess:
        env = dict(os.environ)
        env.pop("CHECKOUT_CONFIG", None)  # the explicit --config wins anyway; don't leak a caller's choice
        if database is not None:
            env["DATABASE_URL"] = self.database_url(database)
            # A database made for this stack alone: the service says so loudly at start.
            env["CHECKOUT_DB_THROWAWAY"] = "1"
        env.update(self.options.extra_env)
        log_path = self.options.workdir / f"{name}.log"
        service = ServiceProcess.start(name, argv, log_path, env=env, cwd=REPO)
        self.services[name] = service
        return service


def create_database(server: ServerUrl, name: str) -> None:
    with psycopg.connect(server.database("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a name of ours, never user input


def _external_postgres() -> ServerUrl | None:
    """CHECKOUT_STACK_PG_URL=postgresql://postgres@HOST:PORT runs every stack on that server instead."""
    url = os.environ.get("CHECKOUT_STACK_PG_URL")
    if not url:
        return None
    parsed = urlsplit(url)
    return ServerUrl(
        parsed.hostname or HOST,
        parsed.port or 5432,
        unquote(parsed.username or "postgres"),
        unquote(parsed.password) if parsed.password else None,
    )


def _port_bound(host: str, port: int) -> bool:
    with socket.socket() as probe:
        # SO_REUSEADDR: connections in TIME_WAIT are no leftover; only a listener makes bind fail.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False
