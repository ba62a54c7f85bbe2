"""The resilience conformance vectors are well-formed data (tests/contracts/VECTORS.md).

This checks the files, not the kernels: each language's runner executes them. Point it at another
vector directory with CONFORMANCE_VECTORS_DIR (a folder holding the topic folders).
"""

from __future__ import annotations

import json
import os
import pathlib
import re
from collections.abc import Iterator
from typing import Any

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
SCHEMA_PATH = HERE / "vector.schema.json"
CONFIG_SCHEMA_PATH = HERE.parents[1] / "config" / "timeout.schema.json"
SEMANTICS_PATH = HERE.parents[1] / "config" / "SEMANTICS.md"
DEFAULT_DIR = HERE
VECTORS_DIR = pathlib.Path(os.environ.get("CONFORMANCE_VECTORS_DIR", str(DEFAULT_DIR))).resolve()
# The topics are the schema's: one list, read by every runner.
TOPICS: tuple[str, ...] = tuple(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["properties"]["topic"]["enum"])
# Issue 3 asks for at least 60 vectors in the repo; another directory only has to be non-empty.
MIN_VECTORS = 60 if VECTORS_DIR == DEFAULT_DIR else 1

Vector = dict[str, Any]


def _vector_files(root: pathlib.Path = VECTORS_DIR) -> list[pathlib.Path]:
    return sorted(path for topic in TOPICS for path in (root / topic).glob("*"))


def _vectors(root: pathlib.Path = VECTORS_DIR) -> Iterator[tuple[pathlib.Path, Vector]]:
    for path in _vector_files(root):
        if path.suffix == ".json":
            yield path, json.loads(path.read_text(encoding="utf-8"))


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _config_fragment_schema(*keys: str) -> dict[str, Any]:
    """A payment sub-schema of the config schema, so vector settings stay loadable settings."""
    root: dict[str, Any] = json.loads(CONFIG_SCHEMA_PATH.read_text(encoding="utf-8"))
    node: dict[str, Any] = root["properties"]["payment"]
    for key in keys:
        node = node["properties"][key]
        if "$ref" in node:
            node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    # The fragment's own $refs resolve against the config schema's $defs.
    return {"$defs": root["$defs"], **node}


