"""The schema model: local `$ref`s give one shared type in every binding, and unknown keywords fail codegen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from checkout_payments.generated import PoolSettings, TimeoutConfig
from tools.codegen import emit_java, emit_python, emit_typescript
from tools.codegen.model import SCHEMA_PATH, Schema, SchemaError, load_schema
from tools.conformance.config_cases import BASE, changed

MODELS = f"{emit_python.PACKAGE_DIR}/timeout_config.py"
TS_CONFIG = f"{emit_typescript.OUT_DIR}/timeoutConfig.ts"
JAVA_CONFIG = f"{emit_java.OUT_DIR}/TimeoutConfig.java"


def schema_from(tmp_path: Path, document: dict[str, Any]) -> Schema:
    path = tmp_path / "timeout.schema.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return load_schema(path)


def repo_schema() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return document


def test_both_pools_are_one_type() -> None:
    database = load_schema().type_named("DatabaseSettings")
    assert [(f.json_name, f.ref) for f in database.fields] == [
        ("pool", "PoolSettings"),
        ("gateway_pool", "PoolSettings"),
    ]
    assert [t.name for t in load_schema().types].count("PoolSettings") == 1


def test_each_field_keeps_its_own_description() -> None:
    pool, gateway_pool = load_schema().type_named("DatabaseSettings").fields
    assert "order service" in pool.description
    assert "gateway" in gateway_pool.description


def test_shared_type_is_emitted_once_in_every_language() -> None:
    schema = load_schema()
    assert emit_python.emit(schema)[MODELS].count("class PoolSettings(") == 1
    assert emit_typescript.emit(schema)[TS_CONFIG].count("export interface PoolSettings {") == 1
    java = emit_java.emit(schema)[JAVA_CONFIG]
    assert java.count("public record PoolSettings(") == 1
    assert '@JsonProperty("gateway_pool") PoolSettings gatewayPool' in java


def test_settings_walk_reaches_the_shared_type_under_each_field() -> None:
    pointers = dict(load_schema().settings())
    assert pointers["/database/pool/max_connections"] == pointers["/database/gateway_pool/max_connections"]
    assert "/gateway/idempotency/lease_ms" in pointers
    assert "/fleet/database_max_connections" in pointers


def test_python_binding_types_the_gateway_pool() -> None:
    settings = TimeoutConfig.model_validate(changed({}))
    assert isinstance(settings.database.gateway_pool, PoolSettings)
    assert settings.database.gateway_pool.max_connections == 10


@pytest.mark.parametrize("keyword", ["exclusiveMaximum", "multipleOf", "enum", "default", "format"])
def test_untranslated_scalar_keyword_fails_codegen_naming_pointer_and_keyword(tmp_path: Path, keyword: str) -> None:
    document = repo_schema()
    document["properties"]["lambda"]["properties"]["safety_margin_ms"][keyword] = 1
    with pytest.raises(SchemaError, match=f"#/properties/lambda/properties/safety_margin_ms: keyword '{keyword}'"):
        schema_from(tmp_path, document)


def test_untranslated_keyword_inside_a_definition_names_the_definition(tmp_path: Path) -> None:
    document = repo_schema()
    document["$defs"]["PoolSettings"]["minProperties"] = 1
    with pytest.raises(SchemaError, match="#/\\$defs/PoolSettings: keyword 'minProperties'"):
        schema_from(tmp_path, document)


def test_keyword_next_to_a_ref_fails_codegen(tmp_path: Path) -> None:
    document = repo_schema()
    document["properties"]["database"]["properties"]["gateway_pool"]["maxProperties"] = 3
    with pytest.raises(SchemaError, match="gateway_pool: keyword 'maxProperties'"):
        schema_from(tmp_path, document)


def test_open_object_fails_codegen(tmp_path: Path) -> None:
    document = repo_schema()
    document["properties"]["fleet"]["additionalProperties"] = True
    with pytest.raises(SchemaError, match="#/properties/fleet/additionalProperties: must be false"):
        schema_from(tmp_path, document)


@pytest.mark.parametrize(
    ("ref", "error"),
    [
        ("other.json#/$defs/PoolSettings", "is not a local reference"),
        ("#/$defs/Missing", "points at nothing"),
        ("#/properties/version", "is not an object type"),
    ],
)
def test_bad_ref_fails_codegen(tmp_path: Path, ref: str, error: str) -> None:
    document = repo_schema()
    document["properties"]["database"]["properties"]["gateway_pool"]["$ref"] = ref
    with pytest.raises(SchemaError, match=f"gateway_pool/\\$ref: .*{error}"):
        schema_from(tmp_path, document)


def test_one_title_defined_twice_fails_codegen(tmp_path: Path) -> None:
    document = repo_schema()
    copy = json.loads(json.dumps(document["$defs"]["PoolSettings"]))
    document["properties"]["database"]["properties"]["gateway_pool"] = {**copy, "description": "a second copy"}
    with pytest.raises(SchemaError, match="type PoolSettings is defined twice"):
        schema_from(tmp_path, document)


def test_unused_definition_fails_codegen(tmp_path: Path) -> None:
    document = repo_schema()
    document["$defs"]["Spare"] = document["$defs"]["PoolSettings"]
    with pytest.raises(SchemaError, match="#/\\$defs/Spare: no field uses this definition"):
        schema_from(tmp_path, document)


def test_version_string_constraints_reach_the_model() -> None:
    version = next(f for f in load_schema().root.fields if f.json_name == "version")
    assert (version.min_length, version.max_length) == (1, 64)
    models = emit_python.emit(load_schema())[MODELS]
    assert f"pattern={json.dumps(version.pattern)}" in models
    assert 'regex_engine="python-re"' in models


@pytest.mark.parametrize("version", ["", "v" + "1" * 64, "-rc1", "fix 2", "fix2\n"])
def test_model_built_by_hand_refuses_what_the_schema_refuses(version: str) -> None:
    with pytest.raises(ValidationError, match="version"):
        TimeoutConfig.model_validate({**BASE, "version": version})


def test_typescript_doc_shows_the_string_constraints() -> None:
    ts = emit_typescript.emit(load_schema())[TS_CONFIG]
    assert "@remarks string of 1..64 characters, matching the pattern" in ts
