"""ConfigLint.java: the rules of tools/configlint/rules.py as plain Java expressions over the records."""

from __future__ import annotations

from tools.codegen import lint_text
from tools.codegen.java_text import INDENT, file, identifier, javadoc, string_literal
from tools.codegen.model import Schema
from tools.configlint.rules import (
    ATTEMPTS,
    BASE,
    JITTER,
    MAX_DELAY,
    MULTIPLIER,
    RULES,
    TIMEOUT,
    Cmp,
    Const,
    Expr,
    Ref,
    Rule,
)


def lint_file(schema: Schema) -> str:
    body = javadoc(
        "",
        [
            (
                "The semantic lint of tools/configlint/rules.py over schema-valid settings: "
                "a rule holds when its predicate is true, otherwise it yields a finding."
            ),
        ],
    )
    body += [
        "public final class ConfigLint {",
        f"{INDENT}private ConfigLint() {{}}",
        "",
    ]
    body += javadoc(
        INDENT,
        [
            "Every finding of the rules, in the order the rules are written.",
            "@param settings schema-valid settings",
            "@return the findings; empty when every rule holds",
        ],
    )
    body += [
        f"{INDENT}public static List<LintFinding> lint(TimeoutConfig settings) {{",
        f"{INDENT * 2}List<LintFinding> findings = new ArrayList<>();",
    ]
    lint_text.check_values(RULES)
    if any(lint_text.uses_worst_case(rule) for rule in RULES):
        body.append(f"{INDENT * 2}long worstCaseCallMs = worstCaseCallMs(settings);")
    for rule in RULES:
        body += _rule(schema, rule)
    body += [f"{INDENT * 2}return List.copyOf(findings);", f"{INDENT}}}", ""]
    body += _worst_case(schema)
    body.append("}")
    imports = [
        "com.checkout.config.LintFinding",
        "com.checkout.config.Severity",
        "java.util.ArrayList",
        "java.util.List",
    ]
    return file(schema, imports, body)


def _rule(schema: Schema, rule: Rule) -> list[str]:
    pad = INDENT * 2
    severity = f"Severity.{rule.severity.upper()}"
    values = []
    for name, expr in rule.values:
        # One term a line: `long fleetConnections = a * b` / `+ c * d` / `+ e;`.
        terms = f"\n{pad}{INDENT * 2}+ ".join(lint_text.sum_terms(expr, lambda leaf: _leaf(schema, leaf)))
        values.append(f"{pad}{_value_type(schema, expr)} {lint_text.camel(name)} = {terms};")
    return [
        f"{pad}// {rule.id}",
        *values,
        f"{pad}if (!({_predicate(schema, rule)})) {{",
        f"{pad}{INDENT}findings.add(new LintFinding(",
        f"{pad}{INDENT * 3}{string_literal(rule.id)},",
        f"{pad}{INDENT * 3}{severity},",
        f"{pad}{INDENT * 3}{string_literal(rule.pointer)},",
        f"{pad}{INDENT * 3}{_message(schema, rule, pad + INDENT * 3)}));",
        f"{pad}}}",
    ]


def _value_type(schema: Schema, expr: Expr) -> str:
    """`long` when every leaf is an integer, else `double` (Java widens the arithmetic the same way)."""
    fields = dict(schema.settings())
    for leaf in lint_text.leaves(expr):
        if isinstance(leaf, Ref) and fields[leaf.pointer].kind == "number":
            return "double"
        if isinstance(leaf, Const) and isinstance(leaf.value, float):
            return "double"
    return "long"


def _predicate(schema: Schema, rule: Rule) -> str:
    if isinstance(rule.holds, Cmp):
        return _comparison(schema, rule, rule.holds)
    options = [f"({_comparison(schema, rule, option)})" for option in rule.holds.options]
    return f"\n{INDENT * 4}|| ".join(options)


def _comparison(schema: Schema, rule: Rule, cmp: Cmp) -> str:
    return f"{_expr(schema, rule, cmp.lhs)} {cmp.op} {_expr(schema, rule, cmp.rhs)}"


