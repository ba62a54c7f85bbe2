"""The error taxonomy and the call-site roles of config/taxonomy.json (SEMANTICS.md §6, §7) in every language.

The document is validated against config/taxonomy.schema.json first, and every role may retry only
classes the table names (codegen refuses anything else). It becomes: `checkout_payments.generated.taxonomy`
(the `Outcome`, `ErrorClass` and `Role` enums, `TAXONOMY` and `RETRIED`), `generated/taxonomy.ts` (the
unions, `ERROR_CLASSES`, `RETRIED_BY`, `isErrorClass`), `com.checkout.config.generated.Taxonomy` (rows the
kernel's enums read their traits from) and the two tables of config/SEMANTICS.md, between their markers.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from tools.codegen.model import REPO, Schema, data_header_lines

TAXONOMY_PATH = REPO / "config" / "taxonomy.json"
TAXONOMY_SCHEMA_PATH = REPO / "config" / "taxonomy.schema.json"
SEMANTICS_PATH = REPO / "config" / "SEMANTICS.md"
PYTHON_FILE = "python/src/checkout_payments/generated/taxonomy.py"
TS_FILE = "node/packages/core/src/generated/taxonomy.ts"
JAVA_FILE = "java/core/src/main/java/com/checkout/config/generated/Taxonomy.java"
SEMANTICS_FILE = "config/SEMANTICS.md"
BEGIN = "<!-- begin {name}: generated from config/taxonomy.json by tools/codegen, do not edit -->"
END = "<!-- end {name} -->"


def emit(_: Schema, path: Path = TAXONOMY_PATH, schema_path: Path = TAXONOMY_SCHEMA_PATH) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    table = load_taxonomy(text, json.loads(schema_path.read_text(encoding="utf-8")))
    header = data_header_lines("taxonomy", text)
    return {
        PYTHON_FILE: _python(header, table),
        TS_FILE: _typescript(header, table),
        JAVA_FILE: _java(header, table),
        SEMANTICS_FILE: _semantics(SEMANTICS_PATH.read_text(encoding="utf-8"), table),
    }


def load_taxonomy(text: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The validated document; an invalid one, a repeated name or a role retrying an unknown class fails codegen."""
    table: dict[str, Any] = json.loads(text)
    errors = sorted(Draft202012Validator(schema).iter_errors(table), key=lambda e: list(e.absolute_path))
    if errors:
        where = "".join(f"/{part}" for part in errors[0].absolute_path)
        raise ValueError(f"config/taxonomy.json{where}: {errors[0].message}")
    for section, key in (("outcomes", "outcome"), ("classes", "class"), ("roles", "role")):
        names = [row[key] for row in table[section]]
        if len(set(names)) != len(names):
            raise ValueError(f"config/taxonomy.json/{section}: a {key} is listed twice in {names}")
    classes = {row["class"] for row in table["classes"]}
    outcomes = {row["outcome"] for row in table["outcomes"]}
    for index, row in enumerate(table["classes"]):
        if row["breaker"] is not None and row["breaker"] not in outcomes:
            raise ValueError(f"config/taxonomy.json/classes/{index}/breaker: {row['breaker']!r} is no outcome")
    for index, role in enumerate(table["roles"]):
        unknown = [name for name in role["retried"] if name not in classes]
        if unknown:
            raise ValueError(f"config/taxonomy.json/roles/{index}/retried: {unknown} are not classes of the table")
    return table


def _plain(markdown: str) -> str:
    """A meaning without Markdown emphasis, for doc comments."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", markdown).replace("`", "")


def _wrap(text: str, width: int = 96) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False)


def _py_doc(text: str, indent: str) -> list[str]:
    body = _wrap(_plain(text).replace("\\", "\\\\").replace('"""', "'''"), 116 - len(indent))
    if len(body) == 1:
        return [f'{indent}"""{body[0]}"""']
    return [f'{indent}"""{body[0]}', *(f"{indent}{line}" for line in body[1:]), f'{indent}"""']


