"""Finding case files and telling their kind by shape, wherever they live."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CONTRACTS_DIR = REPO / "tests" / "contracts"
CONFIG_CASES_DIR = CONTRACTS_DIR / "config"
# The kernel vector topics of tests/contracts/VECTORS.md, one folder each.
TOPICS = ("backoff", "breaker", "budget", "deadline", "classification", "call")
DEFAULT_DIRS = (CONFIG_CASES_DIR, *(CONTRACTS_DIR / topic for topic in TOPICS))


class CaseFileError(Exception):
    """A case file that cannot be read as a JSON object."""


@dataclass(frozen=True)
class CaseFile:
    path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data.get("id", self.path.stem))


def discover(directories: Iterable[Path]) -> list[CaseFile]:
    """Every `*.json` below the directories, sorted by path; `*.schema.json` files describe cases, they are none."""
    found: list[CaseFile] = []
    for directory in directories:
        if not directory.is_dir():
            raise CaseFileError(f"{directory} is not a directory")
        for path in sorted(directory.rglob("*.json")):
            if not path.name.endswith(".schema.json"):
                found.append(read_case(path.resolve()))
    return found


def read_case(path: Path) -> CaseFile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CaseFileError(f"{path}: cannot read case file: {error}") from error
    if not isinstance(data, dict):
        raise CaseFileError(f"{path}: a case file holds a JSON object")
    return CaseFile(path, data)
