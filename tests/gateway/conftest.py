"""Fixtures of the gateway's end-to-end tests; every process and database they start is stopped or dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2e_processes import Processes
from pg import Databases


@pytest.fixture
def databases() -> Iterator[Databases]:
    made = Databases()
    try:
        yield made
    finally:
        made.drop_all()


@pytest.fixture
def database(databases: Databases) -> str:
    """The URL of a fresh database: the one every gateway of the test uses unless it is given another."""
    return databases.create()


@pytest.fixture
def processes(tmp_path: Path, database: str) -> Iterator[Processes]:
    running = Processes(tmp_path, database)
    try:
        yield running
    finally:
        running.stop_all()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as client:
        yield client
