"""The TypeScript binding of @checkout/core: readonly interfaces, the schema copy and the lint.

The lint is rendered by tools/codegen/ts_lint.py; this module writes the interfaces, the
embedded schema and the index every import of @checkout/core goes through.
"""

from __future__ import annotations

import json

from tools.codegen.model import Field, ObjectType, Schema
from tools.codegen.ts_lint import config_lint
from tools.codegen.ts_text import IDENTIFIER, OUT_DIR, doc, file, header, number

__all__ = ["OUT_DIR", "emit"]

_TS_TYPES = {"integer": "number", "number": "number", "boolean": "boolean", "string": "string"}


def emit(schema: Schema) -> dict[str, str]:
    return {
        f"{OUT_DIR}/timeoutConfig.ts": _timeout_config(schema),
        f"{OUT_DIR}/configLint.ts": config_lint(schema),
        f"{OUT_DIR}/timeoutSchema.ts": _timeout_schema(schema),
        f"{OUT_DIR}/index.ts": _index(schema),
    }


# --- timeoutConfig.ts -------------------------------------------------------


def _timeout_config(schema: Schema) -> str:
    lines = header(schema)
    for object_type in schema.types:
        lines += ["", *_interface(object_type)]
    return file(lines)


def _interface(object_type: ObjectType) -> list[str]:
    lines = [*doc([object_type.description]), f"export interface {object_type.name} {{"]
    for index, field in enumerate(object_type.fields):
        if index:
            lines.append("")
        paragraphs = [field.description]
        remarks = _remarks(field)
        if remarks:
            paragraphs.append(f"@remarks {remarks}")
        optional = "" if field.required else "?"
        lines += [*doc(paragraphs, "  "), f"  readonly {_property(field.json_name)}{optional}: {_ts_type(field)};"]
    return [*lines, "}"]


def _ts_type(field: Field) -> str:
    if field.kind == "object":
        assert field.ref is not None
        return field.ref
    return _TS_TYPES[field.kind]


def _remarks(field: Field) -> str:
    """Unit and range (or length and pattern), so an editor tooltip shows the bounds the schema enforces."""
    if field.kind == "string":
        return _string_remarks(field)
    if field.kind not in ("integer", "number"):
        return ""
    unit = " milliseconds" if field.json_name.endswith("_ms") else ""
    if field.exclusive_minimum is not None:
        low = f"({number(field.exclusive_minimum)}"
    elif field.minimum is not None:
        low = f"[{number(field.minimum)}"
    else:
        low = "(-∞"
    high = f"{number(field.maximum)}]" if field.maximum is not None else "∞)"
    return f"{field.kind}{unit} in {low}, {high}"


def _string_remarks(field: Field) -> str:
    limits = []
    if field.min_length is not None or field.max_length is not None:
        high = "∞" if field.max_length is None else str(field.max_length)
        limits.append(f"{field.min_length or 0}..{high} characters")
    if field.pattern is not None:
        limits.append(f"matching the pattern `{field.pattern}`")
    return f"string of {', '.join(limits)}" if limits else ""


def _property(name: str) -> str:
    return name if IDENTIFIER.match(name) else json.dumps(name)


# --- timeoutSchema.ts and index.ts ------------------------------------------


def _timeout_schema(schema: Schema) -> str:
    lines = header(schema)
    lines += [
        "",
        *doc(["SHA-256 of the text of config/timeout.schema.json this copy was generated from."]),
        f'export const SCHEMA_SHA256 = "{schema.sha256}";',
        "",
        *doc(["config/timeout.schema.json, embedded so a deployed service validates without the repo."]),
        f"export const timeoutSchema = {json.dumps(schema.document, indent=2, ensure_ascii=False)} as const;",
    ]
    return file(lines)


def _index(schema: Schema) -> str:
    type_names = ", ".join(object_type.name for object_type in schema.types)
    lines = header(schema)
    lines += [
        "",
        f'export type {{ {type_names} }} from "./timeoutConfig.js";',
        'export type { LintFinding, LintSeverity } from "./configLint.js";',
        'export { lintConfig, worstCaseCallMs } from "./configLint.js";',
        'export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";',
        'export type { ApiLimits } from "./apiLimits.js";',
        'export { API_LIMITS } from "./apiLimits.js";',
        'export * from "./vocabulary.js";',
    ]
    return file(lines)
