"""Real processes for the gateway's end-to-end tests: the provider simulator and the gateway jar.

Both bind 127.0.0.1 on a free port and announce it with one JSON `listening` line on stdout; their
stderr goes to a file the tests can read (and that never fills a pipe). Every process a fixture
starts is stopped in its teardown. A gateway keeps its payment records in the PostgreSQL database it
is given (DATABASE_URL); two gateways on one database are two replicas.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
JAR = REPO / "java" / "gateway" / "target" / "payment-gateway.jar"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0

# The repo's config with every payment timing cut down (attempt timeout 1 s, recovery 500 ms,
# backoff 50 ms x 2): the breaker's production threshold (5) and half-open trials (3) are kept. The
# lease of a key in flight must outlive deadline_ms (lint): 6 s, which a restart test waits out.
LEASE_MS = 6000
SHORTENED: dict[str, Any] = {
    "version": "e2e-shortened",
    "payment": {
        "timeout_ms": 1000,
        "deadline_ms": 5000,
        "provider_expected_p99_ms": 800,
        "min_deadline_ms": 100,
        "answer_margin_ms": 50,
        "retry": {
            "max_attempts": 3,
            "base_delay_ms": 50,
            "backoff_multiplier": 2.0,
            "jitter_ms": 10,
            "max_delay_ms": 200,
        },
        "circuit_breaker": {
            "enabled": True,
            "failure_threshold": 5,
            "recovery_timeout_ms": 500,
            "half_open_max_calls": 3,
        },
        # The lookup's own policy (SEMANTICS §11), cut the same way.
        "lookup": {
            "timeout_ms": 1000,
            "deadline_ms": 5000,
            "provider_expected_p99_ms": 800,
            "retry": {"base_delay_ms": 50, "jitter_ms": 10, "max_delay_ms": 200},
            "circuit_breaker": {"recovery_timeout_ms": 500},
        },
    },
    "database": {"pool": {"acquire_timeout_ms": 1000}, "gateway_pool": {"acquire_timeout_ms": 1000}},
    "gateway": {"idempotency": {"lease_ms": LEASE_MS}},
}


def _merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass
class Process:
    """A started child process with its announced port and its stderr file."""

    name: str
    popen: subprocess.Popen[bytes]
    port: int
    stderr_path: Path
    _stderr: IO[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(STOP_TIMEOUT_S)
        self._stderr.close()
        return self.popen.returncode


def _start(name: str, command: list[str], stderr_path: Path, env: dict[str, str] | None = None) -> Process:
    stderr = stderr_path.open("ab")
    popen = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, env=env
    )
    assert popen.stdout is not None
    stdout = popen.stdout
    line: list[bytes] = []
    reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT_S)
    if not line or not line[0]:
        popen.kill()
        popen.wait()
        stderr.close()
        raise AssertionError(f"{name} did not announce itself; stderr:\n{stderr_path.read_text(errors='replace')}")
    announced = json.loads(line[0])
    assert announced["event"] == "listening", announced
    assert announced["host"] == "127.0.0.1", announced
    return Process(name, popen, int(announced["port"]), stderr_path, stderr)


def gateway_command(config_path: Path, provider_url: str) -> list[str]:
    if not JAR.is_file():
        raise AssertionError(f"{JAR} is missing: build it first with `mvn -B -f java/pom.xml verify`")
    java = os.environ.get("JAVA", "java")
    command = [java, "-jar", str(JAR), "--host", "127.0.0.1", "--port", "0", "--provider-url", provider_url]
    return command + ["--config", str(config_path)]


def gateway_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env.pop("CHECKOUT_DB_THROWAWAY", None)  # each test says it itself when it wants the warning
    return env


class Processes:
    """Starts simulators and gateways; stops whatever is still running at teardown."""

    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.database_url = database_url
        self.started: list[Process] = []

    def simulator(self, seed: int = 7, port: int = 0) -> Process:
        command = [
            sys.executable,
            "-m",
            "tools.simulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--seed",
            str(seed),
        ]
        process = _start("simulator", command, self.tmp / f"simulator-{len(self.started)}.err")
        self.started.append(process)
        return process

    def gateway(
        self, provider_url: str, overrides: dict[str, Any] | None = None, database_url: str | None = None
    ) -> Process:
        """A gateway on the test's database (DATABASE_URL), or on `database_url` when given."""
        command = gateway_command(self.config(overrides), provider_url)
        env = gateway_env(database_url or self.database_url)
        process = _start("gateway", command, self.tmp / f"gateway-{len(self.started)}.err", env)
        self.started.append(process)
        return process

    def config(self, overrides: dict[str, Any] | None = None) -> Path:
        repo_config = json.loads((REPO / "config" / "timeout.json").read_text(encoding="utf-8"))
        config = _merge(_merge(repo_config, SHORTENED), overrides or {})
        config_path = self.tmp / f"timeout-{len(self.started)}.json"
        config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
        return config_path

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()
