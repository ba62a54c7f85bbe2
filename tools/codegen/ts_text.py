"""What the TypeScript emitters share: the header, TSDoc blocks, identifiers and number literals."""

from __future__ import annotations

import inspect
import math
import re
import textwrap

from tools.codegen.model import Schema, header_lines

OUT_DIR = "node/packages/core/src/generated"
DOC_WIDTH = 96
IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def header(schema: Schema, *extra: str) -> list[str]:
    lines = [*header_lines(), f"schema-sha256: {schema.sha256}", *extra]
    return [f"// {line}" for line in lines]


def file(lines: list[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


def doc(paragraphs: list[str], indent: str = "") -> list[str]:
    """A TSDoc block; each paragraph wrapped, blank lines between them."""
    body: list[str] = []
    for paragraph in paragraphs:
        if body:
            body.append("")
        body.extend(textwrap.wrap(paragraph.replace("*/", "*\\/"), DOC_WIDTH) or [""])
    return [f"{indent}/**", *(f"{indent} *{' ' + line if line else ''}" for line in body), f"{indent} */"]


def paragraphs(docstring: str) -> list[str]:
    return [" ".join(block.split()) for block in inspect.cleandoc(docstring).split("\n\n")]


def number(value: float) -> str:
    if isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"not a finite JSON number: {value!r}")
    if isinstance(value, int):
        return str(value)
    return str(int(value)) if value.is_integer() else repr(value)
