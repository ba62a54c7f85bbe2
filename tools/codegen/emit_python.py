"""The Python binding: frozen pydantic models, the generated lint and the embedded schema copy."""

from __future__ import annotations

import json
import keyword
from collections.abc import Iterator

from tools.codegen import lint_text
from tools.codegen.model import Field, ObjectType, Schema, header_lines
from tools.configlint.rules import RULES, Cmp, Const, Expr, Ref, Rule

PACKAGE_DIR = "python/src/checkout_payments/generated"
LINE = 120
PY_TYPES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}


def emit(schema: Schema) -> dict[str, str]:
    return {
        f"{PACKAGE_DIR}/__init__.py": _init(schema),
        f"{PACKAGE_DIR}/timeout_config.py": _models(schema),
        f"{PACKAGE_DIR}/config_lint.py": _lint(schema),
        f"{PACKAGE_DIR}/timeout_schema.py": _schema_copy(schema),
    }


def py_name(field: Field) -> str:
    """The attribute name: the JSON name, with `_` appended to a Python keyword (`lambda` → `lambda_`)."""
    return field.snake + "_" if keyword.iskeyword(field.snake) else field.snake


def _header(schema: Schema, *extra: str) -> str:
    lines = [*header_lines(), f"schema-sha256: {schema.sha256}", *extra]
    return "".join(f"# {line}\n" for line in lines)


def _str(text: str) -> str:
    # JSON string syntax is valid Python string syntax and always double-quoted, as ruff formats it.
    return json.dumps(text, ensure_ascii=False)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _pieces(text: str, width: int) -> list[str]:
    """Greedy split at spaces into pieces of at most `width` characters; each space stays at a piece's end."""
    pieces = [""]
    for word in text.split(" "):
        if pieces[-1] and len(pieces[-1]) + len(word) > width:
            pieces.append("")
        pieces[-1] += word + " "
    pieces[-1] = pieces[-1][:-1]
    return pieces


def _docstring(text: str, indent: str) -> str:
    lines = _pieces(text.replace('"""', '\\"\\"\\"'), LINE - len(indent) - 6)
    if len(lines) == 1:
        return f'{indent}"""{lines[0]}"""\n'
    body = "".join(f"{indent}{line.rstrip()}\n" for line in lines[1:])
    return f'{indent}"""{lines[0].rstrip()}\n{body}{indent}"""\n'


# --- timeout_config.py -----------------------------------------------------------------------------


def _children_first(schema: Schema) -> Iterator[ObjectType]:
    # pydantic resolves a field's model type when the class is created, so nested models come first.
    # A type used by several fields (a `$ref`) is defined once, before its first user.
    by_name = {t.name: t for t in schema.types}
    done: set[str] = set()

    def visit(object_type: ObjectType) -> Iterator[ObjectType]:
        for field in object_type.fields:
            if field.ref is not None and field.ref not in done:
                yield from visit(by_name[field.ref])
        done.add(object_type.name)
        yield object_type

    yield from visit(schema.root)


def _models(schema: Schema) -> str:
    out = [
        _header(schema),
        '"""The typed, immutable settings of config/timeout.json: one frozen model per schema object.\n\n'
        "Load them with `checkout_payments.config.load_config`, which validates the document against the\n"
        "schema first; the bounds below repeat the schema's so a model built by hand is held to them too.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "from pydantic import BaseModel, ConfigDict, Field\n\n\n"
        "class _Settings(BaseModel):\n"
        "    # python-re: the schema's patterns use look-ahead, which pydantic's default Rust engine lacks.\n"
        '    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, regex_engine="python-re")\n',
    ]
    out.extend("\n\n" + _model(object_type) for object_type in _children_first(schema))
    return "".join(out)


def _model(object_type: ObjectType) -> str:
    fields = "".join(_model_field(field) for field in object_type.fields)
    return f"class {object_type.name}(_Settings):\n{_docstring(object_type.description, '    ')}\n{fields}"


