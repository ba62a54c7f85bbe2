"""kustomize, pinned, from the Go module proxy (`go install`), and `kustomize build`.

No binary is downloaded from a release page: `go install sigs.k8s.io/kustomize/kustomize/v5@VERSION` builds
it from modules the Go module proxy serves (about 40 s of CPU once; reused afterwards).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# The newest v5 whose go.mod this machine's Go (1.26) accepts: v5.8.3 needs Go 1.27.
VERSION = "v5.8.2"
MODULE = "sigs.k8s.io/kustomize/kustomize/v5"


class KustomizeError(RuntimeError):
    """kustomize is missing, the wrong version, or refused to build."""


def installed_version(binary: Path) -> str | None:
    """`kustomize version` of that binary, or None when there is none."""
    if not binary.is_file():
        return None
    done = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def install(bin_dir: Path) -> Path:
    """kustomize VERSION in `bin_dir`: kept when already there, else built with `go install`."""
    binary = bin_dir / "kustomize"
    if installed_version(binary) == VERSION:
        return binary
    go = shutil.which("go")
    if go is None:
        raise KustomizeError(f"kustomize {VERSION} is not in {bin_dir} and `go` is not on PATH to install it")
    env = {**os.environ, "GOBIN": str(bin_dir)}
    subprocess.run([go, "install", "-trimpath", f"{MODULE}@{VERSION}"], env=env, check=True)
    found = installed_version(binary)
    if found != VERSION:
        raise KustomizeError(f"`go install {MODULE}@{VERSION}` left {binary} at version {found!r}")
    return binary


def find() -> Path:
    """The kustomize on PATH, checked to be VERSION (the nox session puts it there)."""
    located = shutil.which("kustomize")
    if located is None:
        raise KustomizeError("kustomize is not on PATH: `python -m tools.deploy install-kustomize --bin DIR`")
    binary = Path(located)
    found = installed_version(binary)
    if found != VERSION:
        raise KustomizeError(f"{binary} is kustomize {found!r}; expected {VERSION}")
    return binary


def build(directory: Path, binary: Path | None = None) -> str:
    """`kustomize build DIRECTORY`: the rendered multi-document YAML."""
    kustomize = binary or find()
    done = subprocess.run([str(kustomize), "build", str(directory)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise KustomizeError(f"kustomize build {directory} failed: {done.stderr.strip()}")
    return done.stdout
