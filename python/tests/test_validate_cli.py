"""The validator CLI of config/LOADING.md: one verdict line per case file, in order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from config_documents import read_document, text

from checkout_payments.config.validate_cli import main


def write_case(directory: Path, case_id: str, **body: object) -> Path:
    path = directory / f"{case_id}.json"
    path.write_text(json.dumps({"id": case_id, "description": "test", **body}), encoding="utf-8")
    return path


def test_prints_one_verdict_per_case_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        write_case(tmp_path, "b-valid", document=read_document()),
        write_case(tmp_path, "a-invalid", document_text=text({"payment/timeout_ms": 5000})),
        write_case(tmp_path, "c-warning", document_text=text({"payment/retry/jitter_ms": 0})),
    ]
    assert main([str(f) for f in files]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["b-valid", "a-invalid", "c-warning"]
    assert lines[0]["valid"] is True
    assert len(lines[0]["fingerprint"]) == 64
    assert lines[1] == {
        "id": "a-invalid",
        "valid": False,
        "errors": ["/payment/timeout_ms"],
        "warnings": [],
        "fingerprint": None,
    }
    assert lines[2]["warnings"] == ["/payment/retry/jitter_ms"]


def test_errors_are_sorted_unique_pointers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = write_case(tmp_path, "several", document_text=text({"version": "", "payment/timeout_ms": 0}))
    main([str(case)])
    assert json.loads(capsys.readouterr().out)["errors"] == ["/payment/timeout_ms", "/version"]


def test_unreadable_case_file_exits_2_after_the_other_verdicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_case(tmp_path, "good", document=read_document())
    assert main([str(tmp_path / "absent.json"), str(good)]) == 2
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["good"]
    assert "absent.json" in captured.err


def test_runs_as_a_module(tmp_path: Path) -> None:
    case = write_case(tmp_path, "module", document_text="{")
    done = subprocess.run(
        [sys.executable, "-m", "checkout_payments.config.validate_cli", str(case)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout) == {
        "id": "module",
        "valid": False,
        "errors": [""],
        "warnings": [],
        "fingerprint": None,
    }
