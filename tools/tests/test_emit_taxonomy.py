"""config/taxonomy.json → the §6 table and §7 roles in Python, TypeScript, Java and SEMANTICS.md: one source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checkout_payments.resilience import TAXONOMY, ErrorClass, Outcome, Role
from checkout_payments.resilience.role import RETRIED
from tools.codegen import __main__ as codegen
from tools.codegen import emit_taxonomy
from tools.codegen.emit_taxonomy import TAXONOMY_PATH
from tools.codegen.model import load_schema


def taxonomy() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    return document


def emit_from(tmp_path: Path, document: dict[str, Any]) -> dict[str, str]:
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return emit_taxonomy.emit(load_schema(), path)


def test_committed_tables_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert codegen.main(["--only", "taxonomy", "--check"]) == 0
    assert "0 stale" in capsys.readouterr().out


def test_the_kernel_enums_are_the_document_rows() -> None:
    document = taxonomy()
    assert [c.value for c in ErrorClass] == [row["class"] for row in document["classes"]]
    assert [o.value for o in Outcome] == [row["outcome"] for row in document["outcomes"]]
    for row in document["classes"]:
        traits = TAXONOMY[ErrorClass(row["class"])]
        breaker = None if traits.breaker is None else traits.breaker.value
        assert (breaker, traits.retryable, traits.http_status) == (row["breaker"], row["retryable"], row["http_status"])
    assert {role.value: sorted(RETRIED[role]) for role in Role} == {
        row["role"]: sorted(row["retried"]) for row in document["roles"]
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["roles"][0]["retried"].append("NO_SUCH_CLASS"), "not classes of the table"),
        (lambda d: d["classes"].append(dict(d["classes"][0])), "listed twice"),
        (lambda d: d["classes"][0].update(breaker="success-ish"), "classes/0/breaker"),
        (lambda d: d["classes"][0].update(extra=1), "Additional properties"),
        (lambda d: d["classes"][0].update(http_status=99), "classes/0/http_status"),
    ],
)
def test_codegen_refuses_a_broken_table(tmp_path: Path, change: Any, message: str) -> None:
    document = taxonomy()
    change(document)
    with pytest.raises(ValueError, match=message):
        emit_from(tmp_path, document)


def test_a_changed_row_reaches_every_language_and_the_spec(tmp_path: Path) -> None:
    document = taxonomy()
    document["classes"][0]["http_status"] = 599
    files = emit_from(tmp_path, document)
    assert "ErrorClass.TIMEOUT: ClassTraits(Outcome.FAILURE, True, 599)" in files[emit_taxonomy.PYTHON_FILE]
    assert (
        'TIMEOUT: Object.freeze({ breaker: "failure", retryable: true, httpStatus: 599 })'
        in files[emit_taxonomy.TS_FILE]
    )
    assert 'new ClassRow("TIMEOUT", "failure", true, 599)' in files[emit_taxonomy.JAVA_FILE]
    assert "| failure | yes | 599 |" in files[emit_taxonomy.SEMANTICS_FILE]
