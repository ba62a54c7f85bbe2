"""The metric vocabulary, the card-masking rule and the deadline header rule of config/vocabulary.json.

The document is validated against config/vocabulary.schema.json first (and a repeated metric or label,
unsorted buckets or a digit range the wrong way round fail codegen). It becomes one constant per
metric (`MetricSpec`: name, type, labels, help and the label values known in advance), the histogram
buckets, the masking patterns and the header rule in `checkout_payments.generated.vocabulary`,
`generated/vocabulary.ts` and `com.checkout.config.generated.Vocabulary`, and the table of
config/METRICS.md between its markers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from tools.codegen.model import REPO, Schema, data_header_lines

VOCABULARY_PATH = REPO / "config" / "vocabulary.json"
VOCABULARY_SCHEMA_PATH = REPO / "config" / "vocabulary.schema.json"
METRICS_MD_PATH = REPO / "config" / "METRICS.md"
PYTHON_FILE = "python/src/checkout_payments/generated/vocabulary.py"
TS_FILE = "node/packages/core/src/generated/vocabulary.ts"
JAVA_FILE = "java/core/src/main/java/com/checkout/config/generated/Vocabulary.java"
METRICS_FILE = "config/METRICS.md"
BEGIN = "<!-- begin {name}: generated from config/vocabulary.json by tools/codegen, do not edit -->"
END = "<!-- end {name} -->"
# A | inside a Markdown table cell.
_BAR = "\\|"


def emit(_: Schema, path: Path = VOCABULARY_PATH, schema_path: Path = VOCABULARY_SCHEMA_PATH) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    vocabulary = load_vocabulary(text, json.loads(schema_path.read_text(encoding="utf-8")))
    header = data_header_lines("vocabulary", text)
    constants = _constants(vocabulary)
    return {
        PYTHON_FILE: _python(header, vocabulary, constants),
        TS_FILE: _typescript(header, vocabulary, constants),
        JAVA_FILE: _java(header, vocabulary, constants),
        METRICS_FILE: _metrics_md(METRICS_MD_PATH.read_text(encoding="utf-8"), vocabulary),
    }


def load_vocabulary(text: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The validated document; an invalid one fails codegen naming the first wrong field's pointer."""
    document: dict[str, Any] = json.loads(text)
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        where = "".join(f"/{part}" for part in errors[0].absolute_path)
        raise ValueError(f"config/vocabulary.json{where}: {errors[0].message}")
    metrics = document["metrics"]["metrics"]
    names = [metric["name"] for metric in metrics]
    if len(set(names)) != len(names):
        raise ValueError(f"config/vocabulary.json/metrics/metrics: a metric is listed twice in {names}")
    for index, metric in enumerate(metrics):
        labels = [label["name"] for label in metric["labels"]]
        if len(set(labels)) != len(labels):
            raise ValueError(f"config/vocabulary.json/metrics/metrics/{index}/labels: a label is listed twice")
    buckets = document["metrics"]["histogram_buckets_seconds"]
    if buckets != sorted(set(buckets)):
        raise ValueError("config/vocabulary.json/metrics/histogram_buckets_seconds: expected strictly ascending")
    masking = document["masking"]
    if masking["card_digits_min"] > masking["card_digits_max"]:
        raise ValueError("config/vocabulary.json/masking: card_digits_min exceeds card_digits_max")
    return document


def _constants(vocabulary: dict[str, Any]) -> dict[str, str]:
    """The rules as regular expressions every language reads alike (ASCII classes, lookarounds)."""
    masking, header = vocabulary["masking"], vocabulary["deadline_header"]
    separators = masking["card_separators"].replace("-", "") + ("-" if "-" in masking["card_separators"] else "")
    low, high = masking["card_digits_min"] - 1, masking["card_digits_max"] - 1
    return {
        "CARD_LIKE_PATTERN": f"(?<![0-9])[0-9](?:[{separators}]?[0-9]){{{low},{high}}}(?![0-9])",
        "FINGERPRINT_PATTERN": f"(?<![0-9A-Za-z])[0-9a-f]{{{masking['fingerprint_hex_length']}}}(?![0-9A-Za-z])",
        "DEADLINE_HEADER_PATTERN": f"-?[0-9]{{1,{header['max_digits']}}}",
    }


