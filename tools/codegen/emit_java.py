"""The Java binding: records, the embedded schema and the lint, in com.checkout.config.generated.

The records are bound by Jackson (`@JsonProperty` carries the JSON name), the schema
copy is validated by networknt, and the lint is RULES rendered to plain Java
expressions over the records, so the loader never interprets rules at run time.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from tools.codegen.model import Field, ObjectType, Schema, header_lines
from tools.configlint.rules import (
    ATTEMPTS,
    BASE,
    JITTER,
    MAX_DELAY,
    MULTIPLIER,
    RULES,
    TIMEOUT,
    AnyOf,
    Cmp,
    Const,
    Expr,
    Predicate,
    Ref,
    Rule,
    WorstCaseCallMs,
)

PACKAGE = "com.checkout.config.generated"
OUT_DIR = "java/core/src/main/java/" + PACKAGE.replace(".", "/")
INDENT = "    "
WRAP = 96

# Java keywords and literals a JSON name could collide with; such a name gets a trailing "_".
# fmt: off
JAVA_RESERVED = frozenset({
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
    "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
    "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
    "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
    "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
    "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits",
    "_",
})
# fmt: on

REQUIRED_TYPES = {
    "integer": "long",
    "number": "double",
    "boolean": "boolean",
    "string": "String",
}
# A field the schema lets go missing binds to null, so it needs the boxed type.
OPTIONAL_TYPES = {
    "integer": "Long",
    "number": "Double",
    "boolean": "Boolean",
    "string": "String",
}

PLACEHOLDER = re.compile(r"\{(/[^}]*|worst_case_call_ms)\}")


def emit(schema: Schema) -> dict[str, str]:
    return {
        f"{OUT_DIR}/TimeoutConfig.java": _config_file(schema),
        f"{OUT_DIR}/TimeoutSchema.java": _schema_file(schema),
        f"{OUT_DIR}/ConfigLint.java": _lint_file(schema),
    }


# ---- shared helpers ---------------------------------------------------------------------


def _header(schema: Schema) -> list[str]:
    lines = [*header_lines(), f"schema-sha256: {schema.sha256}"]
    return [f"// {line}" for line in lines]


def _file(schema: Schema, imports: Iterable[str], body: list[str]) -> str:
    lines = [*_header(schema), f"package {PACKAGE};", ""]
    imported = sorted(set(imports))
    if imported:
        lines += [f"import {name};" for name in imported] + [""]
    return "\n".join(lines + body).rstrip("\n") + "\n"


def _identifier(field: Field) -> str:
    name = field.camel
    return name + "_" if name in JAVA_RESERVED else name


def _java_type(field: Field) -> str:
    if field.kind == "object":
        assert field.ref is not None
        return field.ref
    return (REQUIRED_TYPES if field.required else OPTIONAL_TYPES)[field.kind]


def _string_literal(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'


def _javadoc_text(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("*/", "*&#47;").replace("@", "&#64;")


def _javadoc(indent: str, paragraphs: list[str]) -> list[str]:
    """A doc comment: prose paragraphs apart, then the block tags together, each wrapped."""
    lines = [f"{indent}/**"]
    width = WRAP - len(indent) - 3
    previous_was_tag = False
    for number, paragraph in enumerate(paragraphs):
        is_tag = paragraph.startswith("@")
        if number and not (is_tag and previous_was_tag):
            lines.append(f"{indent} *")
        follow = " " * 4 if is_tag else ""
        wrapped = textwrap.wrap(paragraph, width, subsequent_indent=follow, break_on_hyphens=False)
        lines += [f"{indent} * {line}" for line in wrapped]
        previous_was_tag = is_tag
    lines.append(f"{indent} */")
    return lines


# ---- TimeoutConfig.java: one record per schema object -----------------------------------


def _config_file(schema: Schema) -> str:
    root = schema.root
    body = _record(schema, root, "", _ignored_properties(schema))
    nested: list[str] = []
    for kind in schema.types[1:]:
        nested += [""] + _record(schema, kind, INDENT, ())
    # The nested records go inside the root record's body, before its closing brace.
    body = body[:-1] + nested + body[-1:]
    imports = ["com.fasterxml.jackson.annotation.JsonProperty"]
    if _ignored_properties(schema):
        imports.append("com.fasterxml.jackson.annotation.JsonIgnoreProperties")
    return _file(schema, imports, body)


def _ignored_properties(schema: Schema) -> tuple[str, ...]:
    """Root properties the schema allows but no binding carries (the `$schema` editor hint)."""
    bound = {field.json_name for field in schema.root.fields}
    properties: dict[str, object] = schema.document["properties"]
    return tuple(name for name in properties if name not in bound)


def _record(schema: Schema, kind: ObjectType, indent: str, ignored: tuple[str, ...]) -> list[str]:
    params = [f"@param {_identifier(field)} {_javadoc_text(field.description)}" for field in kind.fields]
    lines = _javadoc(indent, [_javadoc_text(kind.description), *params])
    if ignored:
        names = ", ".join(_string_literal(name) for name in ignored)
        lines.append(f"{indent}@JsonIgnoreProperties({{{names}}})")
    lines.append(f"{indent}public record {kind.name}(")
    for number, field in enumerate(kind.fields):
        comma = "," if number < len(kind.fields) - 1 else ") {"
        annotation = f"@JsonProperty({_string_literal(field.json_name)})"
        lines.append(f"{indent}{INDENT * 2}{annotation} {_java_type(field)} {_identifier(field)}{comma}")
    lines.append(f"{indent}}}")
    return lines


# ---- TimeoutSchema.java: the schema text a deployed service validates against -----------


def _schema_file(schema: Schema) -> str:
    body = _javadoc(
        "",
        [
            (
                f"The schema of timeout.json ({schema.root.name}), embedded so a deployed "
                "service validates against exactly the schema its records were generated from."
            )
        ],
    )
    body += [
        "public final class TimeoutSchema {",
        f"{INDENT}/** Lowercase hex SHA-256 of {{@link #TEXT}}, as UTF-8. */",
        f'{INDENT}public static final String SCHEMA_SHA256 = "{schema.sha256}";',
        "",
        f"{INDENT}/** The text of config/timeout.schema.json, byte for byte. */",
        f"{INDENT}public static final String TEXT = {_text_block(schema.text, INDENT * 3)};",
        "",
        f"{INDENT}private TimeoutSchema() {{}}",
        "}",
    ]
    return _file(schema, [], body)


def _text_block(text: str, indent: str) -> str:
    """A Java text block equal to `text`, escaping what a text block would otherwise alter."""
    ends_with_newline = text.endswith("\n")
    lines = (text[:-1] if ends_with_newline else text).split("\n")
    out = ['"""']
    for number, line in enumerate(lines):
        escaped = line.replace("\\", "\\\\").replace('"""', '""\\"').replace("\t", "\\t")
        escaped = escaped.replace("\r", "\\r")
        # A text block strips trailing blanks; \s keeps the last one (and so those before it).
        if escaped.endswith(" "):
            escaped = escaped[:-1] + "\\s"
        last = number == len(lines) - 1
        continuation = "\\" if last and not ends_with_newline else ""
        out.append(f"{indent}{escaped}{continuation}" if escaped else "")
    out.append(f'{indent}"""')
    return "\n".join(out)


