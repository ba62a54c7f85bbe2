"""The kustomize trees rendered once per session by the pinned kustomize (tools/deploy/kustomize.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from manifest_support import DEPLOY, TREES, Rendered, render

from tools.deploy import generated


@pytest.fixture(scope="session")
def renders() -> dict[str, Rendered]:
    return {tree: render(DEPLOY / tree) for tree in TREES}


@pytest.fixture(params=TREES)
def rendered(request: pytest.FixtureRequest, renders: dict[str, Rendered]) -> Rendered:
    tree: str = request.param
    return renders[tree]


@pytest.fixture(scope="session")
def production(renders: dict[str, Rendered]) -> Rendered:
    return renders["overlays/production"]


@pytest.fixture(scope="session")
def config_bytes() -> bytes:
    return generated.CONFIG.read_bytes()


@pytest.fixture(scope="session")
def config(config_bytes: bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(config_bytes)
    return document
