"""Configs derived from config/timeout.json: a copy with some values changed, never a document written by hand.

Deriving keeps every field the schema may gain (a new required field travels along) and makes the
changes explicit: the demo prints them next to the real values, the tests name what they shortened.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config" / "timeout.json"


def read_config(path: Path = CONFIG) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def value_at(document: Mapping[str, Any], pointer: str) -> Any:
    """The value at a JSON Pointer (`/payment/timeout_ms`); KeyError when a step is missing."""
    target: Any = document
    for part in _parts(pointer):
        target = target[part]
    return target


def derive(overrides: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A deep copy of `base` (default: config/timeout.json) with each JSON Pointer set to its value.

    Every pointer must name a field that exists in the base: a typo, or a field the schema dropped,
    fails here instead of producing a config the services refuse.
    """
    document = copy.deepcopy(dict(base) if base is not None else read_config())
    for pointer, value in overrides.items():
        *parents, last = _parts(pointer)
        target = document
        for part in parents:
            target = target[part]
        if last not in target:
            raise KeyError(f"{pointer}: no such field in the base config")
        target[last] = value
    # The copy lives in a temp directory where the relative `$schema` hint would point nowhere.
    document.pop("$schema", None)
    return document


def write_config(document: Mapping[str, Any], path: Path) -> Path:
    """Write atomically (temp file + rename), so a polling service never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def _parts(pointer: str) -> list[str]:
    if pointer == "":
        return []  # RFC 6901: the whole document
    if not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON Pointer")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]
