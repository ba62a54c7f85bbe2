"""dist/lambda.zip: the payment Lambda as AWS Lambda's Python 3.11 runtime (x86_64) takes it.

The zip's root is the function's task root (/var/task, also its working directory):
- `checkout_payments/` and its runtime dependencies (python/pyproject.toml), installed by pip as wheels for
  manylinux2014_x86_64 / CPython 3.11 (`--only-binary=:all:`), so a compiled dependency (pydantic-core,
  rpds-py) is the Lambda's build, not this machine's;
- `config/timeout.json`, a copy of the repo's: the loader finds it from the working directory
  (config/LOADING.md), or set CHECKOUT_CONFIG=/var/task/config/timeout.json.
Handler: `checkout_payments.payment_handler.handler`; environment: PAYMENT_GATEWAY_URL (LOG_LEVEL optional).
Entries are sorted with fixed times, so the same inputs give the same bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tools.deploy.generated import CONFIG, REPO

PACKAGE = REPO / "python"
OUT = REPO / "dist" / "lambda.zip"
HANDLER = "checkout_payments.payment_handler.handler"
PLATFORM = "manylinux2014_x86_64"
PYTHON_VERSION = "3.11"
# What pip leaves that the function never uses: console scripts and byte code of this machine's Python.
_DROPPED_DIRS = frozenset({"bin", "__pycache__"})
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def build(out: Path = OUT) -> Path:
    """Build the zip at `out` (replacing it) and return its path."""
    with tempfile.TemporaryDirectory(prefix="lambda-zip-") as scratch:
        work = Path(scratch)
        wheel = _wheel(work / "wheel")
        task = work / "task"
        _pip(
            "install",
            "--quiet",
            "--no-compile",
            "--target",
            str(task),
            "--platform",
            PLATFORM,
            "--implementation",
            "cp",
            "--python-version",
            PYTHON_VERSION,
            "--only-binary=:all:",
            str(wheel),
        )
        (task / "config").mkdir()
        shutil.copyfile(CONFIG, task / "config" / "timeout.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        _zip(task, out)
    return out


def _wheel(into: Path) -> Path:
    """checkout-payments as a pure-Python wheel (its build backend from PyPI, as any wheel build)."""
    _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(into), str(PACKAGE))
    wheels = sorted(into.glob("checkout_payments-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"pip wheel {PACKAGE} left {[w.name for w in wheels]}; expected one checkout_payments wheel")
    return wheels[0]


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=True)


def _zip(task: Path, out: Path) -> None:
    files = sorted(
        path
        for path in task.rglob("*")
        if path.is_file() and not _DROPPED_DIRS.intersection(path.relative_to(task).parts)
    )
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            entry = zipfile.ZipInfo(path.relative_to(task).as_posix(), date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            # rw-r--r-- (rwxr-xr-x for the few executables, e.g. shared objects): Lambda reads as another user.
            mode = 0o755 if path.stat().st_mode & 0o111 else 0o644
            entry.external_attr = (0o100000 | mode) << 16
            archive.writestr(entry, path.read_bytes(), compresslevel=9)
