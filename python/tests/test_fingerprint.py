"""The fingerprint is the same number in every language: SHA-256 of the RFC 8785 canonical JSON."""

from __future__ import annotations

import json

from config_documents import read_document

from checkout_payments.config import fingerprint, parse_config

VECTOR_DOCUMENT = '{"b":2.0,"a":[1,0.8,"x"],"c":{"z":true,"y":null}}'
VECTOR_FINGERPRINT = "04c76e44cc40bebffb9eaa1d9d4d8f144c8bda63c562e3ca6e2c24cd1094b7c8"


def test_shared_test_vector() -> None:
    assert fingerprint(json.loads(VECTOR_DOCUMENT)) == VECTOR_FINGERPRINT


def test_key_order_and_number_spelling_do_not_change_the_fingerprint() -> None:
    document = read_document()
    reordered = json.dumps(dict(reversed(list(document.items()))), indent=4)
    respelled = json.dumps(document).replace('"backoff_multiplier": 2.0', '"backoff_multiplier": 2')
    assert '"backoff_multiplier": 2,' in respelled
    fingerprints = {parse_config(t).fingerprint for t in (json.dumps(document), reordered, respelled)}
    assert len(fingerprints) == 1


def test_a_changed_setting_changes_the_fingerprint() -> None:
    document = read_document()
    before = parse_config(json.dumps(document)).fingerprint
    document["payment"]["circuit_breaker"]["failure_threshold"] = 6
    assert parse_config(json.dumps(document)).fingerprint != before
