"""A real simulator on 127.0.0.1, served from a background thread so tests can use plain httpx."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tools.simulator.behaviour import Behaviour
from tools.simulator.logs import FIELDS
from tools.simulator.server import Running, start


class Simulator:
    def __init__(self, seed: int, behaviour: Behaviour | None = None) -> None:
        self._seed = seed
        self._behaviour = behaviour
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._running: Running | None = None
        self._thread.start()
        if not self._ready.wait(timeout=10):
            raise RuntimeError("simulator did not start")
        self.client = httpx.Client(base_url=self.url, timeout=10.0)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._running = self._loop.run_until_complete(start("127.0.0.1", 0, self._seed, self._behaviour))
        self._ready.set()
        self._loop.run_forever()

    @property
    def url(self) -> str:
        assert self._running is not None
        return self._running.url

    def close(self) -> None:
        self.client.close()
        assert self._running is not None
        asyncio.run_coroutine_threadsafe(self._running.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def behave(self, **behaviour: Any) -> None:
        response = self.client.put("/control/behaviour", json=behaviour)
        assert response.status_code == 200, response.text

    def charge(
        self,
        key: str,
        *,
        timeout: float = 10.0,
        **overrides: Any,
    ) -> httpx.Response:
        """POST a valid charge; a connection that was dropped or timed out leaves the pool by itself."""
        body = {**CHARGE, **overrides}
        return self.client.post("/v1/charges", json=body, headers={"Idempotency-Key": key}, timeout=timeout)

    def ledger(self) -> dict[str, Any]:
        body: dict[str, Any] = self.client.get("/ledger").json()
        return body

    def entry(self, key: str) -> dict[str, Any]:
        for entry in self.ledger()["charges"]:
            if entry["key"] == key:
                return dict(entry)
        raise AssertionError(f"no ledger entry for {key}")


CHARGE: dict[str, Any] = {
    "order_id": "order-1",
    "amount_minor": 1999,
    "currency": "EUR",
    "payment_token": "tok_visa_4242",
}


def wait_for(condition: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll until `condition()` is truthy; the simulator's work happens on its own thread."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


def logged(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    return [
        getattr(record, FIELDS)
        for record in caplog.records
        if record.name == "tools.simulator" and record.getMessage() == event
    ]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


REPO = Path(__file__).resolve().parents[3]


class CliSimulator:
    """`python -m tools.simulator` as a subprocess; its stderr goes to a file so a busy log never blocks it."""

    def __init__(self, seed: int, *extra: str) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 — outlives __init__; closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tools.simulator", "--port", "0", "--seed", str(seed), *extra],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.listening: dict[str, Any] = json.loads(line) if line else {}
        self._log = ""

    @property
    def url(self) -> str:
        return f"http://{self.listening['host']}:{self.listening['port']}"

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        if self._stderr.closed:
            return self.process.wait(timeout)
        if self.process.poll() is None:
            self.process.send_signal(signum)
        code = self.process.wait(timeout)
        assert self.process.stdout is not None
        self.process.stdout.close()
        self._log = self._read_stderr()
        self._stderr.close()
        return code

    def stderr(self) -> str:
        """Everything logged so far (after stop(): everything logged)."""
        return self._log if self._stderr.closed else self._read_stderr()

    def _read_stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8")
