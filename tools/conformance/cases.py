"""Finding case files and telling their kind by shape, wherever they live."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[2]
CONTRACTS_DIR = REPO / "tests" / "contracts"
CONFIG_CASES_DIR = CONTRACTS_DIR / "config"
VECTOR_SCHEMA = CONTRACTS_DIR / "vector.schema.json"
# The kernel vector topics, one folder each: the schema's list, the one every runner reads.
TOPICS: tuple[str, ...] = tuple(json.loads(VECTOR_SCHEMA.read_text(encoding="utf-8"))["properties"]["topic"]["enum"])
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


@cache
def schema_validator(schema_path: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))


def shape_problems(case: CaseFile, schema_path: Path, noun: str) -> list[str]:
    """Why a file is not a well-formed case of its suite: its schema, and its id is its file name."""
    problems = [
        f"{case.path}: {'/'.join(map(str, error.absolute_path)) or noun}: {error.message}"
        for error in schema_validator(schema_path).iter_errors(case.data)
    ]
    if case.data.get("id") != case.path.stem:
        problems.append(f"{case.path}: id {case.data.get('id')!r} differs from the file name")
    return problems
