"""One service as a real child process: started in its own process group, stopped for sure."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any


class StartupError(RuntimeError):
    """A service did not announce that it listens; the message quotes the tail of its log."""


@dataclass
class ServiceProcess:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    host: str = ""
    port: int = 0
    announcement: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    @classmethod
    def start(
        cls,
        name: str,
        argv: list[str],
        log_path: Path,
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        startup_timeout_s: float = 90.0,
    ) -> ServiceProcess:
        """Run argv and wait for its one JSON `listening` line on stdout; stderr goes to log_path."""
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = log_path.open("ab")
        popen = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
            cwd=cwd,
            # Its own process group, so stop() also reaches what it spawned (embedded PostgreSQL).
            start_new_session=True,
        )
        log.close()
        service = cls(name, popen, log_path)
        assert popen.stdout is not None
        announcement = _read_announcement(popen.stdout, startup_timeout_s)
        if announcement is None:
            exited = popen.poll()
            service.stop()
            why = f"exited with code {exited}" if exited is not None else f"did not within {startup_timeout_s} s"
            raise StartupError(f"{name} {why} before announcing `listening`; its log ends:\n{service.log_tail()}")
        service.host = str(announcement["host"])
        service.port = int(announcement["port"])
        service.announcement = announcement
        # Keep draining stdout into the log so a chatty child never blocks on a full pipe.
        threading.Thread(target=_drain, args=(popen.stdout, log_path), daemon=True).start()
        return service

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def signal(self, signum: int) -> None:
        if self.running:
            os.killpg(self.popen.pid, signum)

    def stop(self, grace_s: float = 15.0) -> int | None:
        """SIGTERM the service, wait up to grace_s, then SIGKILL its whole group; returns the exit code.

        SIGTERM goes to the service alone: it stops what it started itself (the order service stops its
        embedded PostgreSQL and removes the data directory), which a group-wide SIGTERM would race.
        """
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                _killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        # The leader may be gone while a grandchild lingers in the group: make sure nothing does.
        _killpg(self.popen.pid, signal.SIGKILL)
        return self.popen.returncode


def _killpg(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _read_announcement(stdout: IO[bytes], timeout_s: float) -> dict[str, Any] | None:
    found: list[dict[str, Any]] = []

    def read() -> None:
        for raw in stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if isinstance(message, dict) and message.get("event") == "listening":
                found.append(message)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout_s
    while reader.is_alive() and time.monotonic() < deadline:
        reader.join(0.05)
    return found[0] if found else None


def _drain(stdout: IO[bytes], log_path: Path) -> None:
    with log_path.open("ab") as log:
        for raw in stdout:
            log.write(raw)
            log.flush()
