"""The fleet's load balancer: one HAProxy process, a frontend for the gateways and one for the order services.

The config is generated into the stack's work directory (`haproxy.cfg`, and the error answers HAProxy
gives itself as files in the repo's error shape). Health checks are `GET /health` expecting 200, so a
gateway whose breaker is open (`degraded`, still 200) keeps its traffic and one whose database is down
(503) loses it. HAProxy retries a request on another replica only when the connection to a replica
could not be made (`retry-on conn-failure`): nothing was sent, so nothing can have been charged. A
request that reached a replica is never sent again by the balancer — docs/DECISIONS.md, issue 12.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.stack.balancer_answers import ERRORS, GATEWAYS, MARKER_HEADER, ORDER_SERVICES, error_file
from tools.stack.process import ServiceProcess, StartupError

HOST = "127.0.0.1"
# The tiers the balancer fronts (GATEWAYS, ORDER_SERVICES): the backend name in HAProxy is the tier,
# its servers the replicas' names.
__all__ = ["GATEWAYS", "MARKER_HEADER", "ORDER_SERVICES", "Balancer", "Frontend"]
REQUEST_ID_HEADER = "X-Request-Id"
# Longer than any caller waits (a payment takes at most payment.deadline_ms): the balancer never cuts
# a request short, the callers' own timeouts decide (SEMANTICS §5).
PROXY_TIMEOUT_S = 300
# Health checks: every 500 ms, down after 2 failures, up after 2 successes; an error on real traffic
# (a refused or reset connection) marks a replica down at once.
CHECK = "inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down"
LOG_FORMAT = (
    '{"at":%Ts.%ms,"frontend":"%f","backend":"%b","server":"%s","status":%ST,"term":"%ts","retries":"%rc",'
    '"total_ms":%Ta,"request_id":"%[capture.req.hdr(0)]","method":"%HM","path":"%HP"}'
)


@dataclass(frozen=True)
class Frontend:
    tier: str
    port: int
    servers: tuple[tuple[str, int], ...]  # (replica name, port)


def config_text(frontends: Sequence[Frontend], stats_port: int, error_dir: Path) -> str:
    """The whole haproxy.cfg: global, defaults, then a frontend and a backend per tier."""
    lines = [
        "global",
        "    log stdout format raw local0",
        "    maxconn 4096",
        f"    stats socket ipv4@{HOST}:{stats_port} level admin",
        "",
        "defaults",
        "    mode http",
        "    log global",
        # A connection closed without a request (a caller's idle keep-alive) is not a request: not logged.
        "    option dontlognull",
        "    log-format " + _quoted(LOG_FORMAT),
        "    timeout connect 1s",
        f"    timeout client {PROXY_TIMEOUT_S}s",
        f"    timeout server {PROXY_TIMEOUT_S}s",
        "    timeout check 1s",
        # One request per connection, on both sides. To the replica: a killed replica shows as a refused
        # connect, which is retried elsewhere, never as a request sent into a dead kept-alive connection.
        # To the caller: HAProxy closes a kept-alive caller's connection without any answer when the
        # replica dies under a request that was not the connection's first (it mimics a keep-alive
        # close, for browsers to retry), where a connection's first request gets the 502 below — the
        # answer that says "unknown, settle it" instead of a silent drop.
        "    option httpclose",
        "    retries 2",
        "    retry-on conn-failure",
        "    option redispatch 1",
        f"    default-server {CHECK}",
    ]
    for frontend in frontends:
        lines += [
            "",
            f"frontend {frontend.tier}",
            f"    bind {HOST}:{frontend.port}",
            f"    http-request capture req.hdr({REQUEST_ID_HEADER}) len 80",
            f"    default_backend {frontend.tier}",
            "",
            f"backend {frontend.tier}",
            "    balance leastconn",
            "    option httpchk GET /health",
            "    http-check expect status 200",
        ]
        lines += [
            f"    errorfile {code} {error_dir / f'{frontend.tier}-{code}.http'}" for code in ERRORS[frontend.tier]
        ]
        lines += [f"    server {name} {HOST}:{port} check" for name, port in frontend.servers]
    return "\n".join(lines) + "\n"


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)
    if found is None:
        raise StartupError("haproxy is not installed: `apt-get install -y --no-install-recommends haproxy`")
    return found


class Balancer:
    """`Balancer(workdir, frontends, stats_port).start()`; `servers()` is HAProxy's view of every replica."""

    def __init__(self, workdir: Path, frontends: Sequence[Frontend], stats_port: int) -> None:
        self.workdir = workdir
        self.frontends = {frontend.tier: frontend for frontend in frontends}
        self.stats_port = stats_port
        self.config_path = workdir / "haproxy.cfg"
        self.log_path = workdir / "haproxy.log"
        self.process: ServiceProcess | None = None

    def url(self, tier: str) -> str:
        return f"http://{HOST}:{self.frontends[tier].port}"

    @property
    def ports(self) -> list[int]:
        return [frontend.port for frontend in self.frontends.values()] + [self.stats_port]

    def endpoint(self, tier: str) -> ServiceProcess:
        """The frontend of `tier` as callers see it: the HAProxy process at that frontend's port."""
        assert self.process is not None, "start() first"
        return ServiceProcess(f"{tier} (balancer)", self.process.popen, self.log_path, HOST, self.frontends[tier].port)

    def start(self, timeout_s: float = 15.0) -> Balancer:
        error_dir = self.workdir / "haproxy-errors"
        error_dir.mkdir(parents=True, exist_ok=True)
        for tier, answers in ERRORS.items():
            for code, body in answers.items():
                (error_dir / f"{tier}-{code}.http").write_text(error_file(code, body), encoding="utf-8")
        self.config_path.write_text(config_text(list(self.frontends.values()), self.stats_port, error_dir))
        binary = haproxy_binary()
        checked = subprocess.run([binary, "-c", "-q", "-f", str(self.config_path)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise StartupError(f"haproxy refuses {self.config_path}:\n{checked.stdout}{checked.stderr}")
        log = self.log_path.open("ab")
        # -db: stay in the foreground (the stack owns the process); the request log goes to stdout.
        popen = subprocess.Popen(
            [binary, "-db", "-f", str(self.config_path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        self.process = ServiceProcess("haproxy", popen, self.log_path, HOST, self.stats_port)
        deadline = time.monotonic() + timeout_s
        while True:
            if not self.process.running:
                raise StartupError(f"haproxy exited with {popen.returncode}:\n{self.process.log_tail()}")
            try:
                self.servers()
                return self
            except OSError as silent:
                if time.monotonic() > deadline:
                    raise StartupError(
                        f"haproxy not answering within {timeout_s} s:\n{self.process.log_tail()}"
                    ) from silent
                time.sleep(0.1)

    def stats(self, command: str) -> str:
        """One command on HAProxy's runtime API (the stats socket)."""
        with socket.create_connection((HOST, self.stats_port), timeout=5.0) as conn:
            conn.sendall(command.encode() + b"\n")
            chunks: list[bytes] = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def servers(self) -> dict[str, str]:
        """Replica name → HAProxy's state of it (`UP`, `DOWN`, `UP 1/2`, `MAINT`…), every tier."""
        found: dict[str, str] = {}
        for row in _csv_rows(self.stats("show stat")):
            if row.get("pxname") in self.frontends and row.get("svname") not in ("FRONTEND", "BACKEND"):
                found[row["svname"]] = row.get("status", "")
        return found

    def in_flight(self, name: str) -> int:
        """Requests HAProxy has open on replica `name` now (`scur`: one connection per request here)."""
        for row in _csv_rows(self.stats("show stat")):
            if row.get("svname") == name and row.get("pxname") in self.frontends:
                return int(row.get("scur") or 0)
        return 0

    def wait_up(self, names: Sequence[str], timeout_s: float = 30.0) -> None:
        """Until HAProxy's checks see every named replica UP."""
        deadline = time.monotonic() + timeout_s
        while True:
            states = self.servers()
            pending = [name for name in names if states.get(name) != "UP"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise StartupError(f"the balancer does not see {pending} up within {timeout_s} s: {states}")
            time.sleep(0.1)

    def log_lines(self) -> Iterator[dict[str, Any]]:
        """HAProxy's request log: one JSON object per request (LOG_FORMAT); other lines are skipped."""
        if not self.log_path.exists():
            return
        for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith('{"at":'):
                try:
                    yield json.loads(line)
                except ValueError:
                    continue

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(grace_s=5.0)

    def leftovers(self, bound: Any) -> list[str]:
        found: list[str] = []
        if self.process is not None and self.process.running:
            found.append(f"haproxy (pid {self.process.popen.pid}) still runs")
        found += [f"haproxy's port {port} is still bound" for port in self.ports if bound(HOST, port)]
        return found


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _csv_rows(text: str) -> Iterator[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith("# "):
        return
    header = lines[0][2:].split(",")
    for line in lines[1:]:
        yield dict(zip(header, line.split(","), strict=False))