def _const_name(metric: dict[str, Any]) -> str:
    return str(metric["name"]).removeprefix("checkout_").upper()


def _help(metric: dict[str, Any]) -> str:
    return str(metric["meaning"]).replace("`", "")


def _py_tuple(items: list[str]) -> str:
    inner = ", ".join(json.dumps(item) for item in items)
    return f"({inner},)" if len(items) == 1 else f"({inner})"


def _python(header: list[str], vocabulary: dict[str, Any], constants: dict[str, str]) -> str:
    out = [f"# {line}" for line in header]
    out += [
        '"""config/vocabulary.json: the metric vocabulary (METRICS.md), the card-masking rule, the deadline header."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping",
        "from dataclasses import dataclass",
        "from types import MappingProxyType",
        "from typing import Final",
        "",
        "",
        "@dataclass(frozen=True)",
        "class MetricSpec:",
        '    """One metric: its name, type, label names, help text and the label values known up front."""',
        "",
        "    name: str",
        "    type: str",
        "    labels: tuple[str, ...]",
        "    help: str",
        "    values: Mapping[str, tuple[str, ...]]",
        "",
    ]
    metrics = vocabulary["metrics"]["metrics"]
    for metric in metrics:
        labels = _py_tuple([label["name"] for label in metric["labels"]])
        values = ", ".join(
            f"{json.dumps(label['name'])}: {_py_tuple(label['values'])}"
            for label in metric["labels"]
            if "values" in label
        )
        out += [
            "",
            f"{_const_name(metric)}: Final = MetricSpec(",
            f"    {json.dumps(metric['name'])},",
            f"    {json.dumps(metric['type'])},",
            f"    {labels},",
            f"    {json.dumps(_help(metric), ensure_ascii=False)},",
            f"    MappingProxyType({{{values}}}),",
            ")",
        ]
    buckets = ", ".join(json.dumps(b) for b in vocabulary["metrics"]["histogram_buckets_seconds"])
    out += [
        "",
        "# Every metric of the vocabulary, in the order of METRICS.md.",
        "METRICS: Final = (",
        *(f"    {_const_name(m)}," for m in metrics),
        ")",
        "",
        "# The upper bounds of every histogram, in seconds (the same everywhere, so dashboards compare alike).",
        f"HISTOGRAM_BUCKETS_SECONDS: Final = ({buckets})",
        "",
        "# A card-like number: masked wherever it appears in a log line or message.",
        f'CARD_LIKE_PATTERN: Final = r"{constants["CARD_LIKE_PATTERN"]}"',
        "# A config fingerprint (a sha256 standing alone): left whole, never a card number.",
        f'FINGERPRINT_PATTERN: Final = r"{constants["FINGERPRINT_PATTERN"]}"',
        "# How many trailing digits of a card number a mask may show.",
        f"LAST_DIGITS_SHOWN: Final = {vocabulary['masking']['last_digits_shown']}",
        "",
        "# The header carrying the remaining deadline in integer ms (SEMANTICS.md §5), and its whole value's syntax.",
        f"DEADLINE_HEADER: Final = {json.dumps(vocabulary['deadline_header']['name'])}",
        f'DEADLINE_HEADER_PATTERN: Final = r"{constants["DEADLINE_HEADER_PATTERN"]}"',
    ]
    return "\n".join(out) + "\n"


