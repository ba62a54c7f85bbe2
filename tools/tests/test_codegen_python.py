"""The Python emitter: the committed binding is current, and `--check` notices when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.codegen import __main__ as codegen
from tools.codegen import emit_python
from tools.codegen.model import SCHEMA_PATH, Schema, load_schema
from tools.configlint.rules import Cmp, Const, Ref, Rule

MODELS = f"{emit_python.PACKAGE_DIR}/timeout_config.py"


def schema_with(tmp_path: Path, old: str, new: str) -> Schema:
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert text.count(old) == 1
    copy = tmp_path / "timeout.schema.json"
    copy.write_text(text.replace(old, new), encoding="utf-8")
    return load_schema(copy)


def test_committed_python_binding_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert codegen.main(["--only", "python", "--check"]) == 0
    assert "0 stale" in capsys.readouterr().out


def test_check_names_files_made_stale_by_a_schema_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = schema_with(tmp_path, "Maximum open connections in the pool.", "Most connections the pool opens.")
    monkeypatch.setattr(codegen, "load_schema", lambda: changed)
    assert codegen.main(["--only", "python", "--check"]) == 1
    assert f"stale: {MODELS}" in capsys.readouterr().err
    assert 'description="Most connections the pool opens."' in emit_python.emit(changed)[MODELS]


def test_new_schema_bound_reaches_the_model(tmp_path: Path) -> None:
    changed = schema_with(tmp_path, '"maximum": 10000,', '"maximum": 20000,')
    models = emit_python.emit(changed)[MODELS]
    assert "max_connections: int = Field(ge=1, le=20000," in models
    compile(models, MODELS, "exec")


def test_output_is_deterministic() -> None:
    assert emit_python.emit(load_schema()) == emit_python.emit(load_schema())


def test_every_file_starts_with_the_generated_header() -> None:
    schema = load_schema()
    for path, text in emit_python.emit(schema).items():
        assert text.splitlines()[:3] == [
            "# generated from config/timeout.schema.json — do not edit",
            "# regenerate: nox -s codegen",
            f"# schema-sha256: {schema.sha256}",
        ], path


def test_lint_rule_on_an_unknown_setting_fails_codegen(monkeypatch: pytest.MonkeyPatch) -> None:
    typo = Rule("typo", "error", "/payment/timeout", Cmp(Ref("/payment/timeout"), ">", Const(0)), "x")
    monkeypatch.setattr(emit_python, "RULES", (typo,))
    with pytest.raises(ValueError, match="/payment/timeout names no setting of PaymentSettings"):
        emit_python.emit(load_schema())