# ---- ConfigLint.java: RULES as plain Java --------------------------------------------------


def _lint_file(schema: Schema) -> str:
    body = _javadoc(
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
    body += _javadoc(
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
    if any(_uses_worst_case(rule) for rule in RULES):
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
    return _file(schema, imports, body)


def _uses_worst_case(rule: Rule) -> bool:
    comparisons = rule.holds.options if isinstance(rule.holds, AnyOf) else (rule.holds,)
    in_predicate = any(isinstance(side, WorstCaseCallMs) for cmp in comparisons for side in (cmp.lhs, cmp.rhs))
    return in_predicate or "{worst_case_call_ms}" in rule.message


def _rule(schema: Schema, rule: Rule) -> list[str]:
    pad = INDENT * 2
    severity = f"Severity.{rule.severity.upper()}"
    return [
        f"{pad}// {rule.id}",
        f"{pad}if (!({_predicate(schema, rule.holds)})) {{",
        f"{pad}{INDENT}findings.add(new LintFinding(",
        f"{pad}{INDENT * 3}{_string_literal(rule.id)},",
        f"{pad}{INDENT * 3}{severity},",
        f"{pad}{INDENT * 3}{_string_literal(rule.pointer)},",
        f"{pad}{INDENT * 3}{_message(schema, rule.message, pad + INDENT * 3)}));",
        f"{pad}}}",
    ]


def _predicate(schema: Schema, predicate: Predicate) -> str:
    if isinstance(predicate, Cmp):
        return _comparison(schema, predicate)
    options = [f"({_comparison(schema, option)})" for option in predicate.options]
    return f"\n{INDENT * 4}|| ".join(options)


def _comparison(schema: Schema, cmp: Cmp) -> str:
    return f"{_expr(schema, cmp.lhs)} {cmp.op} {_expr(schema, cmp.rhs)}"


def _expr(schema: Schema, expr: Expr) -> str:
    if isinstance(expr, Ref):
        return _accessor(schema, expr.pointer)
    if isinstance(expr, WorstCaseCallMs):
        return "worstCaseCallMs"
    return _constant(expr)


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
        chain += f".{_identifier(field)}()"
        if depth < len(names) - 1:
            if field.ref is None:
                raise ValueError(f"lint pointer {pointer} goes through the non-object {name}")
            kind = next(t for t in schema.types if t.name == field.ref)
    return chain


def _message(schema: Schema, message: str, indent: str) -> str:
    """The message as a Java string concatenation, its placeholders read from the settings."""
    parts: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(message):
        parts += _literal_chunks(message[position : match.start()])
        token = match.group(1)
        if token == "worst_case_call_ms":
            parts.append("worstCaseCallMs")
        else:
            parts.append(_accessor(schema, token))
        position = match.end()
    parts += _literal_chunks(message[position:])
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
    return [_string_literal(chunk) for chunk in chunks]


def _worst_case(schema: Schema) -> list[str]:
    def read(ref: Ref) -> str:
        return _accessor(schema, ref.pointer)

    pad = INDENT * 2
    lines = _javadoc(
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