def _model_field(field: Field) -> str:
    name = py_name(field)
    annotation = field.ref if field.ref is not None else PY_TYPES[field.kind]
    args: list[str] = []
    if not field.required:
        annotation += " | None"
        args.append("default=None")
    if name != field.json_name:
        args.append(f"alias={_str(field.json_name)}")
    for keyword_arg, bound in (("gt", field.exclusive_minimum), ("ge", field.minimum), ("le", field.maximum)):
        if bound is not None:
            args.append(f"{keyword_arg}={_number(bound)}")
    for keyword_arg, length in (("min_length", field.min_length), ("max_length", field.max_length)):
        if length is not None:
            args.append(f"{keyword_arg}={length}")
    if field.pattern is not None:
        args.append(f"pattern={_str(field.pattern)}")
    head = f"    {name}: {annotation} = Field("
    one_line = f"{head}{', '.join([*args, f'description={_str(field.description)}'])})\n"
    if len(one_line) <= LINE + 1:
        return one_line
    description = f"        description={_str(field.description)},\n"
    if len(description) > LINE + 1:
        pieces = "".join(f"            {_str(piece)}\n" for piece in _pieces(field.description, LINE - 14))
        description = f"        description=(\n{pieces}        ),\n"
    arguments = "".join(f"        {arg},\n" for arg in args)
    return f"{head}\n{arguments}{description}    )\n"


# --- config_lint.py --------------------------------------------------------------------------------


def _attribute(schema: Schema, pointer: str) -> str:
    """`/lambda/safety_margin_ms` → `settings.lambda_.safety_margin_ms`; an unknown pointer fails codegen."""
    by_name = {t.name: t for t in schema.types}
    current: ObjectType | None = schema.root
    path = ["settings"]
    for segment in pointer.split("/")[1:]:
        if current is None:
            raise ValueError(f"lint pointer {pointer} goes below a scalar setting")
        field = next((f for f in current.fields if f.json_name == segment), None)
        if field is None:
            raise ValueError(f"lint pointer {pointer} names no setting of {current.name}")
        path.append(py_name(field))
        current = by_name[field.ref] if field.ref is not None else None
    if current is not None:
        raise ValueError(f"lint pointer {pointer!r} names an object, not a setting")
    return ".".join(path)


def _leaf(schema: Schema, leaf: lint_text.Leaf) -> str:
    if isinstance(leaf, Ref):
        return _attribute(schema, leaf.pointer)
    if isinstance(leaf, Const):
        return repr(leaf.value) if isinstance(leaf.value, bool) else _number(leaf.value)
    return "worst_case"


def _expr(schema: Schema, rule: Rule, expr: Expr) -> str:
    name = lint_text.value_name(rule, expr)
    return name if name is not None else lint_text.render(expr, lambda leaf: _leaf(schema, leaf))


def _cmp(schema: Schema, rule: Rule, cmp: Cmp) -> str:
    op: str = cmp.op
    if isinstance(cmp.rhs, Const) and isinstance(cmp.rhs.value, bool) and op in ("==", "!="):
        op = "is" if op == "==" else "is not"  # the Python spelling of a comparison with True/False
    return f"{_expr(schema, rule, cmp.lhs)} {op} {_expr(schema, rule, cmp.rhs)}"


def _message(schema: Schema, rule: Rule) -> list[str]:
    """The rule's sentence as f-string pieces: each placeholder becomes the value it names."""
    text = ""
    for part in lint_text.message_parts(rule):
        if part.kind == "text":
            text += part.text
        else:
            source = {"worst_case": "worst_case", "value": part.text}.get(part.kind) or _attribute(schema, part.text)
            text += "{_show(" + source + ")}"
    return ["f" + _str(piece) if "{" in piece else _str(piece) for piece in _pieces(text, 88)]


def _assignment(name: str, terms: list[str]) -> str:
    """`    name = a + b + c`, wrapped the way ruff formats it when it is longer than a line."""
    one_line = f"    {name} = {' + '.join(terms)}\n"
    if len(one_line) <= LINE + 1:
        return one_line
    return f"    {name} = (\n        " + "\n        + ".join(terms) + "\n    )\n"


def _rule(schema: Schema, rule: Rule) -> str:
    values = "".join(
        _assignment(name, lint_text.sum_terms(expr, lambda leaf: _leaf(schema, leaf))) for name, expr in rule.values
    )
    holds = " or ".join(_cmp(schema, rule, cmp) for cmp in lint_text.comparisons(rule))
    message = "".join(f"                    {piece}\n" for piece in _message(schema, rule))
    return (
        f"    # {rule.id}\n"
        f"{values}"
        f"    holds = {holds}\n"
        "    if not holds:\n"
        "        findings.append(\n"
        "            LintFinding(\n"
        f"                rule={_str(rule.id)},\n"
        f"                severity={_str(rule.severity)},\n"
        f"                pointer={_str(rule.pointer)},\n"
        "                message=(\n"
        f"{message}"
        "                ),\n"
        "            )\n"
        "        )\n"
    )