def _expr(schema: Schema, rule: Rule, expr: Expr) -> str:
    name = lint_text.value_name(rule, expr)
    if name is not None:
        return lint_text.camel(name)
    return lint_text.render(expr, lambda leaf: _leaf(schema, leaf))


def _leaf(schema: Schema, leaf: lint_text.Leaf) -> str:
    if isinstance(leaf, Ref):
        return _accessor(schema, leaf.pointer)
    if isinstance(leaf, Const):
        return _constant(leaf)
    return "worstCaseCallMs"


def _constant(const: Const) -> str:
    value = const.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L"
    return repr(value)


def _accessor(schema: Schema, pointer: str, root: str = "settings") -> str:
    """The Java accessor chain reading `pointer` from the root record; unknown pointers fail codegen."""
    kind = schema.root
    chain = root
    names = pointer.split("/")[1:]
    for depth, name in enumerate(names):
        field = next((f for f in kind.fields if f.json_name == name), None)
        if field is None:
            raise ValueError(f"lint pointer {pointer} names no field of {kind.name}")
        chain += f".{identifier(field)}()"
        if depth < len(names) - 1:
            if field.ref is None:
                raise ValueError(f"lint pointer {pointer} goes through the non-object {name}")
            kind = next(t for t in schema.types if t.name == field.ref)
    return chain


def _message(schema: Schema, rule: Rule, indent: str) -> str:
    """The message as a Java string concatenation, its placeholders read from the settings."""
    parts: list[str] = []
    for part in lint_text.message_parts(rule):
        if part.kind == "text":
            parts += _literal_chunks(part.text)
        elif part.kind == "worst_case":
            parts.append("worstCaseCallMs")
        elif part.kind == "value":
            parts.append(lint_text.camel(part.text))
        else:
            parts.append(_accessor(schema, part.text))
    if not parts or not parts[0].startswith('"'):
        parts.insert(0, '""')  # the concatenation must start from a String
    return f"\n{indent}+ ".join(parts)


def _literal_chunks(text: str, width: int = 72) -> list[str]:
    """`text` as string literals of at most about `width` characters, split after spaces."""
    chunks: list[str] = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width) + 1 or width
        chunks.append(text[:cut])
        text = text[cut:]
    if text:
        chunks.append(text)
    return [string_literal(chunk) for chunk in chunks]


def _worst_case(schema: Schema) -> list[str]:
    def read(ref: Ref) -> str:
        return _accessor(schema, ref.pointer)

    pad = INDENT * 2
    lines = javadoc(
        INDENT,
        [
            (
                "Longest time one payment call can take with every attempt timing out: "
                "max_attempts x timeout_ms plus, for each retry n, the backoff b_n at its cap "
                "and the jitter at its bound, where b_1 = base_delay_ms and "
                "b_n = min(max_delay_ms, floor(b_(n-1) x backoff_multiplier))."
            ),
            "@param settings schema-valid settings",
            "@return the worst case in milliseconds",
        ],
    )
    return lines + [
        f"{INDENT}public static long worstCaseCallMs(TimeoutConfig settings) {{",
        f"{pad}long attempts = {read(ATTEMPTS)};",
        f"{pad}long total = attempts * {read(TIMEOUT)};",
        f"{pad}long backoff = {read(BASE)};",
        f"{pad}for (long retry = 1; retry < attempts; retry++) {{",
        f"{pad}{INDENT}if (retry > 1) {{",
        f"{pad}{INDENT * 2}long grown = (long) Math.floor(backoff * {read(MULTIPLIER)});",
        f"{pad}{INDENT * 2}backoff = Math.min({read(MAX_DELAY)}, grown);",
        f"{pad}{INDENT}}}",
        f"{pad}{INDENT}total += backoff + {read(JITTER)};",
        f"{pad}}}",
        f"{pad}return total;",
        f"{INDENT}}}",
    ]
