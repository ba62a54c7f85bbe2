"""`python -m tools.configlint`: a readable report, and the incident config flagged at its timeout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.configlint.__main__ import main
from tools.configlint.duplicates import duplicate_keys
from tools.conformance.cases import REPO

CONFIG = REPO / "config" / "timeout.json"
PRE_INCIDENT = REPO / "config" / "examples" / "pre-incident.json"


def test_repo_config_passes_with_its_key_settings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CONFIG)]) == 0
    out = capsys.readouterr().out
    assert "config/timeout.json: OK (0 errors, 0 warnings)" in out
    for expected in ("fingerprint", "20000 ms per attempt", "50 connections", "x2 per retry", "enabled: opens after 5"):
        assert expected in out


def test_pre_incident_config_is_refused_at_its_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(PRE_INCIDENT)]) == 1
    out = capsys.readouterr().out
    assert "REFUSED (INVALID_CONFIG, 1 error, 3 warnings)" in out
    assert "error    payment-timeout-covers-p99       /payment/timeout_ms" in out
    assert "warning  circuit-breaker-enabled" in out


def test_expect_error_passes_when_the_error_is_found(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(PRE_INCIDENT), "--expect-error", "/payment/timeout_ms"]) == 0
    assert "expected error at /payment/timeout_ms: found" in capsys.readouterr().out


def test_expect_error_fails_when_the_error_is_elsewhere(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(PRE_INCIDENT), "--expect-error", "/payment/deadline_ms"]) == 1
    assert "expected error at /payment/deadline_ms: missing" in capsys.readouterr().out


def test_expect_error_fails_on_a_valid_file() -> None:
    assert main([str(CONFIG), "--expect-error", "/payment/timeout_ms"]) == 1


def test_any_refused_file_fails_the_run(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main([str(CONFIG), str(broken)]) == 1


def test_default_file_is_the_repo_config() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tools.configlint"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("config/timeout.json: OK")


def test_deny_warnings_refuses_a_config_that_only_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    held = tmp_path / "held.json"
    document = json.loads(CONFIG.read_text(encoding="utf-8"))
    document["order_service"]["legacy_hold_connection_during_payment"] = True
    held.write_text(json.dumps(document), encoding="utf-8")
    assert main([str(held)]) == 0, "the replay-only switch is a warning: the replay bench may load it"
    capsys.readouterr()
    assert main([str(held), "--deny-warnings"]) == 1
    out = capsys.readouterr().out
    assert "REFUSED (--deny-warnings, 0 errors, 1 warning)" in out
    assert "warning  legacy-hold-connection-off" in out


def test_deny_warnings_passes_the_repo_config() -> None:
    assert main([str(CONFIG), "--deny-warnings"]) == 0


def with_duplicate_timeout(tmp_path: Path, *, second: str = "20000") -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    assert text.count('"timeout_ms": 20000,') == 1
    twice = tmp_path / "twice.json"
    twice.write_text(
        text.replace('"timeout_ms": 20000,', f'"timeout_ms": 5000, "timeout_ms": {second},'), encoding="utf-8"
    )
    return twice


def test_duplicate_key_is_refused_at_its_pointer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice = with_duplicate_timeout(tmp_path)
    assert main([str(twice)]) == 1, "a duplicate key is refused, never the last value taken"
    out = capsys.readouterr().out
    assert "REFUSED (duplicate keys, 1 error, 0 warnings)" in out
    assert "error    duplicate-key                    /payment/timeout_ms" in out
    assert "appears 2 times in one object (values 5000, 20000)" in out


def test_duplicate_key_counts_as_an_expected_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(with_duplicate_timeout(tmp_path)), "--expect-error", "/payment/timeout_ms"]) == 0
    assert "expected error at /payment/timeout_ms: found" in capsys.readouterr().out


def test_duplicate_key_is_refused_before_the_schema_sees_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Like a parse error (config/LOADING.md): which of the two values the schema would judge is the ambiguity.
    assert main([str(with_duplicate_timeout(tmp_path, second="0"))]) == 1
    out = capsys.readouterr().out
    assert "REFUSED (duplicate keys, 1 error" in out
    assert "duplicate-key" in out
    assert "minimum" not in out


@pytest.mark.parametrize(
    ("text", "pointers"),
    [
        ('{"a": 1, "a": 2}', ["/a"]),
        ('{"a": {"b": 1, "b": 1}}', ["/a/b"]),
        ('{"x/y": [{"~": 1, "~": 2}], "x/y": 3}', ["/x~1y", "/x~1y/0/~0"]),
        ('{"a": 1, "b": {"a": 2}}', []),
        ("{", []),
    ],
)
def test_duplicate_keys_are_named_by_json_pointer(text: str, pointers: list[str]) -> None:
    assert [found.pointer for found in duplicate_keys(text)] == pointers
