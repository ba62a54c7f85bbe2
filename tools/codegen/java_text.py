"""What the Java emitters share: the package, identifiers, string literals and doc comments."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from tools.codegen.model import Field, Schema, header_lines

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


def header(schema: Schema) -> list[str]:
    lines = [*header_lines(), f"schema-sha256: {schema.sha256}"]
    return [f"// {line}" for line in lines]


def file(schema: Schema, imports: Iterable[str], body: list[str]) -> str:
    lines = [*header(schema), f"package {PACKAGE};", ""]
    imported = sorted(set(imports))
    if imported:
        lines += [f"import {name};" for name in imported] + [""]
    return "\n".join(lines + body).rstrip("\n") + "\n"


def identifier(field: Field) -> str:
    name = field.camel
    return name + "_" if name in JAVA_RESERVED else name


def java_type(field: Field) -> str:
    if field.kind == "object":
        assert field.ref is not None
        return field.ref
    return (REQUIRED_TYPES if field.required else OPTIONAL_TYPES)[field.kind]


def string_literal(text: str) -> str:
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


def javadoc_text(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("*/", "*&#47;").replace("@", "&#64;")


def javadoc(indent: str, paragraphs: list[str]) -> list[str]:
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
