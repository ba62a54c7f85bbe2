"""The request limits of config/api-limits.json as constants in Python, TypeScript and Java.

The document is validated against config/api-limits.schema.json first (codegen refuses a table it
would not pass), then each member becomes one constant: snake_case in Python (module constants of
`checkout_payments.generated.api_limits`), camelCase keys of `API_LIMITS` in TypeScript, UPPER_SNAKE
static finals of `com.checkout.config.generated.ApiLimits` in Java. `currencies` is an immutable map
of ISO 4217 code → minor-unit digits in all three.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from tools.codegen.model import REPO, Schema, data_header_lines

LIMITS_PATH = REPO / "config" / "api-limits.json"
LIMITS_SCHEMA_PATH = REPO / "config" / "api-limits.schema.json"
PYTHON_FILE = "python/src/checkout_payments/generated/api_limits.py"
TS_FILE = "node/packages/core/src/generated/apiLimits.ts"
JAVA_FILE = "java/core/src/main/java/com/checkout/config/generated/ApiLimits.java"
CURRENCIES = "currencies"
_CODE = re.compile(r"[A-Z]{3}")
_INT_MAX = 2**31 - 1


def emit(_: Schema, path: Path = LIMITS_PATH, schema_path: Path = LIMITS_SCHEMA_PATH) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    limits, descriptions = load_limits(text, json.loads(schema_path.read_text(encoding="utf-8")))
    header = data_header_lines("api-limits", text)
    return {
        PYTHON_FILE: _python(header, limits, descriptions),
        TS_FILE: _typescript(header, limits, descriptions),
        JAVA_FILE: _java(header, limits, descriptions),
    }


def load_limits(text: str, schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The limits without `$schema`, and each one's description; an invalid document fails codegen."""
    document = json.loads(text)
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        where = "".join(f"/{part}" for part in errors[0].absolute_path)
        raise ValueError(f"config/api-limits.json{where}: {errors[0].message}")
    limits = {name: value for name, value in document.items() if name != "$schema"}
    bad = [code for code in limits[CURRENCIES] if not _CODE.fullmatch(code)]
    if bad:
        raise ValueError(f"config/api-limits.json/currencies/{bad[0]}: expected a code of three letters A-Z")
    descriptions = {name: str(schema["properties"][name]["description"]) for name in limits}
    return limits, descriptions


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False)


def _python(header: list[str], limits: dict[str, Any], descriptions: dict[str, str]) -> str:
    out = [f"# {line}" for line in header]
    out += [
        '"""The request limits of config/api-limits.json: module constants, the same in every language."""',
        "",
        "from collections.abc import Mapping",
        "from types import MappingProxyType",
        "from typing import Final",
    ]
    for name, value in limits.items():
        out += ["", *(f"# {line}" for line in _wrap(descriptions[name], 116))]
        if name == CURRENCIES:
            entries = [f'        "{code}": {digits},' for code, digits in value.items()]
            out += [f"{name}: Final[Mapping[str, int]] = MappingProxyType(", "    {", *entries, "    }", ")"]
        else:
            out.append(f"{name}: Final = {value}")
    return "\n".join(out) + "\n"


def _typescript(header: list[str], limits: dict[str, Any], descriptions: dict[str, str]) -> str:
    def doc(text: str, indent: str) -> list[str]:
        return [f"{indent}/**", *(f"{indent} * {line}" for line in _wrap(text, 96)), f"{indent} */"]

    out = [f"// {line}" for line in header]
    out += ["", *doc("The request limits of config/api-limits.json, the same in every language.", "")]
    out.append("export interface ApiLimits {")
    for name in limits:
        kind = "Readonly<Record<string, number>>" if name == CURRENCIES else "number"
        out += [*doc(descriptions[name], "  "), f"  readonly {_camel(name)}: {kind};"]
    out += ["}", "", *doc("config/api-limits.json as one frozen object.", "")]
    out.append("export const API_LIMITS: ApiLimits = Object.freeze({")
    for name, value in limits.items():
        if name == CURRENCIES:
            entries = [f"    {code}: {digits}," for code, digits in value.items()]
            out += [f"  {_camel(name)}: Object.freeze({{", *entries, "  }),"]
        else:
            out.append(f"  {_camel(name)}: {value},")
    out.append("});")
    return "\n".join(out) + "\n"


def _java(header: list[str], limits: dict[str, Any], descriptions: dict[str, str]) -> str:
    def doc(text: str) -> list[str]:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
        return ["    /**", *(f"     * {line}" for line in _wrap(escaped.replace("*/", "*&#47;"), 90)), "     */"]

    out = [f"// {line}" for line in header]
    out += ["package com.checkout.config.generated;", "", "import java.util.Map;", ""]
    out += ["/** The request limits of config/api-limits.json, the same in every language. */"]
    out += ["public final class ApiLimits {"]
    for name, value in limits.items():
        out += doc(descriptions[name])
        if name == CURRENCIES:
            entries = [f'            Map.entry("{code}", {digits})' for code, digits in value.items()]
            out += ["    public static final Map<String, Integer> CURRENCIES = Map.ofEntries("]
            out.append(",\n".join(entries) + ");")
        elif value > _INT_MAX:
            out.append(f"    public static final long {name.upper()} = {value}L;")
        else:
            out.append(f"    public static final int {name.upper()} = {value};")
        out.append("")
    out += ["    private ApiLimits() {}", "}"]
    return "\n".join(out) + "\n"