def _python(header: list[str], table: dict[str, Any]) -> str:
    out = [f"# {line}" for line in header]
    out += [
        '"""The error taxonomy (config/SEMANTICS.md §6) and the call-site roles (§7): the enums and their tables."""',
        "",
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "from enum import StrEnum",
        "from types import MappingProxyType",
        "",
        "",
        "class Outcome(StrEnum):",
        '    """What an attempt tells the circuit breaker and the retry budget."""',
    ]
    for row in table["outcomes"]:
        out += ["", f'    {row["outcome"].upper()} = "{row["outcome"]}"', *_py_doc(row["meaning"], "    ")]
    out += [
        "",
        "",
        "class ErrorClass(StrEnum):",
        '    """The one set of names used in errors, logs, HTTP bodies (`error.class`) and metric labels."""',
    ]
    for row in table["classes"]:
        out += ["", f'    {row["class"]} = "{row["class"]}"', *_py_doc(row["meaning"], "    ")]
    out += [
        "",
        "    @property",
        "    def breaker(self) -> Outcome | None:",
        '        """The outcome recorded for an attempt that ended this way; None where no breaker sees the class."""',
        "        return TAXONOMY[self].breaker",
        "",
        "    @property",
        "    def retryable(self) -> bool:",
        '        """Whether the class is worth another attempt at a layer that may retry it (§7 decides who may)."""',
        "        return TAXONOMY[self].retryable",
        "",
        "    @property",
        "    def http_status(self) -> int | None:",
        '        """The status a raised error of the class answers with in its common case; None if never HTTP."""',
        "        return TAXONOMY[self].http_status",
        "",
        "",
        "@dataclass(frozen=True)",
        "class ClassTraits:",
        '    """One row of the §6 table."""',
        "",
        "    breaker: Outcome | None",
        "    retryable: bool",
        "    http_status: int | None",
        "",
        "",
        "TAXONOMY: MappingProxyType[ErrorClass, ClassTraits] = MappingProxyType(",
        "    {",
    ]
    for row in table["classes"]:
        breaker = "None" if row["breaker"] is None else f"Outcome.{row['breaker'].upper()}"
        out.append(
            f"        ErrorClass.{row['class']}: ClassTraits({breaker}, {row['retryable']}, {row['http_status']}),"
        )
    out += [
        "    }",
        ")",
        "",
        "",
        "class Role(StrEnum):",
        '    """Where a call site sits (§7); it decides which classes the call site retries."""',
    ]
    for role in table["roles"]:
        out += ["", f'    {role["role"].upper()} = "{role["role"]}"', *_py_doc(role["meaning"], "    ")]
    out += [
        "",
        "",
        "# Exhaustive: a class not listed is never retried by a call site of the role, retryable or not.",
        "RETRIED: MappingProxyType[Role, frozenset[ErrorClass]] = MappingProxyType(",
        "    {",
    ]
    for role in table["roles"]:
        listed = ", ".join(f"ErrorClass.{name}" for name in role["retried"])
        out.append(f"        Role.{role['role'].upper()}: frozenset({{{listed}}}),")
    out += ["    }", ")"]
    return "\n".join(out) + "\n"


def _ts_doc(text: str, indent: str = "") -> list[str]:
    body = _wrap(_plain(text).replace("*/", "*\\/"))
    if len(body) == 1:
        return [f"{indent}/** {body[0]} */"]
    return [f"{indent}/**", *(f"{indent} * {line}" for line in body), f"{indent} */"]


def _typescript(header: list[str], table: dict[str, Any]) -> str:
    def union(names: list[str]) -> list[str]:
        return [f'  | "{name}"' for name in names]

    outcomes = [row["outcome"] for row in table["outcomes"]]
    roles = [row["role"] for row in table["roles"]]
    out = [f"// {line}" for line in header]
    out += [
        "// The error taxonomy (config/SEMANTICS.md §6) and the call-site roles (§7).",
        "",
        "/** The outcome a circuit breaker (and the retry budget) records for a finished attempt. */",
        "export type Outcome =",
        *union(outcomes),
        ";",
        "",
        f"export const OUTCOMES: readonly Outcome[] = Object.freeze([{', '.join(json.dumps(o) for o in outcomes)}]);",
        "",
        "/** One set of names for errors, logs, HTTP bodies (`error.class`) and metric labels (`error_class`). */",
        "export type ErrorClass =",
        *union([row["class"] for row in table["classes"]]),
        ";",
        "",
        "/** One row of the §6 table. */",
        "export interface ErrorClassInfo {",
        "  /** The outcome recorded for an attempt that ended this way; `null` where no breaker sees the class. */",
        '  readonly breaker: Exclude<Outcome, "success"> | null;',
        "  /** Worth another attempt with the same Idempotency-Key at a layer that may retry it (§7). */",
        "  readonly retryable: boolean;",
        "  /** The status a raised error of this class answers with in its common case; `null` if never HTTP. */",
        "  readonly httpStatus: number | null;",
        "}",
        "",
        "/** SEMANTICS.md §6, row by row. */",
        "export const ERROR_CLASSES: Readonly<Record<ErrorClass, ErrorClassInfo>> = Object.freeze({",
    ]
    for row in table["classes"]:
        breaker = json.dumps(row["breaker"])
        status = json.dumps(row["http_status"])
        retryable = json.dumps(row["retryable"])
        out += [
            *_ts_doc(row["meaning"], "  "),
            f"  {row['class']}: Object.freeze({{ breaker: {breaker}, retryable: {retryable}, httpStatus: {status} }}),",
        ]
    out += [
        "});",
        "",
        "export function isErrorClass(value: unknown): value is ErrorClass {",
        '  return typeof value === "string" && Object.hasOwn(ERROR_CLASSES, value);',
        "}",
        "",
        "/** Where a call site sits (§7); it decides which classes the call site retries. */",
        "export type Role =",
        *union(roles),
        ";",
        "",
        f"export const ROLES: readonly Role[] = Object.freeze([{', '.join(json.dumps(r) for r in roles)}]);",
        "",
        "/** The classes a call site of each role retries; exhaustive: any other class is never retried. */",
        "export const RETRIED_BY: Readonly<Record<Role, ReadonlySet<ErrorClass>>> = Object.freeze({",
    ]
    for role in table["roles"]:
        listed = ", ".join(json.dumps(name) for name in role["retried"])
        out += [*_ts_doc(role["meaning"], "  "), f"  {role['role']}: new Set<ErrorClass>([{listed}]),"]
    out.append("});")
    return "\n".join(out) + "\n"


