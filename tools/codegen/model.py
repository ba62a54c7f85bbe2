"""The schema read into a small typed model that every emitter walks.

Hand-written rather than datamodel-code-generator: its class names and field
order follow its own heuristics, and the bindings must share type names in
Python, TypeScript and Java, which one walk over the schema gives for free.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "config" / "timeout.schema.json"
SCHEMA_REL = "config/timeout.schema.json"

Kind = Literal["integer", "number", "boolean", "string", "object"]


@dataclass(frozen=True)
class Field:
    json_name: str
    kind: Kind
    description: str
    required: bool
    # For kind == "object": the name of the nested ObjectType.
    ref: str | None
    minimum: float | None
    maximum: float | None
    exclusive_minimum: float | None

    @property
    def snake(self) -> str:
        return self.json_name.lstrip("$")

    @property
    def camel(self) -> str:
        head, *rest = self.snake.split("_")
        return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True)
class ObjectType:
    name: str
    description: str
    pointer: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Schema:
    text: str
    sha256: str
    document: dict[str, Any]
    # Depth-first, parents before children; the root type comes first.
    types: tuple[ObjectType, ...]

    @property
    def root(self) -> ObjectType:
        return self.types[0]


def header_lines() -> list[str]:
    """The lines every generated file starts with, in the target's comment syntax."""
    return [f"generated from {SCHEMA_REL} — do not edit", "regenerate: nox -s codegen"]


def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    types: list[ObjectType] = []
    _walk(document, "", types)
    return Schema(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), document, tuple(types))


def _walk(node: dict[str, Any], pointer: str, out: list[ObjectType]) -> str:
    name: str = node["title"]
    index = len(out)
    out.append(ObjectType(name, node["description"], pointer, ()))
    required = set(node.get("required", []))
    fields: list[Field] = []
    for json_name, prop in node["properties"].items():
        if json_name == "$schema":
            continue  # an editor hint, not a setting: no binding carries it
        kind: Kind = prop["type"]
        ref = _walk(prop, f"{pointer}/{json_name}", out) if kind == "object" else None
        fields.append(
            Field(
                json_name,
                kind,
                prop["description"],
                json_name in required,
                ref,
                prop.get("minimum"),
                prop.get("maximum"),
                prop.get("exclusiveMinimum"),
            )
        )
    out[index] = ObjectType(name, node["description"], pointer, tuple(fields))
    return name
