"""Every way a config is refused: one ConfigError (INVALID_CONFIG) listing every violation, nothing loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from config_documents import PRE_INCIDENT, read_document, text

from checkout_payments.config import ConfigError, Violation, load_config, parse_config


def refused(document_text: str) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        parse_config(document_text, "test.json")
    return raised.value


def pointers(error: ConfigError) -> list[str]:
    return [violation.pointer for violation in error.violations]


def test_error_carries_the_shared_error_class() -> None:
    error = refused("{}")
    assert error.error_class == "INVALID_CONFIG"
    assert str(error).startswith("INVALID_CONFIG: test.json is not a valid config (8 violations)")


def test_missing_file_is_a_read_violation(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "absent.json")
    assert raised.value.violations == (Violation("", raised.value.violations[0].message, "read"),)
    assert "absent.json" in raised.value.violations[0].message


def test_file_that_is_not_utf8_is_a_read_violation(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"version": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(ConfigError) as raised:
        load_config(latin1)
    assert [(v.pointer, v.rule) for v in raised.value.violations] == [("", "read")]


def test_malformed_json_names_line_and_column() -> None:
    error = refused('{\n  "version": "x",\n  "payment": }')
    (violation,) = error.violations
    assert (violation.pointer, violation.rule) == ("", "parse")
    assert "line 3 column 14" in violation.message


def test_nan_is_not_json() -> None:
    (violation,) = refused(text().replace('"token_ratio": 0.1', '"token_ratio": NaN')).violations
    assert (violation.pointer, violation.rule) == ("", "parse")
    assert "NaN" in violation.message


def test_missing_field_is_reported_at_parent_plus_name() -> None:
    error = refused(text().replace('"jitter_ms": 500, ', ""))
    assert [(v.pointer, v.rule) for v in error.violations] == [("/payment/retry/jitter_ms", "required")]
    assert "missing" in error.violations[0].message


def test_each_unknown_field_is_reported_at_parent_plus_its_escaped_name() -> None:
    document = read_document()
    document["payment"]["retry"].update({"jitter": 1, "a/b": 2})
    document["x~y"] = 3
    error = refused(json.dumps(document))
    assert pointers(error) == ["/payment/retry/a~1b", "/payment/retry/jitter", "/x~0y"]
    assert {v.rule for v in error.violations} == {"additionalProperties"}
    assert error.violations[1].message.startswith("/payment/retry/jitter is not a field of /payment/retry (value 1)")


def test_range_violation_names_field_value_and_bound() -> None:
    (violation,) = refused(text({"payment/timeout_ms": 0})).violations
    assert violation == Violation("/payment/timeout_ms", "/payment/timeout_ms is 0, expected a number >= 1", "minimum")


def test_type_violation_is_reported_at_the_value() -> None:
    (violation,) = refused(text({"payment/retry/backoff_multiplier": True})).violations
    assert violation == Violation(
        "/payment/retry/backoff_multiplier", "/payment/retry/backoff_multiplier is true, expected a number", "type"
    )


def test_root_that_is_not_an_object_is_reported_at_the_empty_pointer() -> None:
    (violation,) = refused("[]").violations
    assert violation == Violation("", "the document is [], expected an object", "type")


def test_every_schema_violation_is_listed_sorted() -> None:
    error = refused(
        text({"payment/timeout_ms": 0, "database/pool/max_connections": "50", "monitoring/extra": 1, "version": ""})
    )
    assert [(v.pointer, v.rule) for v in error.violations] == [
        ("/database/pool/max_connections", "type"),
        ("/monitoring/extra", "additionalProperties"),
        ("/payment/timeout_ms", "minimum"),
        ("/version", "minLength"),
        ("/version", "pattern"),
    ]


def test_empty_object_lists_every_missing_section() -> None:
    assert pointers(refused("{}")) == [
        "/database",
        "/fleet",
        "/gateway",
        "/lambda",
        "/monitoring",
        "/order_service",
        "/payment",
        "/version",
    ]


def test_lint_runs_only_on_schema_valid_documents() -> None:
    error = refused(text({"payment/timeout_ms": 100, "payment/circuit_breaker/enabled": False, "extra": 1}))
    assert pointers(error) == ["/extra"]
    assert error.warnings == ()


def test_lint_error_refuses_the_config_and_keeps_the_warnings() -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(PRE_INCIDENT)
    error = raised.value
    assert [(v.pointer, v.rule) for v in error.violations] == [("/payment/timeout_ms", "payment-timeout-covers-p99")]
    assert "timeout_ms is 5000 ms" in error.violations[0].message
    assert [w.rule for w in error.warnings] == [
        "circuit-breaker-enabled",
        "retry-backoff-grows",
        "retry-jitter-present",
    ]


def test_every_lint_error_is_listed() -> None:
    error = refused(
        text(
            {"payment/retry/jitter_ms": 2500, "payment/retry/max_delay_ms": 1999, "monitoring/pool_utilization_warn": 1}
        )
    )
    assert [v.rule for v in error.violations] == [
        "retry-jitter-within-base",
        "retry-max-delay-covers-base",
        "monitoring-warn-below-critical",
    ]


def test_refused_config_hands_out_no_settings() -> None:
    error = refused(text({"payment/timeout_ms": 100}))
    # all-or-nothing: the error holds the findings and nothing of the config itself
    assert set(vars(error)) == {"source", "violations", "warnings"}
