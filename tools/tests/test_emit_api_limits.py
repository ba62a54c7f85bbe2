"""config/api-limits.json → constants in Python, TypeScript and Java: current, checked, one table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checkout_payments.generated import api_limits
from tools.codegen import __main__ as codegen
from tools.codegen import emit_api_limits
from tools.codegen.emit_api_limits import JAVA_FILE, LIMITS_PATH, LIMITS_SCHEMA_PATH, PYTHON_FILE, TS_FILE
from tools.codegen.model import load_schema


def limits() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(LIMITS_PATH.read_text(encoding="utf-8"))
    return document


def emit_from(tmp_path: Path, document: dict[str, Any]) -> dict[str, str]:
    path = tmp_path / "api-limits.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return emit_api_limits.emit(load_schema(), path)


def test_committed_constants_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert codegen.main(["--only", "api_limits", "--check"]) == 0
    assert "0 stale" in capsys.readouterr().out


def test_python_constants_are_the_contract_values() -> None:
    assert api_limits.idempotency_key_max_length == 255
    assert api_limits.order_id_max_length == 64
    assert api_limits.customer_id_max_length == 64
    assert api_limits.payment_token_max_length == 255
    assert api_limits.amount_minor_max == 1_000_000_000_000
    assert (api_limits.currencies["EUR"], api_limits.currencies["JPY"], api_limits.currencies["KWD"]) == (2, 0, 3)


def test_currency_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        api_limits.currencies["EUR"] = 3  # type: ignore[index]


def test_no_fund_metal_or_test_code_is_a_currency() -> None:
    for code in ("XAU", "XAG", "XPT", "XPD", "XDR", "XSU", "XUA", "XTS", "XXX"):
        assert code not in api_limits.currencies


def test_every_language_carries_every_currency() -> None:
    files = emit_api_limits.emit(load_schema())
    for code, digits in limits()["currencies"].items():
        assert f'        "{code}": {digits},' in files[PYTHON_FILE]
        assert f"    {code}: {digits}," in files[TS_FILE]
        assert f'Map.entry("{code}", {digits})' in files[JAVA_FILE]


def test_java_uses_long_only_where_int_is_too_small() -> None:
    java = emit_api_limits.emit(load_schema())[JAVA_FILE]
    assert "public static final int IDEMPOTENCY_KEY_MAX_LENGTH = 255;" in java
    assert "public static final long AMOUNT_MINOR_MAX = 1000000000000L;" in java
    assert "public static final Map<String, Integer> CURRENCIES = Map.ofEntries(" in java


def test_typescript_exports_api_limits_from_the_generated_index() -> None:
    files = emit_api_limits.emit(load_schema())
    assert "export const API_LIMITS: ApiLimits = Object.freeze({" in files[TS_FILE]
    assert "  amountMinorMax: 1000000000000," in files[TS_FILE]
    index = (LIMITS_PATH.parents[1] / "node/packages/core/src/generated/index.ts").read_text(encoding="utf-8")
    assert 'export { API_LIMITS } from "./apiLimits.js";' in index


def test_limits_the_schema_refuses_fail_codegen(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"config/api-limits\.json/order_id_max_length: 0 is less than"):
        emit_from(tmp_path, {**limits(), "order_id_max_length": 0})
    with pytest.raises(ValueError, match=r"config/api-limits\.json/currencies"):
        emit_from(tmp_path, {**limits(), "currencies": {"EUR": 2, "eur": 2}})


def test_changed_limit_makes_every_binding_stale(tmp_path: Path) -> None:
    files = emit_from(tmp_path, {**limits(), "order_id_max_length": 128})
    assert "order_id_max_length: Final = 128" in files[PYTHON_FILE]
    assert "  orderIdMaxLength: 128," in files[TS_FILE]
    assert "ORDER_ID_MAX_LENGTH = 128;" in files[JAVA_FILE]
    current = emit_api_limits.emit(load_schema())
    assert all(files[name] != current[name] for name in files)


def test_schema_describes_every_limit() -> None:
    schema = json.loads(LIMITS_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert set(schema["required"]) == set(limits()) - {"$schema"}
    assert all(schema["properties"][name]["description"] for name in schema["required"])
