"""The generated binding: models that hold their bounds, the alias for `lambda`, the schema copy."""

from __future__ import annotations

import hashlib
import json

import pydantic
import pytest
from config_documents import REPO, read_document
from jsonschema import Draft202012Validator

from checkout_payments.generated import SCHEMA_SHA256, SCHEMA_TEXT, LambdaSettings, RetrySettings, TimeoutConfig


def test_schema_copy_is_the_schema_file() -> None:
    assert (REPO / "config" / "timeout.schema.json").read_text(encoding="utf-8") == SCHEMA_TEXT
    assert hashlib.sha256(SCHEMA_TEXT.encode("utf-8")).hexdigest() == SCHEMA_SHA256


def test_schema_copy_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_TEXT))


def test_lambda_settings_are_reachable_by_alias_and_by_name() -> None:
    settings = {key: value for key, value in read_document().items() if key != "$schema"}
    by_alias = TimeoutConfig.model_validate(settings)
    renamed = {("lambda_" if key == "lambda" else key): value for key, value in settings.items()}
    assert TimeoutConfig.model_validate(renamed) == by_alias
    assert by_alias.lambda_.safety_margin_ms == 2000
    assert by_alias.model_dump(by_alias=True)["lambda"] == {"safety_margin_ms": 2000}


def test_model_built_by_hand_is_held_to_the_schema_bounds() -> None:
    with pytest.raises(pydantic.ValidationError, match="greater than or equal to 1"):
        LambdaSettings(safety_margin_ms=0)
    with pytest.raises(pydantic.ValidationError, match="less than or equal to 10"):
        RetrySettings(max_attempts=11, base_delay_ms=1, backoff_multiplier=1, jitter_ms=0, max_delay_ms=1)


def test_unknown_field_is_forbidden() -> None:
    with pytest.raises(pydantic.ValidationError, match="extra"):
        LambdaSettings.model_validate({"safety_margin_ms": 1, "extra": 1})


def test_field_description_is_the_schema_description() -> None:
    field = RetrySettings.model_fields["jitter_ms"]
    assert field.description == (
        "Upper bound (exclusive) of the random delay added to every backoff, in milliseconds; 0 disables jitter."
    )