def _name(path: pathlib.Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


def test_schema_examples_are_valid_vectors() -> None:
    schema = _schema()
    validator = jsonschema.Draft202012Validator(schema)
    examples = [example for d in schema["$defs"].values() for example in d.get("examples", [])]
    assert len(examples) == len(TOPICS)
    for example in examples:
        validator.validate(example)


def test_every_vector_file_matches_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    errors = []
    for path in _vector_files():
        if path.suffix != ".json":
            errors.append(f"{_name(path)}: not a .json file")
            continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        if error is not None:
            errors.append(f"{_name(path)}: {error.json_path}: {error.message}")
    assert not errors, "\n".join(errors)


def test_ids_are_unique_and_equal_to_file_names() -> None:
    seen: dict[str, str] = {}
    errors = []
    for path, vector in _vectors():
        vector_id = vector.get("id")
        if vector_id != path.stem:
            errors.append(f"{_name(path)}: id {vector_id!r} differs from the file name")
        if vector.get("topic") != path.parent.name:
            errors.append(f"{_name(path)}: topic {vector.get('topic')!r} differs from its folder")
        if vector_id in seen:
            errors.append(f"{_name(path)}: id {vector_id!r} already used by {seen[vector_id]}")
        seen[str(vector_id)] = _name(path)
    assert not errors, "\n".join(errors)


def test_there_are_enough_vectors() -> None:
    count = sum(1 for _ in _vectors())
    assert count >= MIN_VECTORS, f"{count} vectors under {VECTORS_DIR}, expected at least {MIN_VECTORS}"


def test_settings_are_valid_config_fragments() -> None:
    call_keys = ("timeout_ms", "deadline_ms", "provider_expected_p99_ms", "min_deadline_ms", "answer_margin_ms")
    fragments = {
        "backoff": [((), ("retry",))],
        "breaker": [((), ("circuit_breaker",))],
        "budget": [((), ("retry_budget",))],
        "deadline": [((key,), (key,)) for key in ("timeout_ms", "deadline_ms", "min_deadline_ms", "answer_margin_ms")],
        "call": [((key,), (key,)) for key in (*call_keys, "retry", "circuit_breaker", "retry_budget", "bulkhead")],
        "bulkhead": [((), ("bulkhead",))],
        # The whole payment section: the config schema checks the charge's and the lookup's policies.
        "upstream": [((), ())],
    }
    errors = []
    for path, vector in _vectors():
        for inner, config_keys in fragments.get(vector["topic"], []):
            value = vector["settings"]
            for key in inner:
                value = value[key]
            error = jsonschema.exceptions.best_match(
                jsonschema.Draft202012Validator(_config_fragment_schema(*config_keys)).iter_errors(value)
            )
            if error is not None:
                errors.append(f"{_name(path)}: settings {'/'.join(config_keys)}: {error.message}")
    assert not errors, "\n".join(errors)


def _budget_settings(vector: Vector) -> dict[str, Any] | None:
    if vector["topic"] == "budget":
        settings: dict[str, Any] = vector["settings"]
        return settings
    if vector["topic"] == "call":
        nested: dict[str, Any] = vector["settings"]["retry_budget"]
        return nested
    return None


def test_token_ratios_have_at_most_three_decimals() -> None:
    errors = []
    for path, vector in _vectors():
        budget = _budget_settings(vector)
        if budget is not None:
            milli = budget["token_ratio"] * 1000
            if abs(milli - round(milli)) > 1e-6:
                errors.append(f"{_name(path)}: token_ratio {budget['token_ratio']} has more than three decimals")
    assert not errors, "\n".join(errors)


def _breaker_step_errors(vector: Vector) -> Iterator[str]:
    """Labels are unique, a record names a permit an earlier step was granted, the clock never goes back."""
    granted: set[str] = set()
    labels: set[str] = set()
    clock = 0
    for index, step in enumerate(vector["steps"]):
        if step["at_ms"] < clock:
            yield f"step {index}: at_ms {step['at_ms']} goes back in time (previous {clock})"
        clock = step["at_ms"]
        label = step.get("allow", {}).get("as")
        if label is not None:
            if label in labels:
                yield f"step {index}: permit label {label!r} used twice"
            labels.add(label)
            if step["expect"]["admitted"]:
                granted.add(label)
        if "record" in step and step["record"]["permit"] not in granted:
            yield f"step {index}: records permit {step['record']['permit']!r} that no earlier step was granted"


def _call_errors(vector: Vector) -> Iterator[str]:
    """The script matches the expectation: every listed attempt runs, every draw is used, time moves forward,
    and every attempt run sent its timeout - answer_margin_ms, at least min_deadline_ms (SEMANTICS.md §8 step 1)."""
    clock = 0
    draws_used = 0
    margin, floor = vector["settings"]["answer_margin_ms"], vector["settings"]["min_deadline_ms"]
    for index, call in enumerate(vector["calls"]):
        expect = call["expect"]
        timeouts, headers = expect["attempt_timeouts_ms"], expect["deadline_headers_ms"]
        if not len(timeouts) == len(headers) == expect["attempts"]:
            yield f"call {index}: {expect['attempts']} attempts, {len(timeouts)} timeouts and {len(headers)} headers"
        if headers != [timeout - margin for timeout in timeouts]:
            yield f"call {index}: deadline_headers_ms {headers} are not the timeouts {timeouts} - answer_margin_ms"
        if any(header < floor for header in headers):
            yield f"call {index}: deadline_headers_ms {headers} go below min_deadline_ms {floor}"
        if call["start_ms"] < clock:
            yield f"call {index}: start_ms {call['start_ms']} is before the previous call's end {clock}"
        if expect["end_ms"] < call["start_ms"]:
            yield f"call {index}: end_ms {expect['end_ms']} is before start_ms {call['start_ms']}"
        if expect["attempts"] != len(call["attempts"]):
            yield f"call {index}: expects {expect['attempts']} attempts but scripts {len(call['attempts'])}"
        if expect["attempts"] > vector["settings"]["retry"]["max_attempts"]:
            yield f"call {index}: expects more attempts than max_attempts"
        if len(expect["sleeps_ms"]) > expect["attempts"]:
            yield f"call {index}: more sleeps than attempts"
        if expect["draws_used"] < draws_used:
            yield f"call {index}: draws_used goes down"
        clock = expect["end_ms"]
        draws_used = expect["draws_used"]
    if draws_used != len(vector["draws"]):
        yield f"the calls use {draws_used} draws but {len(vector['draws'])} are listed"


def test_scripts_are_consistent() -> None:
    checks = {"breaker": _breaker_step_errors, "call": _call_errors}
    errors = [
        f"{_name(path)}: {message}"
        for path, vector in _vectors()
        if vector["topic"] in checks
        for message in checks[vector["topic"]](vector)
    ]
    assert not errors, "\n".join(errors)


def test_classification_describes_every_class() -> None:
    """A property of the repo's own suite, whatever CONFORMANCE_VECTORS_DIR points at."""
    every_class = set(_schema()["$defs"]["error_class"]["enum"])
    described = {
        case["error_class"]
        for _, vector in _vectors(DEFAULT_DIR)
        if vector["topic"] == "classification"
        for case in vector["cases"]
        if case["op"] == "describe"
    }
    assert every_class <= described, f"no describe case for {sorted(every_class - described)}"


def test_error_classes_match_the_semantics_table() -> None:
    table = re.findall(r"^\| `([A-Z_]+)` \|", SEMANTICS_PATH.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert len(table) == len(set(table))
    assert sorted(_schema()["$defs"]["error_class"]["enum"]) == sorted(table)
