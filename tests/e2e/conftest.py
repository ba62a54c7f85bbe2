"""Fixtures of the end-to-end suite: one shared stack for the tests that leave it as they found it.

Tests that kill processes start their own stack (see test_e2e_outage.py). Every process a fixture
starts is stopped at teardown, also when a test fails; the stack's logs stay in pytest's tmp dir.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from e2e_stack import SERVICES, Surfaces, running_stack

from tools.stack import Stack


@pytest.fixture(scope="session")
def shared_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("shared-stack")) as stack:
        yield stack
    assert stack.leftovers() == [], stack.leftovers()


@pytest.fixture
def e2e(shared_stack: Stack) -> Iterator[Surfaces]:
    """The shared stack with a fresh provider (ledger and behaviour reset); breakers closed afterwards."""
    with httpx.Client(timeout=30.0) as http:
        surfaces = Surfaces(shared_stack, http)
        surfaces.reset_provider()
        yield surfaces
        if any(surfaces.breaker(service) != "closed" for service in SERVICES):
            surfaces.heal()