def _java_doc(text: str, indent: str) -> list[str]:
    plain = _plain(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;")
    return [f"{indent}/**", *(f"{indent} * {line}" for line in _wrap(plain, 92)), f"{indent} */"]


def _java(header: list[str], table: dict[str, Any]) -> str:
    def strings(names: list[str]) -> str:
        return ", ".join(json.dumps(name) for name in names)

    outcomes = [row["outcome"] for row in table["outcomes"]]
    out = [f"// {line}" for line in header]
    out += [
        "package com.checkout.config.generated;",
        "",
        "import java.util.List;",
        "",
        "/**",
        " * The error taxonomy (SEMANTICS.md §6) and the call-site roles (§7) as rows; the kernel's",
        " * {@code ErrorClass}, {@code Role} and {@code Outcome} enums read their traits from here.",
        " */",
        "public final class Taxonomy {",
        "    private Taxonomy() {}",
        "",
        "    /**",
        "     * One row of the §6 table.",
        "     *",
        "     * @param errorClass the wire name",
        "     * @param breaker the outcome's wire name; null where no breaker sees the class",
        "     * @param retryable worth another attempt at a layer that may retry it (§7)",
        "     * @param httpStatus the status of a raised error in its common case; 0 when never HTTP",
        "     */",
        "    public record ClassRow(String errorClass, String breaker, boolean retryable, int httpStatus) {}",
        "",
        "    /**",
        "     * One role of §7.",
        "     *",
        "     * @param role the wire name",
        "     * @param retried the classes a call site of the role retries; exhaustive",
        "     */",
        "    public record RoleRow(String role, List<String> retried) {}",
        "",
        "    /** The outcomes' wire names, in order. */",
        f"    public static final List<String> OUTCOMES = List.of({strings(outcomes)});",
        "",
        "    /** The §6 table, row by row. */",
        "    public static final List<ClassRow> CLASSES = List.of(",
    ]
    rows = table["classes"]
    for index, row in enumerate(rows):
        breaker = "null" if row["breaker"] is None else json.dumps(row["breaker"])
        status = row["http_status"] or 0
        end = "," if index < len(rows) - 1 else ");"
        retryable = str(row["retryable"]).lower()
        out += [
            *_java_doc(row["meaning"], "            "),
            f"            new ClassRow({json.dumps(row['class'])}, {breaker}, {retryable}, {status}){end}",
        ]
    out += ["", "    /** The roles of §7. */", "    public static final List<RoleRow> ROLES = List.of("]
    roles = table["roles"]
    for index, role in enumerate(roles):
        end = "," if index < len(roles) - 1 else ");"
        out += [
            *_java_doc(role["meaning"], "            "),
            f"            new RoleRow({json.dumps(role['role'])}, List.of({strings(role['retried'])})){end}",
        ]
    out.append("}")
    return "\n".join(out) + "\n"


def _semantics(text: str, table: dict[str, Any]) -> str:
    classes = ["| class | meaning | breaker | retryable | HTTP when raised |", "|---|---|---|---|---|"]
    for row in table["classes"]:
        status = "—" if row["http_status"] is None else str(row["http_status"])
        retryable = "yes" if row["retryable"] else "no"
        classes.append(f"| `{row['class']}` | {row['meaning']} | {row['breaker'] or '—'} | {retryable} | {status} |")
    roles = ["| role | where it sits | retried classes |", "|---|---|---|"]
    for role in table["roles"]:
        retried = ", ".join(f"`{name}`" for name in role["retried"]) or "none"
        roles.append(f"| `{role['role']}` | {role['meaning']} | {retried} |")
    return _between(_between(text, "taxonomy-table", classes), "roles-table", roles)


def _between(text: str, name: str, lines: list[str]) -> str:
    begin, end = BEGIN.format(name=name), END.format(name=name)
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(f"{SEMANTICS_FILE}: expected one {begin!r} … {end!r} block")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return "".join([head, begin, "\n", "\n".join(lines), "\n", end, tail])
