"""The TypeScript binding of @checkout/core: readonly interfaces, the schema copy and the lint.

Every rule of tools/configlint/rules.py is rendered to plain TypeScript (no rule
interpreter at run time), so a rule reads the same in the generated file as in
a hand-written one and tsc type-checks each comparison.
"""

from __future__ import annotations

import inspect
import json
import math
import re
import textwrap

from tools.codegen.model import Field, ObjectType, Schema, header_lines
from tools.configlint import rules as lint

OUT_DIR = "node/packages/core/src/generated"
SETTINGS = "settings"
WORST_CASE = "worstCase"
DOC_WIDTH = 96

_TS_TYPES = {"integer": "number", "number": "number", "boolean": "boolean", "string": "string"}
_TS_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "===", "!=": "!=="}
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def emit(schema: Schema) -> dict[str, str]:
    return {
        f"{OUT_DIR}/timeoutConfig.ts": _timeout_config(schema),
        f"{OUT_DIR}/configLint.ts": _config_lint(schema),
        f"{OUT_DIR}/timeoutSchema.ts": _timeout_schema(schema),
        f"{OUT_DIR}/index.ts": _index(schema),
    }


def _header(schema: Schema, *extra: str) -> list[str]:
    lines = [*header_lines(), f"schema-sha256: {schema.sha256}", *extra]
    return [f"// {line}" for line in lines]


