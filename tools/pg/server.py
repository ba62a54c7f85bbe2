"""A PostgreSQL server as a child process: a throwaway one for tests, the durable dev one for people."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import psycopg

from tools.pg.binaries import REPO, Binaries, find_binaries

HOST = "127.0.0.1"
SUPERUSER = "postgres"
# The durable dev server that services started by hand default to (README, docs/DECISIONS.md).
DEV_DATA_DIR = REPO / ".data" / "postgres"
DEV_PORT = 54329
# The databases of the stack: one server, one database per service.
STACK_DATABASES = ("gateway", "orders")
START_TIMEOUT_S = 60.0


class ServerError(RuntimeError):
    """The server did not start or stop; the message quotes its log's tail."""


@dataclass(frozen=True)
class ServerUrl:
    host: str
    port: int
    user: str = SUPERUSER
    # None for the repo's own servers (trust auth on loopback); an external server may need one.
    password: str | None = None

    def database(self, name: str) -> str:
        """A libpq URL of one database on this server."""
        secret = "" if self.password is None else ":" + quote(self.password, safe="")
        return f"postgresql://{quote(self.user, safe='')}{secret}@{self.host}:{self.port}/{name}"


class PostgresServer:
    """`with PostgresServer.throwaway() as pg:` or `PostgresServer(data_dir, port).start()`.

    A throwaway server lives in a temporary directory that is deleted on stop and runs without
    fsync (its data is never meant to outlive it); a server on a given data directory is durable.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int,
        *,
        ephemeral: bool = False,
        max_connections: int = 200,
        binaries: Binaries | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.port = port
        self.ephemeral = ephemeral
        self.max_connections = max_connections
        self.binaries = binaries or find_binaries()
        self.url = ServerUrl(HOST, port)
        self.log_path = data_dir.parent / f"{data_dir.name}.log"
        self._popen: subprocess.Popen[bytes] | None = None

    @classmethod
    def throwaway(cls, *, max_connections: int = 200) -> PostgresServer:
        root = Path(tempfile.mkdtemp(prefix="checkout-pg-"))
        return cls(root / "data", free_port(), ephemeral=True, max_connections=max_connections)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen is not None else None

    def start(self) -> PostgresServer:
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        settings = ["-c", f"listen_addresses={HOST}", "-c", f"max_connections={self.max_connections}"]
        # TCP on loopback only: no unix socket, so no /var/run/postgresql and no socket-path length limit.
        settings += ["-c", "unix_socket_directories="]
        if self.ephemeral:
            settings += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        argv = self.binaries.argv("postgres", "-D", str(self.data_dir), "-p", str(self.port), *settings)
        log = self.log_path.open("ab")
        self._popen = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=self.binaries.env(), start_new_session=True
        )
        log.close()
        self._wait_ready()
        for name in STACK_DATABASES:
            self.create_database(name)
        return self

    def create_database(self, name: str) -> None:
        """Create `name` unless it exists (a restarted durable server keeps its databases)."""
        with psycopg.connect(self.url.database("postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists is None:
                conn.execute(f'CREATE DATABASE "{name}"')  # a name of ours, never user input

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`fast`: SIGINT, roll back open transactions; `immediate`: SIGQUIT, crash-like);
        a throwaway server's directory is deleted afterwards."""
        self._signal({"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}[mode])
        if self.ephemeral:
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    def restart(self, mode: str = "fast") -> None:
        """Stop and start again on the same port and data: what a database failover looks like to a service."""
        self._signal({"fast": signal.SIGINT, "immediate": signal.SIGQUIT}[mode])
        self.start()

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def _initdb(self) -> None:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        argv = self.binaries.argv(
            "initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-sync"
        )
        done = subprocess.run(argv, capture_output=True, text=True, env=self.binaries.env(), check=False)
        if done.returncode != 0:
            raise ServerError(f"initdb {self.data_dir} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._popen is not None and self._popen.poll() is not None:
                raise ServerError(f"postgres exited with {self._popen.returncode}:\n{self.log_tail()}")
            try:
                with psycopg.connect(self.url.database("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                time.sleep(0.1)
        self._signal(signal.SIGQUIT)
        raise ServerError(f"postgres not ready on {HOST}:{self.port} within {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def _signal(self, sig: signal.Signals) -> None:
        popen, self._popen = self._popen, None
        if popen is None or popen.poll() is not None:
            return
        # The postmaster runs in its own session; through unshare it is a child of the unshare process.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(popen.pid, sig)
        try:
            popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(popen.pid, signal.SIGKILL)
            popen.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port
