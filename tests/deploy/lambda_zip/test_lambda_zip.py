"""dist/lambda.zip (`nox -s lambda-zip`) unpacked and run as Lambda runs it: only the task root on sys.path.

Each invocation runs in a fresh `python -I -S` (no site-packages, no PYTHON* variables) whose working
directory is the unpacked task root, as /var/task is in Lambda, and whose sys.path gets only that directory:
what the handler imports must come from the zip or the standard library.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import sysconfig
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tools.deploy import lambda_zip
from tools.deploy.generated import CONFIG, REPO

ZIP = Path(os.environ.get("LAMBDA_ZIP", lambda_zip.OUT))
# Lambda's limits for a zip uploaded directly and for the unpacked function.
MAX_ZIPPED_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024
PAYMENT = {"order_id": "order-zip-1", "amount_minor": 1999, "currency": "EUR", "payment_token": "tok_visa_4242"}

# Runs inside the fresh interpreter: invoke the handler on one event, then say where every module came from.
INVOKE = """
import json, sys
task_root, event, remaining_ms = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, task_root)
import time
from checkout_payments.payment_handler import handler

class Context:
    def __init__(self):
        self.ends = time.monotonic() + remaining_ms / 1000
    def get_remaining_time_in_millis(self):
        return max(0, int((self.ends - time.monotonic()) * 1000))

response = handler(event, Context())
files = sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())} - {""})
print(json.dumps({"response": response, "files": files}))
"""


class _AuthorisingGateway(BaseHTTPRequestHandler):
    """POST /payments → 200 authorised, as the gateway answers (docs/GATEWAY.md); remembers what it got."""

    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers["Idempotency-Key"]
        self.seen.append({"path": self.path, "key": key, "deadline": self.headers.get("X-Deadline-Ms"), "body": body})
        answer = {
            "idempotency_key": key,
            "order_id": body["order_id"],
            "status": "authorised",
            "charge_id": "ch_000001",
            "amount_minor": body["amount_minor"],
            "currency": body["currency"],
            "attempts": 1,
        }
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def task_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert ZIP.is_file(), f"{ZIP} is missing: `nox -s lambda-zip` (or `python -m tools.deploy lambda-zip`) builds it"
    root = tmp_path_factory.mktemp("var-task")
    with zipfile.ZipFile(ZIP) as archive:
        archive.extractall(root)
    return root


@pytest.fixture
def authorising_gateway() -> Iterator[str]:
    _AuthorisingGateway.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AuthorisingGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _api_gateway_event(idempotency_key: str) -> dict[str, Any]:
    """An API Gateway HTTP API (v2) proxy event for POST /payments."""
    return {
        "version": "2.0",
        "routeKey": "POST /payments",
        "rawPath": "/payments",
        "rawQueryString": "",
        "headers": {"content-type": "application/json", "idempotency-key": idempotency_key},
        "requestContext": {"http": {"method": "POST", "path": "/payments"}, "requestId": "req-zip-1"},
        "body": json.dumps(PAYMENT),
        "isBase64Encoded": False,
    }


def _invoke(task_root: Path, gateway_url: str, event: dict[str, Any], remaining_ms: int) -> dict[str, Any]:
    env = {"PATH": os.environ.get("PATH", ""), "PAYMENT_GATEWAY_URL": gateway_url, "LAMBDA_TASK_ROOT": str(task_root)}
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", INVOKE, str(task_root), json.dumps(event), str(remaining_ms)],
        cwd=task_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"the handler's interpreter failed:\n{done.stderr}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    stdlib = (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
    outside = [f for f in result["files"] if not f.startswith((str(task_root), *stdlib))]
    assert outside == [], f"modules loaded from outside the zip and the standard library: {outside}"
    return result


def _well_formed(response: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
    assert set(response) == {"statusCode", "headers", "body", "isBase64Encoded"}
    assert response["headers"]["Content-Type"] == "application/json"
    assert response["headers"]["Idempotency-Key"] == idempotency_key
    body: dict[str, Any] = json.loads(response["body"])
    return body


def test_the_zip_fits_lambdas_size_limits() -> None:
    with zipfile.ZipFile(ZIP) as archive:
        unzipped = sum(entry.file_size for entry in archive.infolist())
    assert ZIP.stat().st_size < MAX_ZIPPED_BYTES
    assert unzipped < MAX_UNZIPPED_BYTES


def test_the_zip_bundles_the_config_the_handler_and_every_runtime_dependency(task_root: Path) -> None:
    assert (task_root / "config" / "timeout.json").read_bytes() == CONFIG.read_bytes()
    module, _, function = lambda_zip.HANDLER.rpartition(".")
    assert f"def {function}(" in (task_root / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
    project = tomllib.loads((REPO / "python" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = {p.name.split("-")[0].lower() for p in task_root.glob("*.dist-info")}
    for requirement in project["dependencies"]:
        named = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert named is not None, f"cannot read a name in {requirement!r}"
        name = named.group(0).lower().replace("-", "_")
        assert name in installed, f"runtime dependency {requirement} is not in the zip"


def test_compiled_dependencies_are_built_for_the_lambda_runtime(task_root: Path) -> None:
    extensions = sorted(p.name for p in task_root.rglob("*.so"))
    assert any(name.startswith("_pydantic_core.") for name in extensions), extensions
    assert all(name.endswith(".cpython-311-x86_64-linux-gnu.so") or ".abi3." in name for name in extensions), extensions


def test_the_unpacked_handler_pays_through_the_gateway(task_root: Path, authorising_gateway: str) -> None:
    result = _invoke(task_root, authorising_gateway, _api_gateway_event("zip-pay-1"), remaining_ms=10_000)
    response = result["response"]
    body = _well_formed(response, "zip-pay-1")
    assert response["statusCode"] == 200, body
    assert body["status"] == "authorised"
    assert body["charge_id"] == "ch_000001"
    (seen,) = _AuthorisingGateway.seen
    assert seen["path"] == "/payments"
    assert seen["key"] == "zip-pay-1"
    assert seen["body"] == PAYMENT
    assert seen["deadline"] is not None
    assert int(seen["deadline"]) > 0


def test_the_unpacked_handler_answers_an_unreachable_gateway_with_a_safe_failure(task_root: Path) -> None:
    result = _invoke(task_root, f"http://127.0.0.1:{_closed_port()}", _api_gateway_event("zip-pay-2"), 4_000)
    response = result["response"]
    body = _well_formed(response, "zip-pay-2")
    # A refused connection charged nothing: the same key may be sent again later (503, status failed).
    assert response["statusCode"] == 503, body
    assert body["status"] == "failed"
    assert body["idempotency_key"] == "zip-pay-2"
    assert body["error"]["retryable"] is False
    assert body["error"]["class"]
    assert body["error"]["message"]
