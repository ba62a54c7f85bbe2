"""The schema read into a small typed model that every emitter walks.

Hand-written rather than datamodel-code-generator: its class names and field
order follow its own heuristics, and the bindings must share type names in
Python, TypeScript and Java, which one walk over the schema gives for free.

The walk fails closed: a keyword it does not translate raises `SchemaError`
naming the schema pointer and the keyword, so a constraint can never be
enforced by the embedded schema copy and silently missing from a binding.
Local `$ref`s (`#/$defs/…`) are resolved; each titled type is one ObjectType,
however many fields use it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "config" / "timeout.schema.json"
SCHEMA_REL = "config/timeout.schema.json"

Kind = Literal["integer", "number", "boolean", "string", "object"]

# The keywords each kind of schema node may carry: every one of them is carried into the bindings.
_OBJECT_KEYWORDS = frozenset({"type", "title", "description", "additionalProperties", "required", "properties"})
_ROOT_KEYWORDS = _OBJECT_KEYWORDS | {"$schema", "$id", "$defs"}
_SCALAR_KEYWORDS: dict[str, frozenset[str]] = {
    "integer": frozenset({"type", "description", "minimum", "maximum", "exclusiveMinimum"}),
    "number": frozenset({"type", "description", "minimum", "maximum", "exclusiveMinimum"}),
    "boolean": frozenset({"type", "description"}),
    "string": frozenset({"type", "description", "minLength", "maxLength", "pattern"}),
}
# A field that reuses a type: the reference and the field's own description, nothing else.
_REF_KEYWORDS = frozenset({"$ref", "description"})


class SchemaError(ValueError):
    """The schema uses something codegen does not translate; the message names pointer and keyword."""


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
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None

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
    # The instance pointer of the first field of this type (root: ""); a shared type has others too.
    pointer: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Schema:
    text: str
    sha256: str
    document: dict[str, Any]
    # Depth-first, parents before children; the root type comes first; each type once.
    types: tuple[ObjectType, ...]

    @property
    def root(self) -> ObjectType:
        return self.types[0]

    def type_named(self, name: str) -> ObjectType:
        return next(t for t in self.types if t.name == name)

    def settings(self) -> Iterator[tuple[str, Field]]:
        """Every (instance JSON Pointer, Field) of a config document, a shared type under each of its fields."""

        def walk(object_type: ObjectType, prefix: str) -> Iterator[tuple[str, Field]]:
            for field in object_type.fields:
                pointer = f"{prefix}/{field.json_name.replace('~', '~0').replace('/', '~1')}"
                yield pointer, field
                if field.ref is not None:
                    yield from walk(self.type_named(field.ref), pointer)

        return walk(self.root, "")


def header_lines() -> list[str]:
    """The lines every generated file starts with, in the target's comment syntax."""
    return [f"generated from {SCHEMA_REL} — do not edit", "regenerate: nox -s codegen"]


def data_header_lines(name: str, text: str) -> list[str]:
    """The header of a file generated from the data file config/<name>.json (whose text is `text`)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return [
        f"generated from config/{name}.json — do not edit",
        "regenerate: nox -s codegen",
        f"{name}-sha256: {digest}",
    ]


def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    walker = _Walker(document)
    walker.object_type(document, "", "", root=True)
    unused = sorted(set(document.get("$defs", {})) - walker.used_defs)
    if unused:
        raise SchemaError(f"#/$defs/{unused[0]}: no field uses this definition ($ref); remove it or use it")
    return Schema(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), document, tuple(walker.types))


class _Walker:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.types: list[ObjectType] = []
        self.defined_at: dict[str, str] = {}  # type name → schema pointer of its one definition
        self.used_defs: set[str] = set()

    def object_type(self, node: dict[str, Any], at: str, instance: str, *, root: bool = False) -> str:
        _only(node, _ROOT_KEYWORDS if root else _OBJECT_KEYWORDS, at)
        name: str = _need(node, "title", at)
        if name in self.defined_at:
            if self.defined_at[name] != at:
                raise SchemaError(
                    f"#{at}/title: type {name} is defined twice (#{self.defined_at[name]} and #{at}); "
                    "define it once under $defs and $ref it"
                )
            return name
        self.defined_at[name] = at
        if node.get("additionalProperties") is not False:
            raise SchemaError(f"#{at}/additionalProperties: must be false (the bindings are closed types)")
        properties: dict[str, Any] = _need(node, "properties", at)
        required = list(node.get("required", []))
        for missing in [n for n in required if n not in properties]:
            raise SchemaError(f"#{at}/required: names {missing!r}, which is not in properties")
        index = len(self.types)
        self.types.append(ObjectType(name, _need(node, "description", at), instance, ()))
        fields: list[Field] = []
        for json_name, prop in properties.items():
            if root and json_name == "$schema":
                _only(prop, _SCALAR_KEYWORDS["string"], f"{at}/properties/$schema")
                continue  # an editor hint, not a setting: no binding carries it
            fields.append(self.field(json_name, prop, f"{at}/properties/{json_name}", instance, json_name in required))
        self.types[index] = ObjectType(name, self.types[index].description, instance, tuple(fields))
        return name

    def field(self, json_name: str, prop: dict[str, Any], at: str, parent: str, required: bool) -> Field:
        instance = f"{parent}/{json_name}"
        description: str = _need(prop, "description", at)
        if "$ref" in prop:
            _only(prop, _REF_KEYWORDS, at)
            target, target_at = self.resolve(prop["$ref"], at)
            name = self.object_type(target, target_at, instance)
            return Field(json_name, "object", description, required, name, None, None, None)
        kind: Kind = _need(prop, "type", at)
        if kind == "object":
            name = self.object_type(prop, at, instance)
            return Field(json_name, kind, description, required, name, None, None, None)
        if kind not in _SCALAR_KEYWORDS:
            expected = ", ".join(["object", *_SCALAR_KEYWORDS])
            raise SchemaError(f"#{at}/type: {kind!r} is not translated (expected one of {expected})")
        _only(prop, _SCALAR_KEYWORDS[kind], at)
        return Field(
            json_name,
            kind,
            description,
            required,
            None,
            prop.get("minimum"),
            prop.get("maximum"),
            prop.get("exclusiveMinimum"),
            prop.get("minLength"),
            prop.get("maxLength"),
            prop.get("pattern"),
        )

    def resolve(self, ref: object, at: str) -> tuple[dict[str, Any], str]:
        """A local `#/…` reference → (the node, its schema pointer); anything else fails codegen."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise SchemaError(f"#{at}/$ref: {ref!r} is not a local reference (expected '#/$defs/<Name>')")
        node: Any = self.document
        pointer = ref[1:]
        for token in pointer.split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or token not in node:
                raise SchemaError(f"#{at}/$ref: {ref!r} points at nothing")
            node = node[token]
        parts = pointer.split("/")
        if len(parts) == 3 and parts[1] == "$defs":
            self.used_defs.add(parts[2])
        if not isinstance(node, dict) or node.get("type") != "object":
            raise SchemaError(f"#{at}/$ref: {ref!r} is not an object type")
        return node, pointer


def _only(node: dict[str, Any], allowed: frozenset[str], at: str) -> None:
    for keyword in node:
        if keyword not in allowed:
            raise SchemaError(f"#{at}: keyword {keyword!r} is not translated by tools/codegen into the bindings")


def _need(node: dict[str, Any], keyword: str, at: str) -> Any:
    if keyword not in node:
        raise SchemaError(f"#{at}: keyword {keyword!r} is required by tools/codegen here")
    return node[keyword]
