"""Paths and helpers the tests share: the repo's configs, changed one setting at a time."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config" / "timeout.json"
PRE_INCIDENT = REPO / "config" / "examples" / "pre-incident.json"

Document = dict[str, Any]


def read_document(path: Path = CONFIG) -> Document:
    document: Document = json.loads(path.read_text(encoding="utf-8"))
    return document


def changed(document: Document, changes: dict[str, Any]) -> Document:
    """A deep copy with each `a/b/c` path set to its value."""
    result = copy.deepcopy(document)
    for path, value in changes.items():
        *parents, last = path.split("/")
        target = result
        for part in parents:
            target = target[part]
        target[last] = value
    return result


def text(changes: dict[str, Any] | None = None, base: Path = CONFIG) -> str:
    """The JSON text of a config with a/b/c paths changed."""
    return json.dumps(changed(read_document(base), changes or {}))
