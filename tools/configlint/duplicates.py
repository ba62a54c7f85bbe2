"""Duplicate object keys, each named by its JSON Pointer.

RFC 8259 only says names SHOULD be unique, so every JSON parser of the three languages takes
`{"timeout_ms": 5000, "timeout_ms": 20000}` and silently keeps one of the two values: a config
that reads one way to a reviewer and loads another. The lint refuses it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

RULE = "duplicate-key"


class _Pairs(list[tuple[str, Any]]):
    """A JSON object as parsed: its members in order, duplicates kept."""


@dataclass(frozen=True)
class DuplicateKey:
    pointer: str
    values: tuple[Any, ...]

    @property
    def message(self) -> str:
        shown = ", ".join(json.dumps(_plain(value), ensure_ascii=False)[:60] for value in self.values)
        return (
            f"key {self.pointer} appears {len(self.values)} times in one object (values {shown}); "
            "a parser keeps only one of them, silently; expected each key once"
        )


def duplicate_keys(text: str) -> list[DuplicateKey]:
    """Every key that appears more than once in its object, in document order; [] for invalid JSON."""
    try:
        tree = json.loads(text, object_pairs_hook=_Pairs)
    except ValueError:
        return []  # the loader reports the parse error
    return list(_walk(tree, ""))


def _walk(node: Any, pointer: str) -> Iterator[DuplicateKey]:
    if isinstance(node, _Pairs):
        values: dict[str, list[Any]] = {}
        for key, value in node:
            values.setdefault(key, []).append(value)
        for key, found in values.items():
            child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            if len(found) > 1:
                yield DuplicateKey(child, tuple(found))
            for value in found:
                yield from _walk(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{pointer}/{index}")


def _plain(node: Any) -> Any:
    if isinstance(node, _Pairs):
        return {key: _plain(value) for key, value in node}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node
