"""The processes of a perf run: one PostgreSQL, one provider, the two services and their two baselines.

The real gateway and order service start as tools/stack starts them — the same jar and script, the same
`--config`, their database URL in `DATABASE_URL` with `CHECKOUT_DB_THROWAWAY=1`, one `ServiceProcess` each
(own process group, its `listening` line, stopped for sure). Each service and its baseline get a database
of their own on the one server.
"""

from __future__ import annotations

import json
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from tools.pg import PostgresServer
from tools.stack.configs import read_config, value_at
from tools.stack.process import ServiceProcess
from tools.stack.stack import GATEWAY_JAR, ORDER_SERVICE_JS, create_database
from tools.stack.support import service_env

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PERF = REPO / "perf"
FORWARDER_JAR = PERF / "baselines" / "javalin-forwarder" / "target" / "javalin-forwarder.jar"
FASTIFY_PG_JS = PERF / "baselines" / "fastify-pg" / "server.js"
STUB_JS = PERF / "provider-stub" / "stub.mjs"
PROVIDERS = ("stub", "simulator")
# The databases of this run: the gateway's and the order service's as tools/stack names them, the baseline's.
DATABASES = {"gateway": "gateway", "order-service": "orders", "fastify-pg": "baseline_orders"}


@dataclass(frozen=True)
class Artifacts:
    gateway_jar: Path = GATEWAY_JAR
    order_service_js: Path = ORDER_SERVICE_JS
    forwarder_jar: Path = FORWARDER_JAR
    fastify_pg_js: Path = FASTIFY_PG_JS

    def missing(self) -> list[str]:
        """What is not built, each with the command that builds it (`nox -s perf` builds them all)."""
        needs = {
            self.gateway_jar: "mvn -B -f java/pom.xml package -DskipTests",
            self.order_service_js: "cd node && npm ci && npm run build",
            self.forwarder_jar: "mvn -B -f perf/baselines/javalin-forwarder/pom.xml package",
            self.fastify_pg_js.parent / "node_modules": "npm ci --prefix perf/baselines/fastify-pg",
        }
        return [f"{path} (build: {hint})" for path, hint in needs.items() if not path.exists()]


@dataclass(frozen=True)
class ProcessOptions:
    workdir: Path
    config: Path
    provider: str = "stub"
    provider_delay_ms: float = 1.0
    seed: int = 42
    artifacts: Artifacts = field(default_factory=Artifacts)


class Processes:
    """`with Processes(options) as procs:` — start what a run needs, stop it all on exit (also on Ctrl-C)."""

    def __init__(self, options: ProcessOptions) -> None:
        if options.provider not in PROVIDERS:
            raise ValueError(f"provider must be one of {', '.join(PROVIDERS)}, got {options.provider!r}")
        self.options = options
        self.services: dict[str, ServiceProcess] = {}
        self.postgres: PostgresServer | None = None

    def __enter__(self) -> Processes:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, name: str) -> str:
        return self.services[name].url

    def pid(self, name: str) -> int:
        """The process whose tree `name`'s CPU is read from (PostgreSQL: the postmaster, or the unshare
        that runs it as root, with every backend below it)."""
        if name == "postgres":
            pid = self.postgres.pid if self.postgres is not None else None
            assert pid is not None, "start_postgres() first"
            return pid
        return self.services[name].popen.pid

    def start_postgres(self) -> None:
        self.postgres = PostgresServer.throwaway().start()
        for database in DATABASES.values():
            if database not in ("gateway", "orders"):  # those two the server makes itself
                create_database(self.postgres.url, database)

    def database_url(self, service: str) -> str:
        assert self.postgres is not None, "start_postgres() first"
        return self.postgres.url.database(DATABASES[service])

    def start_provider(self) -> ServiceProcess:
        if self.options.provider == "stub":
            argv = ["node", str(STUB_JS), "--host", HOST, "--port", "0"]
            argv += ["--delay-ms", f"{self.options.provider_delay_ms:g}"]
        else:
            behaviour = self.options.workdir / "simulator-behaviour.json"
            latency = {"kind": "fixed", "ms": self.options.provider_delay_ms}
            behaviour.write_text(json.dumps({"latency": latency}) + "\n", encoding="utf-8")
            argv = [sys.executable, "-m", "tools.simulator", "--host", HOST, "--port", "0"]
            argv += ["--seed", str(self.options.seed), "--behaviour", str(behaviour)]
        return self._start("provider", argv)

    def start_gateway(self) -> ServiceProcess:
        argv = ["java", "-jar", str(self.options.artifacts.gateway_jar), "--host", HOST, "--port", "0"]
        argv += ["--provider-url", self.url("provider"), "--config", str(self.options.config)]
        return self._start("gateway", argv, database="gateway")

    def start_forwarder(self) -> ServiceProcess:
        argv = ["java", "-jar", str(self.options.artifacts.forwarder_jar), "--host", HOST, "--port", "0"]
        argv += ["--provider-url", self.url("provider")]
        return self._start("javalin-forwarder", argv)

    def start_order_service(self, downstream: str) -> ServiceProcess:
        argv = ["node", str(self.options.artifacts.order_service_js), "--host", HOST, "--port", "0"]
        argv += ["--gateway-url", self.url(downstream), "--config", str(self.options.config)]
        return self._start("order-service", argv, database="order-service")

    def start_fastify_pg(self, downstream: str) -> ServiceProcess:
        # The order service's pool size, from the same config: the baseline gets as many connections.
        pool_max = int(value_at(read_config(self.options.config), "/database/pool/max_connections"))
        argv = ["node", str(self.options.artifacts.fastify_pg_js), "--host", HOST, "--port", "0"]
        argv += ["--gateway-url", self.url(downstream), "--pool-max", str(pool_max)]
        return self._start("fastify-pg", argv, database="fastify-pg")

    def stop(self) -> None:
        """Stop in reverse start order (no caller outlives what it calls), then the database."""
        for name in reversed(list(self.services)):
            self.services[name].stop()
        if self.postgres is not None:
            self.postgres.stop()

    def leftovers(self) -> list[str]:
        """A process still running or a port still bound after `stop()`."""
        found = [f"{name} (pid {s.popen.pid}) still runs" for name, s in self.services.items() if s.running]
        found += [f"{name}'s port {s.port} is still bound" for name, s in self.services.items() if _bound(s.port)]
        if self.postgres is not None and (self.postgres.running or _bound(self.postgres.port)):
            found.append(f"postgres (port {self.postgres.port}) still runs")
        return found

    def _start(self, name: str, argv: list[str], database: str | None = None) -> ServiceProcess:
        env = service_env(None if database is None else self.database_url(database))
        log_path = self.options.workdir / "logs" / f"{name}.log"
        service = ServiceProcess.start(name, argv, log_path, env=env, cwd=REPO)
        self.services[name] = service
        return service


def _bound(port: int) -> bool:
    if not port:
        return False
    with socket.socket() as probe:
        # SO_REUSEADDR: connections in TIME_WAIT are no leftover; only a listener makes bind fail.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
    return False
