"""What a successful load returns: typed frozen settings, the fingerprint, the source and the warnings."""

from __future__ import annotations

import json

import pydantic
import pytest
from config_documents import CONFIG, read_document, text

from checkout_payments.config import load_config, parse_config


def test_repo_config_loads_with_its_settings() -> None:
    loaded = load_config(CONFIG)
    assert loaded.settings.payment.timeout_ms == 20000
    assert loaded.settings.database.pool.max_connections == 50
    assert loaded.settings.lambda_.safety_margin_ms == 2000
    assert loaded.warnings == ()
    assert loaded.path == str(CONFIG)


def test_settings_are_immutable() -> None:
    settings = parse_config(text()).settings
    with pytest.raises(pydantic.ValidationError):
        settings.payment.timeout_ms = 5000  # type: ignore[misc]


def test_loaded_config_is_immutable() -> None:
    loaded = parse_config(text())
    with pytest.raises(AttributeError):
        loaded.fingerprint = "0" * 64  # type: ignore[misc]


def test_warnings_come_with_a_valid_config() -> None:
    loaded = parse_config(text({"payment/circuit_breaker/enabled": False}))
    (warning,) = loaded.warnings
    assert (warning.rule, warning.severity, warning.pointer) == (
        "circuit-breaker-enabled",
        "warning",
        "/payment/circuit_breaker/enabled",
    )
    assert warning.message.startswith("payment circuit_breaker enabled is false:")


def test_integer_valued_float_is_an_integer_setting() -> None:
    loaded = parse_config(text().replace('"timeout_ms": 20000', '"timeout_ms": 20000.0'))
    assert loaded.settings.payment.timeout_ms == 20000
    assert isinstance(loaded.settings.payment.timeout_ms, int)


def test_schema_hint_is_accepted_fingerprinted_and_no_setting() -> None:
    without_hint = {key: value for key, value in read_document().items() if key != "$schema"}
    with_hint = parse_config(json.dumps({"$schema": "./timeout.schema.json", **without_hint}))
    assert "schema" not in type(with_hint.settings).model_fields
    assert with_hint.settings == parse_config(json.dumps(without_hint)).settings
    assert with_hint.fingerprint != parse_config(json.dumps(without_hint)).fingerprint


def test_source_names_the_loaded_config() -> None:
    assert parse_config(text(), "inline").path == "inline"
