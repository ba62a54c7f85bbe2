"""Every conformance vector of tests/contracts (or $CONFORMANCE_VECTORS_DIR) through the Python kernel."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checkout_payments.conformance.vectors import run_vector, topics


def vectors_dir() -> Path:
    """$CONFORMANCE_VECTORS_DIR, else the nearest tests/contracts above the working directory."""
    given = os.environ.get("CONFORMANCE_VECTORS_DIR")
    if given:
        return Path(given).resolve()
    start = Path.cwd().resolve()
    for directory in (start, *start.parents):
        if (directory / "tests" / "contracts").is_dir():
            return directory / "tests" / "contracts"
    raise RuntimeError(f"no tests/contracts in {start} or above; set CONFORMANCE_VECTORS_DIR")


DIRECTORY = vectors_dir()
FILES = sorted(path for topic in topics() for path in (DIRECTORY / topic).glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    vector: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return vector


def vector_id(path: Path) -> str:
    return str(load(path).get("id", path.stem))


def test_the_directory_holds_vectors() -> None:
    assert FILES, f"no vector files in the topic folders of {DIRECTORY}"


@pytest.mark.parametrize("path", FILES, ids=vector_id)
def test_vector(path: Path) -> None:
    assert run_vector(load(path)) == []


@pytest.mark.parametrize("path", [p for p in FILES if p.parent.name in ("call", "upstream")], ids=vector_id)
def test_call_and_upstream_vector_through_the_async_loop(path: Path) -> None:
    assert run_vector(load(path), asynchronous=True) == []