def _file(lines: list[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


def _doc(paragraphs: list[str], indent: str = "") -> list[str]:
    """A TSDoc block; each paragraph wrapped, blank lines between them."""
    body: list[str] = []
    for paragraph in paragraphs:
        if body:
            body.append("")
        body.extend(textwrap.wrap(paragraph.replace("*/", "*\\/"), DOC_WIDTH) or [""])
    return [f"{indent}/**", *(f"{indent} *{' ' + line if line else ''}" for line in body), f"{indent} */"]


def _paragraphs(docstring: str) -> list[str]:
    return [" ".join(block.split()) for block in inspect.cleandoc(docstring).split("\n\n")]


# --- timeoutConfig.ts -------------------------------------------------------


def _timeout_config(schema: Schema) -> str:
    lines = _header(schema)
    for object_type in schema.types:
        lines += ["", *_interface(object_type)]
    return _file(lines)


def _interface(object_type: ObjectType) -> list[str]:
    lines = [*_doc([object_type.description]), f"export interface {object_type.name} {{"]
    for index, field in enumerate(object_type.fields):
        if index:
            lines.append("")
        paragraphs = [field.description]
        remarks = _remarks(field)
        if remarks:
            paragraphs.append(f"@remarks {remarks}")
        optional = "" if field.required else "?"
        lines += [*_doc(paragraphs, "  "), f"  readonly {_property(field.json_name)}{optional}: {_ts_type(field)};"]
    return [*lines, "}"]


def _ts_type(field: Field) -> str:
    if field.kind == "object":
        assert field.ref is not None
        return field.ref
    return _TS_TYPES[field.kind]


def _remarks(field: Field) -> str:
    """Unit and range, so an editor tooltip shows the bounds the schema enforces."""
    if field.kind not in ("integer", "number"):
        return ""
    unit = " milliseconds" if field.json_name.endswith("_ms") else ""
    if field.exclusive_minimum is not None:
        low = f"({_number(field.exclusive_minimum)}"
    elif field.minimum is not None:
        low = f"[{_number(field.minimum)}"
    else:
        low = "(-∞"
    high = f"{_number(field.maximum)}]" if field.maximum is not None else "∞)"
    return f"{field.kind}{unit} in {low}, {high}"


def _property(name: str) -> str:
    return name if _IDENTIFIER.match(name) else json.dumps(name)


def _number(value: float) -> str:
    if isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"not a finite JSON number: {value!r}")
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() else repr(value)


# --- configLint.ts ----------------------------------------------------------


def _config_lint(schema: Schema) -> str:
    fields = _fields_by_pointer(schema)
    uses_worst_case = any(_uses_worst_case(rule) for rule in lint.RULES)
    root = schema.root.name
    lines = _header(schema, "lint rules: tools/configlint/rules.py")
    lines += [
        "",
        f'import type {{ {root} }} from "./timeoutConfig.js";',
        "",
        'export type LintSeverity = "error" | "warning";',
        "",
        *_doc(["One rule that does not hold: `error` findings make the loader refuse the config."]),
        "export interface LintFinding {",
        "  readonly rule: string;",
        "  readonly severity: LintSeverity;",
        "  readonly pointer: string;",
        "  readonly message: string;",
        "}",
        "",
        *_doc(_paragraphs(lint.WorstCaseCallMs.__doc__ or "")),
        *_worst_case_function(root, fields),
        "",
        *_doc(["Every rule of tools/configlint/rules.py over schema-valid settings, in rule order."]),
        f"export function lintConfig({SETTINGS}: {root}): LintFinding[] {{",
        "  const findings: LintFinding[] = [];",
    ]
    if uses_worst_case:
        lines.append(f"  const {WORST_CASE} = worstCaseCallMs({SETTINGS});")
    for rule in lint.RULES:
        lines += _rule(rule, fields)
    lines += ["  return findings;", "}"]
    return _file(lines)


def _worst_case_function(root: str, fields: dict[str, Field]) -> list[str]:
    def ref(r: lint.Ref) -> str:
        return _accessor(r.pointer, fields)

    return [
        f"export function worstCaseCallMs({SETTINGS}: {root}): number {{",
        f"  const attempts = {ref(lint.ATTEMPTS)};",
        f"  let total = attempts * {ref(lint.TIMEOUT)};",
        f"  let backoff = {ref(lint.BASE)};",
        "  for (let retry = 1; retry < attempts; retry += 1) {",
        "    if (retry > 1) {",
        f"      backoff = Math.min({ref(lint.MAX_DELAY)}, Math.floor(backoff * {ref(lint.MULTIPLIER)}));",
        "    }",
        f"    total += backoff + {ref(lint.JITTER)};",
        "  }",
        "  return total;",
        "}",
    ]


def _rule(rule: lint.Rule, fields: dict[str, Field]) -> list[str]:
    if rule.severity not in ("error", "warning"):
        raise ValueError(f"rule {rule.id}: unknown severity {rule.severity!r}")
    _accessor(rule.pointer, fields)  # the finding must point at a real field
    return [
        "",
        f"  // {rule.id}",
        f"  if (!({_predicate(rule.holds, fields)})) {{",
        "    findings.push({",
        f"      rule: {json.dumps(rule.id)},",
        f"      severity: {json.dumps(rule.severity)},",
        f"      pointer: {json.dumps(rule.pointer)},",
        f"      message: {_template(rule, fields)},",
        "    });",
        "  }",
    ]


def _predicate(predicate: lint.Predicate, fields: dict[str, Field]) -> str:
    if isinstance(predicate, lint.AnyOf):
        if not predicate.options:
            raise ValueError("AnyOf without options never holds")
        return " || ".join(_comparison(option, fields) for option in predicate.options)
    return _comparison(predicate, fields)


def _comparison(cmp: lint.Cmp, fields: dict[str, Field]) -> str:
    return f"{_expr(cmp.lhs, fields)} {_TS_OPS[cmp.op]} {_expr(cmp.rhs, fields)}"


def _expr(expr: lint.Expr, fields: dict[str, Field]) -> str:
    if isinstance(expr, lint.Ref):
        return _accessor(expr.pointer, fields)
    if isinstance(expr, lint.WorstCaseCallMs):
        return WORST_CASE
    if isinstance(expr.value, bool):
        return "true" if expr.value else "false"
    return _number(expr.value)


def _uses_worst_case(rule: lint.Rule) -> bool:
    options = rule.holds.options if isinstance(rule.holds, lint.AnyOf) else (rule.holds,)
    in_predicate = any(isinstance(e, lint.WorstCaseCallMs) for cmp in options for e in (cmp.lhs, cmp.rhs))
    return in_predicate or "{worst_case_call_ms}" in rule.message


def _template(rule: lint.Rule, fields: dict[str, Field]) -> str:
    """The message as a template literal: `{/pointer}` → the value there, `{worst_case_call_ms}` → the sum."""
    out: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(rule.message):
        out.append(_template_text(rule.message[position : match.start()]))
        name = match.group(1)
        if name == "worst_case_call_ms":
            out.append(f"${{{WORST_CASE}}}")
        elif name.startswith("/"):
            out.append(f"${{{_accessor(name, fields)}}}")
        else:
            raise ValueError(f"rule {rule.id}: unknown placeholder {{{name}}}")
        position = match.end()
    out.append(_template_text(rule.message[position:]))
    return "`" + "".join(out) + "`"


def _template_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")


def _fields_by_pointer(schema: Schema) -> dict[str, Field]:
    return {
        f"{object_type.pointer}/{_escape(field.json_name)}": field
        for object_type in schema.types
        for field in object_type.fields
    }


def _accessor(pointer: str, fields: dict[str, Field]) -> str:
    """`/payment/timeout_ms` → `settings.payment.timeout_ms`; the pointer must name a required field."""
    path = ""
    expression = SETTINGS
    for segment in pointer.split("/")[1:]:
        path += f"/{segment}"
        field = fields.get(path)
        if field is None:
            raise ValueError(f"pointer {pointer} names no schema field ({path} is unknown)")
        if not field.required:
            raise ValueError(f"pointer {pointer} goes through optional field {path}")
        name = _unescape(segment)
        expression += f".{name}" if _IDENTIFIER.match(name) else f"[{json.dumps(name)}]"
    if not path:
        raise ValueError(f"pointer {pointer!r} names no field")
    return expression


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


# --- timeoutSchema.ts and index.ts ------------------------------------------


def _timeout_schema(schema: Schema) -> str:
    lines = _header(schema)
    lines += [
        "",
        *_doc(["SHA-256 of the text of config/timeout.schema.json this copy was generated from."]),
        f'export const SCHEMA_SHA256 = "{schema.sha256}";',
        "",
        *_doc(["config/timeout.schema.json, embedded so a deployed service validates without the repo."]),
        f"export const timeoutSchema = {json.dumps(schema.document, indent=2, ensure_ascii=False)} as const;",
    ]
    return _file(lines)


def _index(schema: Schema) -> str:
    type_names = ", ".join(object_type.name for object_type in schema.types)
    lines = _header(schema)
    lines += [
        "",
        f'export type {{ {type_names} }} from "./timeoutConfig.js";',
        'export type { LintFinding, LintSeverity } from "./configLint.js";',
        'export { lintConfig, worstCaseCallMs } from "./configLint.js";',
        'export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";',
    ]
    return _file(lines)