def _typescript(header: list[str], vocabulary: dict[str, Any], constants: dict[str, str]) -> str:
    out = [f"// {line}" for line in header]
    out += [
        "",
        "/** One metric of the vocabulary (config/METRICS.md): name, type, label names, help, known label values. */",
        "export interface MetricSpec<L extends string = string> {",
        "  readonly name: string;",
        '  readonly type: "counter" | "gauge" | "histogram";',
        "  readonly labels: readonly L[];",
        "  readonly help: string;",
        "  readonly values: Readonly<Partial<Record<L, readonly string[]>>>;",
        "}",
    ]
    metrics = vocabulary["metrics"]["metrics"]
    for metric in metrics:
        labels = ", ".join(json.dumps(label["name"]) for label in metric["labels"])
        union = " | ".join(json.dumps(label["name"]) for label in metric["labels"])
        values = ", ".join(
            f"{label['name']}: [{', '.join(json.dumps(v) for v in label['values'])}]"
            for label in metric["labels"]
            if "values" in label
        )
        out += [
            "",
            f"/** {_help(metric)} */",
            f"export const {_const_name(metric)} = {{",
            f"  name: {json.dumps(metric['name'])},",
            f"  type: {json.dumps(metric['type'])},",
            f"  labels: [{labels}],",
            f"  help: {json.dumps(_help(metric), ensure_ascii=False)},",
            f"  values: {{{' ' + values + ' ' if values else ''}}},",
            f"}} as const satisfies MetricSpec<{union}>;",
        ]
    buckets = ", ".join(json.dumps(b) for b in vocabulary["metrics"]["histogram_buckets_seconds"])
    out += [
        "",
        "/** Every metric of the vocabulary, in the order of METRICS.md. */",
        f"export const METRICS: readonly MetricSpec[] = [{', '.join(_const_name(m) for m in metrics)}];",
        "",
        "/** The upper bounds of every histogram, in seconds. */",
        f"export const HISTOGRAM_BUCKETS_SECONDS: readonly number[] = [{buckets}];",
        "",
        "/** A card-like number (regular expression source): masked wherever it appears in a log line or message. */",
        f"export const CARD_LIKE_PATTERN = {json.dumps(constants['CARD_LIKE_PATTERN'])};",
        "/** A config fingerprint (a sha256 standing alone; regular expression source): left whole. */",
        f"export const FINGERPRINT_PATTERN = {json.dumps(constants['FINGERPRINT_PATTERN'])};",
        "/** How many trailing digits of a card number a mask may show. */",
        f"export const LAST_DIGITS_SHOWN = {vocabulary['masking']['last_digits_shown']};",
        "",
        "/** The header carrying the remaining deadline in integer ms (SEMANTICS.md §5). */",
        f"export const DEADLINE_HEADER_NAME = {json.dumps(vocabulary['deadline_header']['name'])};",
        "/** The syntax of the header's whole value (regular expression source, unanchored). */",
        f"export const DEADLINE_HEADER_PATTERN = {json.dumps(constants['DEADLINE_HEADER_PATTERN'])};",
    ]
    return "\n".join(out) + "\n"


