"""A real Prometheus (Debian's `prometheus` package) as a child process on 127.0.0.1, and its HTTP API.

It gets a temp config, a temp storage dir and the rule file under test; it scrapes and evaluates every
second, so an alert's `for` of a few seconds is seen through /api/v1/alerts as it would be in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import httpx

HOST = "127.0.0.1"
INTERVAL = "1s"
T = TypeVar("T")


class Prometheus:
    """`with Prometheus(workdir, rules, targets) as prometheus:` runs one; stopped on exit, also on failure."""

    def __init__(self, workdir: Path, rules: str, targets: Mapping[str, str]) -> None:
        binary = shutil.which("prometheus") or "/usr/bin/prometheus"
        assert Path(binary).exists(), "no prometheus binary: `nox -s monitoring` installs Debian's `prometheus`"
        self.binary = binary
        self.workdir = workdir
        self.rules_path = workdir / "alerts.rules.yml"
        self.rules_path.write_text(rules, encoding="utf-8")
        self.config_path = workdir / "prometheus.yml"
        self.config_path.write_text(_config(self.rules_path, targets), encoding="utf-8")
        self.log_path = workdir / "prometheus.log"
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.popen: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.url, timeout=10.0)

    def __enter__(self) -> Prometheus:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self, timeout_s: float = 60.0) -> None:
        argv = [
            self.binary,
            f"--config.file={self.config_path}",
            f"--storage.tsdb.path={self.workdir / 'data'}",
            f"--web.listen-address={HOST}:{self.port}",
        ]
        with self.log_path.open("ab") as log:
            # Its own process group, so stop() can make sure nothing of it is left.
            self.popen = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
            )
        self.wait_for("ready", lambda: self._ready() or None, timeout_s)

    def stop(self) -> None:
        self.http.close()
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _ready(self) -> bool:
        if self.popen is not None and self.popen.poll() is not None:
            raise AssertionError(f"prometheus exited with {self.popen.returncode}:\n{self.log_tail()}")
        try:
            return self.http.get("/-/ready").status_code == 200
        except httpx.HTTPError:
            return False

    def api(self, path: str, **params: str) -> Any:
        response = self.http.get(f"/api/v1/{path}", params=params)
        body = response.json()
        assert body.get("status") == "success", f"{path} {params}: {response.status_code} {body}"
        return body["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant query's vector: [{"metric": {labels}, "value": [time, "text"]}, …]."""
        result: list[dict[str, Any]] = self.api("query", query=expr)["result"]
        return result

    def alerts(self, name: str) -> list[dict[str, Any]]:
        """The active (pending or firing) alerts of one rule, with their labels, state and activeAt."""
        return [alert for alert in self.api("alerts")["alerts"] if alert["labels"]["alertname"] == name]

    def targets(self) -> dict[str, str]:
        """job → health of each scrape target (`up`, `down` or `unknown`)."""
        return {t["labels"]["job"]: t["health"] for t in self.api("targets", state="active")["activeTargets"]}

    def wait_for(self, what: str, probe: Callable[[], T | None], timeout_s: float, poll_s: float = 0.2) -> T:
        """Poll until probe returns something other than None; fail naming `what` and Prometheus' log."""
        deadline = time.monotonic() + timeout_s
        while True:
            found = probe()
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout_s} s: {what}\n--- prometheus log:\n{self.log_tail()}")
            time.sleep(poll_s)


def _config(rules: Path, targets: Mapping[str, str]) -> str:
    # JSON is YAML: no YAML library needed, and no quoting to get wrong.
    document = {
        "global": {"scrape_interval": INTERVAL, "scrape_timeout": INTERVAL, "evaluation_interval": INTERVAL},
        "rule_files": [str(rules)],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [url.removeprefix("http://")]}]}
            for job, url in targets.items()
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port
