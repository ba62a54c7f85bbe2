"""configLint.ts: every rule of tools/configlint/rules.py rendered to plain TypeScript.

No rule interpreter at run time: a rule reads the same in the generated file as in a
hand-written one, and tsc type-checks each comparison.
"""

from __future__ import annotations

import json

from tools.codegen import lint_text
from tools.codegen.model import Field, Schema
from tools.codegen.ts_text import IDENTIFIER, doc, file, header, number, paragraphs
from tools.configlint import rules as lint

SETTINGS = "settings"
WORST_CASE = "worstCase"
_TS_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "===", "!=": "!=="}


def config_lint(schema: Schema) -> str:
    fields = _fields_by_pointer(schema)
    lint_text.check_values(lint.RULES)
    uses_worst_case = any(lint_text.uses_worst_case(rule) for rule in lint.RULES)
    root = schema.root.name
    lines = header(schema, "lint rules: tools/configlint/rules.py")
    lines += [
        "",
        f'import type {{ {root} }} from "./timeoutConfig.js";',
        "",
        'export type LintSeverity = "error" | "warning";',
        "",
        *doc(["One rule that does not hold: `error` findings make the loader refuse the config."]),
        "export interface LintFinding {",
        "  readonly rule: string;",
        "  readonly severity: LintSeverity;",
        "  readonly pointer: string;",
        "  readonly message: string;",
        "}",
        "",
        *doc(paragraphs(lint.WorstCaseCallMs.__doc__ or "")),
        *_worst_case_function(root, fields),
        "",
        *doc(["Every rule of tools/configlint/rules.py over schema-valid settings, in rule order."]),
        f"export function lintConfig({SETTINGS}: {root}): LintFinding[] {{",
        "  const findings: LintFinding[] = [];",
    ]
    if uses_worst_case:
        lines.append(f"  const {WORST_CASE} = worstCaseCallMs({SETTINGS});")
    for rule in lint.RULES:
        lines += _rule(rule, fields)
    lines += ["  return findings;", "}"]
    return file(lines)


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
    values = [
        f"  const {lint_text.camel(name)} = {lint_text.render(expr, lambda leaf: _leaf(leaf, fields))};"
        for name, expr in rule.values
    ]
    return [
        "",
        f"  // {rule.id}",
        *values,
        f"  if (!({_predicate(rule, fields)})) {{",
        "    findings.push({",
        f"      rule: {json.dumps(rule.id)},",
        f"      severity: {json.dumps(rule.severity)},",
        f"      pointer: {json.dumps(rule.pointer)},",
        f"      message: {_template(rule, fields)},",
        "    });",
        "  }",
    ]


def _predicate(rule: lint.Rule, fields: dict[str, Field]) -> str:
    if isinstance(rule.holds, lint.AnyOf) and not rule.holds.options:
        raise ValueError("AnyOf without options never holds")
    return " || ".join(_comparison(rule, option, fields) for option in lint_text.comparisons(rule))


def _comparison(rule: lint.Rule, cmp: lint.Cmp, fields: dict[str, Field]) -> str:
    return f"{_expr(rule, cmp.lhs, fields)} {_TS_OPS[cmp.op]} {_expr(rule, cmp.rhs, fields)}"


def _expr(rule: lint.Rule, expr: lint.Expr, fields: dict[str, Field]) -> str:
    name = lint_text.value_name(rule, expr)
    if name is not None:
        return lint_text.camel(name)
    return lint_text.render(expr, lambda leaf: _leaf(leaf, fields))


def _leaf(leaf: lint_text.Leaf, fields: dict[str, Field]) -> str:
    if isinstance(leaf, lint.Ref):
        return _accessor(leaf.pointer, fields)
    if isinstance(leaf, lint.WorstCaseCallMs):
        return WORST_CASE
    if isinstance(leaf.value, bool):
        return "true" if leaf.value else "false"
    return number(leaf.value)


def _template(rule: lint.Rule, fields: dict[str, Field]) -> str:
    """The message as a template literal: `{/pointer}` → the value there, `{name}` → the named value."""
    out: list[str] = []
    for part in lint_text.message_parts(rule):
        if part.kind == "text":
            out.append(_template_text(part.text))
        elif part.kind == "worst_case":
            out.append(f"${{{WORST_CASE}}}")
        elif part.kind == "value":
            out.append(f"${{{lint_text.camel(part.text)}}}")
        else:
            out.append(f"${{{_accessor(part.text, fields)}}}")
    return "`" + "".join(out) + "`"


def _template_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")


def _fields_by_pointer(schema: Schema) -> dict[str, Field]:
    return dict(schema.settings())


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
        expression += f".{name}" if IDENTIFIER.match(name) else f"[{json.dumps(name)}]"
    if not path:
        raise ValueError(f"pointer {pointer!r} names no field")
    return expression


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")