def _java_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _java(header: list[str], vocabulary: dict[str, Any], constants: dict[str, str]) -> str:
    out = [f"// {line}" for line in header]
    out += [
        "package com.checkout.config.generated;",
        "",
        "import java.util.List;",
        "import java.util.Map;",
        "",
        "/** config/vocabulary.json: the metric vocabulary, the card-masking rule, the deadline header. */",
        "public final class Vocabulary {",
        "    private Vocabulary() {}",
        "",
        "    /**",
        "     * One metric of the vocabulary (config/METRICS.md).",
        "     *",
        "     * @param name the metric's name",
        "     * @param type counter, gauge or histogram",
        "     * @param labels the label names, in order",
        "     * @param help the help text",
        "     * @param values the label values known in advance, by label",
        "     */",
        "    public record MetricSpec(String name, String type, List<String> labels, String help,",
        "            Map<String, List<String>> values) {",
        "        /**",
        "         * The label names as an array, for registries that take varargs.",
        "         *",
        "         * @return a fresh array of the label names",
        "         */",
        "        public String[] labelArray() {",
        "            return labels.toArray(String[]::new);",
        "        }",
        "    }",
    ]
    metrics = vocabulary["metrics"]["metrics"]
    for metric in metrics:
        labels = ", ".join(_java_string(label["name"]) for label in metric["labels"])
        values = ", ".join(
            f"{_java_string(label['name'])}, List.of({', '.join(_java_string(v) for v in label['values'])})"
            for label in metric["labels"]
            if "values" in label
        )
        out += [
            "",
            f"    /** {_help(metric).replace('<', '&lt;').replace('>', '&gt;')}. */",
            f"    public static final MetricSpec {_const_name(metric)} = new MetricSpec(",
            f"            {_java_string(metric['name'])}, {_java_string(metric['type'])},",
            f"            List.of({labels}),",
            f"            {_java_string(_help(metric))},",
            f"            Map.of({values}));",
        ]
    buckets = ", ".join(repr(float(b)) for b in vocabulary["metrics"]["histogram_buckets_seconds"])
    out += [
        "",
        "    /** Every metric of the vocabulary, in the order of METRICS.md. */",
        "    public static final List<MetricSpec> METRICS = List.of(",
        ",\n".join(f"            {_const_name(m)}" for m in metrics) + ");",
        "",
        "    /** The upper bounds of every histogram, in seconds. */",
        "    public static final List<Double> HISTOGRAM_BUCKETS_SECONDS =",
        f"            List.of({buckets});",
        "",
        "    /** A card-like number (regular expression): masked wherever it appears in a log line. */",
        f"    public static final String CARD_LIKE_PATTERN = {_java_string(constants['CARD_LIKE_PATTERN'])};",
        "",
        "    /** A config fingerprint (a sha256 standing alone; regular expression): left whole. */",
        f"    public static final String FINGERPRINT_PATTERN = {_java_string(constants['FINGERPRINT_PATTERN'])};",
        "",
        "    /** How many trailing digits of a card number a mask may show. */",
        f"    public static final int LAST_DIGITS_SHOWN = {vocabulary['masking']['last_digits_shown']};",
        "",
        "    /** The header carrying the remaining deadline in integer ms (SEMANTICS.md section 5). */",
        f"    public static final String DEADLINE_HEADER = {_java_string(vocabulary['deadline_header']['name'])};",
        "",
        "    /** The syntax of the header's whole value (regular expression). */",
        "    public static final String DEADLINE_HEADER_PATTERN =",
        f"            {_java_string(constants['DEADLINE_HEADER_PATTERN'])};",
        "}",
    ]
    return "\n".join(out) + "\n"


def _metrics_md(text: str, vocabulary: dict[str, Any]) -> str:
    table = ["| metric | type | labels | meaning |", "|---|---|---|---|"]
    for metric in vocabulary["metrics"]["metrics"]:
        labels = []
        for label in metric["labels"]:
            shown = [f"`{value}`" for value in label.get("values", [])] + ([label["or"]] if "or" in label else [])
            labels.append(f"`{label['name']}`" + (f" ({_BAR.join(shown)})" if shown else ""))
        table.append(f"| `{metric['name']}` | {metric['type']} | {', '.join(labels)} | {metric['meaning']} |")
    buckets = ", ".join(f"{b:g}" for b in vocabulary["metrics"]["histogram_buckets_seconds"])
    table += [
        "",
        "Histograms use seconds and these buckets (so dashboards compare like with like):",
        f"{buckets}.",
    ]
    return _between(text, "metrics-table", table)


def _between(text: str, name: str, lines: list[str]) -> str:
    begin, end = BEGIN.format(name=name), END.format(name=name)
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(f"{METRICS_FILE}: expected one {begin!r} … {end!r} block")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return "".join([head, begin, "\n", "\n".join(lines), "\n", end, tail])
