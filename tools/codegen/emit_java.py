"""The Java binding: records, the embedded schema and the lint, in com.checkout.config.generated.

The records are bound by Jackson (`@JsonProperty` carries the JSON name), the schema
copy is validated by networknt, and the lint is RULES rendered to plain Java
expressions over the records (tools/codegen/java_lint.py), so the loader never
interprets rules at run time.
"""

from __future__ import annotations

from tools.codegen.java_lint import lint_file
from tools.codegen.java_text import (
    INDENT,
    OUT_DIR,
    PACKAGE,
    file,
    identifier,
    java_type,
    javadoc,
    javadoc_text,
    string_literal,
)
from tools.codegen.model import ObjectType, Schema

__all__ = ["OUT_DIR", "PACKAGE", "emit"]


def emit(schema: Schema) -> dict[str, str]:
    return {
        f"{OUT_DIR}/TimeoutConfig.java": _config_file(schema),
        f"{OUT_DIR}/TimeoutSchema.java": _schema_file(schema),
        f"{OUT_DIR}/ConfigLint.java": lint_file(schema),
    }


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
    return file(schema, imports, body)


def _ignored_properties(schema: Schema) -> tuple[str, ...]:
    """Root properties the schema allows but no binding carries (the `$schema` editor hint)."""
    bound = {field.json_name for field in schema.root.fields}
    properties: dict[str, object] = schema.document["properties"]
    return tuple(name for name in properties if name not in bound)


def _record(schema: Schema, kind: ObjectType, indent: str, ignored: tuple[str, ...]) -> list[str]:
    params = [f"@param {identifier(field)} {javadoc_text(field.description)}" for field in kind.fields]
    lines = javadoc(indent, [javadoc_text(kind.description), *params])
    if ignored:
        names = ", ".join(string_literal(name) for name in ignored)
        lines.append(f"{indent}@JsonIgnoreProperties({{{names}}})")
    lines.append(f"{indent}public record {kind.name}(")
    for number, field in enumerate(kind.fields):
        comma = "," if number < len(kind.fields) - 1 else ") {"
        annotation = f"@JsonProperty({string_literal(field.json_name)})"
        lines.append(f"{indent}{INDENT * 2}{annotation} {java_type(field)} {identifier(field)}{comma}")
    lines.append(f"{indent}}}")
    return lines


# ---- TimeoutSchema.java: the schema text a deployed service validates against -----------


def _schema_file(schema: Schema) -> str:
    body = javadoc(
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
    return file(schema, [], body)


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