def _lint(schema: Schema) -> str:
    lint_text.check_values(RULES)
    rules = "".join(_rule(schema, rule) for rule in RULES)
    uses_worst_case = any(lint_text.uses_worst_case(rule) for rule in RULES)
    worst_case = "    worst_case = worst_case_call_ms(settings)\n" if uses_worst_case else ""
    return (
        _header(schema, "lint rules: tools/configlint/rules.py")
        + '"""The semantic lint of the config: the rules of tools/configlint/rules.py as Python code.\n\n'
        "A rule holds when its predicate is true; when it does not, its finding names the rule id, the\n"
        'severity, the JSON Pointer of the setting and a sentence with the values found.\n"""\n\n'
        "from __future__ import annotations\n\n"
        "import math\n"
        "from dataclasses import dataclass\n"
        "from typing import Literal\n\n"
        "import rfc8785\n\n"
        "from .timeout_config import TimeoutConfig\n\n"
        'Severity = Literal["error", "warning"]\n\n\n'
        "@dataclass(frozen=True)\n"
        "class LintFinding:\n"
        '    """One rule that does not hold: `error` findings make a loader refuse the config."""\n\n'
        "    rule: str\n"
        "    severity: Severity\n"
        "    pointer: str\n"
        "    message: str\n\n\n"
        "def worst_case_call_ms(settings: TimeoutConfig) -> int:\n"
        '    """Longest time one payment call can take with every attempt timing out.\n\n'
        "    max_attempts x timeout_ms plus, for each retry n, its backoff b_n and jitter_ms at its bound, where\n"
        "    b_1 = base_delay_ms and b_n = min(max_delay_ms, floor(b_(n-1) x backoff_multiplier)).\n"
        '    """\n'
        "    payment = settings.payment\n"
        "    retry = payment.retry\n"
        "    total = retry.max_attempts * payment.timeout_ms\n"
        "    backoff = retry.base_delay_ms\n"
        "    for retry_number in range(1, retry.max_attempts):\n"
        "        if retry_number > 1:\n"
        "            backoff = min(retry.max_delay_ms, math.floor(backoff * retry.backoff_multiplier))\n"
        "        total += backoff + retry.jitter_ms\n"
        "    return total\n\n\n"
        "def lint_config(settings: TimeoutConfig) -> list[LintFinding]:\n"
        '    """Every finding of every rule, in the order of the rules; empty when all hold."""\n'
        "    findings: list[LintFinding] = []\n"
        f"{worst_case}"
        f"{rules}"
        "    return findings\n\n\n"
        "def _show(value: float | bool) -> str:\n"
        "    # Canonical JSON spelling (true, 2, 0.8), so a message reads the same in every language.\n"
        "    return rfc8785.dumps(value).decode()\n"
    )


# --- timeout_schema.py and __init__.py -------------------------------------------------------------


def _schema_copy(schema: Schema) -> str:
    escaped = schema.text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return (
        _header(schema)
        + '"""The copy of config/timeout.schema.json this binding validates against, so no repo is needed."""\n\n'
        "from typing import Final\n\n"
        f'SCHEMA_SHA256: Final = "{schema.sha256}"\n\n'
        f'SCHEMA_TEXT: Final = """\\\n{escaped}"""\n'
    )


def _init(schema: Schema) -> str:
    names = sorted(t.name for t in schema.types)
    exported = ["SCHEMA_SHA256", "SCHEMA_TEXT", *sorted(["LintFinding", *names]), "lint_config", "worst_case_call_ms"]
    model_imports = "".join(f"    {name},\n" for name in names)
    return (
        _header(schema) + '"""The generated config binding: settings models, lint and the schema copy."""\n\n'
        "from .config_lint import LintFinding, lint_config, worst_case_call_ms\n"
        f"from .timeout_config import (\n{model_imports})\n"
        "from .timeout_schema import SCHEMA_SHA256, SCHEMA_TEXT\n\n"
        "__all__ = [\n" + "".join(f"    {_str(name)},\n" for name in exported) + "]\n"
    )
