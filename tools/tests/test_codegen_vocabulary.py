"""config/vocabulary.json: codegen refuses a document it would not pass, and the emitted rules mean what they say."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from checkout_payments.generated import vocabulary
from tools.codegen.emit_vocabulary import VOCABULARY_PATH, VOCABULARY_SCHEMA_PATH, load_vocabulary

SCHEMA = json.loads(VOCABULARY_SCHEMA_PATH.read_text(encoding="utf-8"))
DOCUMENT = json.loads(VOCABULARY_PATH.read_text(encoding="utf-8"))


def _load(document: dict[str, Any]) -> dict[str, Any]:
    return load_vocabulary(json.dumps(document), SCHEMA)


def test_the_shipped_vocabulary_loads() -> None:
    assert [m["name"] for m in _load(DOCUMENT)["metrics"]["metrics"]] == [m.name for m in vocabulary.METRICS]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["metrics"]["metrics"][0].update(kind="counter"), "/metrics/metrics/0: Additional properties"),
        (lambda d: d["metrics"]["metrics"].append(d["metrics"]["metrics"][0]), "a metric is listed twice"),
        (lambda d: d["metrics"]["metrics"][0]["labels"].append({"name": "service"}), "a label is listed twice"),
        (lambda d: d["metrics"]["histogram_buckets_seconds"].reverse(), "strictly ascending"),
        (lambda d: d["masking"].update(card_digits_min=20), "card_digits_min exceeds card_digits_max"),
        (
            lambda d: d["deadline_header"].update(name="X Deadline"),
            "/deadline_header/name: 'X Deadline' does not match",
        ),
    ],
)
def test_codegen_refuses_a_broken_vocabulary(change: Any, message: str) -> None:
    document = copy.deepcopy(DOCUMENT)
    change(document)
    with pytest.raises(ValueError, match=re.escape(message)):
        _load(document)


@pytest.mark.parametrize(
    ("text", "card_like"),
    [
        ("4111111111111111", True),
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1", True),  # 13 digits
        ("411111111111", False),  # 12 digits
        ("41111111111111111111", False),  # 20 digits: part of a longer run
        ("4111  1111 1111 1111", False),  # a double separator splits the run into short ones
    ],
)
def test_the_card_rule_is_13_to_19_digits_grouped_by_single_separators(text: str, card_like: bool) -> None:
    assert (re.search(vocabulary.CARD_LIKE_PATTERN, text) is not None) is card_like


def test_a_fingerprint_stands_alone_and_is_64_lowercase_hex() -> None:
    sha = "a" * 20 + "4111111111111111" + "b" * 28
    assert re.fullmatch(vocabulary.FINGERPRINT_PATTERN, sha)
    assert not re.search(vocabulary.FINGERPRINT_PATTERN, sha.upper())
    assert not re.search(vocabulary.FINGERPRINT_PATTERN, sha + "0")


@pytest.mark.parametrize(
    ("value", "valid"), [("20000", True), ("-5", True), ("1" * 10, True), ("1" * 11, False), ("+5", False)]
)
def test_the_deadline_header_is_an_optional_minus_and_1_to_10_digits(value: str, valid: bool) -> None:
    assert (re.fullmatch(vocabulary.DEADLINE_HEADER_PATTERN, value) is not None) is valid
    assert vocabulary.DEADLINE_HEADER == "X-Deadline-Ms"
