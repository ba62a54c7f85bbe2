"""The conformance driver's kernel vector suite: dispatch by topic, the vector CLIs' lines, the matrix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tools.conformance.__main__ import SUITES, assign, main
from tools.conformance.cases import CONTRACTS_DIR, TOPICS, CaseFile
from tools.conformance.compare import Cell, VectorVerdict, judge_vector
from tools.conformance.languages import VECTOR_CLIS, VectorCli
from tools.conformance.vector_suite import VectorSuite

BACKOFF: dict[str, Any] = {
    "id": "backoff-driver",
    "description": "the first retry waits base plus half the jitter",
    "topic": "backoff",
    "settings": {
        "max_attempts": 3,
        "base_delay_ms": 2000,
        "backoff_multiplier": 2.0,
        "jitter_ms": 500,
        "max_delay_ms": 8000,
    },
    "cases": [{"retry": 1, "u": 0.5, "expect": {"delay_ms": 2250}}],
}


def write_vector(directory: Path, vector_id: str, delay_ms: int) -> Path:
    vector = {**BACKOFF, "id": vector_id, "cases": [{"retry": 1, "u": 0.5, "expect": {"delay_ms": delay_ms}}]}
    path = directory / f"{vector_id}.json"
    path.write_text(json.dumps(vector), encoding="utf-8")
    return path


def run_driver(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.conformance", *args],
        cwd=CONTRACTS_DIR.parents[1],
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_directories_the_driver_runs_every_config_case_and_vector_in_python() -> None:
    done = run_driver("--languages", "python")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    vectors = sum(1 for topic in TOPICS for _ in (CONTRACTS_DIR / topic).glob("*.json"))
    assert f"vectors: {vectors} vectors × python" in done.stdout
    assert "config: " in done.stdout
    assert done.stdout.rstrip().endswith(" passed, 0 failed")


def test_files_with_a_topic_go_to_the_vector_suite() -> None:
    vector = CaseFile(Path("v.json"), {"id": "v", "topic": "breaker"})
    config_case = CaseFile(Path("c.json"), {"id": "c", "document": {}})
    unknown = CaseFile(Path("u.json"), {"id": "u", "topic": "retry"})
    grouped, problems = assign([vector, config_case, unknown])
    assert grouped == {"config": [config_case], "vectors": [vector]}
    assert problems == [
        "u.json: no suite runs a file with id, topic (config cases have document/document_text, kernel vectors a topic)"
    ]


def test_a_vector_result_line_is_read_strictly() -> None:
    assert VectorVerdict.from_json({"id": "a", "pass": False, "mismatches": ["x"]}) == VectorVerdict("a", False, ("x",))
    for line, problem in [
        ([], "a vector result is a JSON object"),
        ({"id": "a", "pass": True}, "vector result lacks mismatches"),
        ({"id": "a", "pass": "yes", "mismatches": []}, "pass is a boolean"),
        ({"id": "a", "pass": True, "mismatches": ["x"]}, "pass must be true exactly when mismatches is empty"),
        ({"id": "a", "pass": False, "mismatches": []}, "pass must be true exactly when mismatches is empty"),
    ]:
        with pytest.raises(ValueError, match=problem):
            VectorVerdict.from_json(line)


def test_each_language_is_judged_by_its_own_mismatches() -> None:
    cells = judge_vector(
        {"python": VectorVerdict("v", True, ()), "node": VectorVerdict("v", False, ("delay_ms is 1",)), "java": None}
    )
    assert cells == {"python": Cell(), "node": Cell(("delay_ms is 1",)), "java": Cell(("no result",))}


def test_a_missing_vector_cli_names_its_build_command() -> None:
    cli = VectorCli("node", ("python3",), CONTRACTS_DIR / "absent.js", "npm --prefix node run build")
    assert cli.missing() == "node: tests/contracts/absent.js is missing; build it with `npm --prefix node run build`"
    broken = VectorCli("python", (sys.executable, "-m", "no_such_package.cli"), None, "pip install x")
    assert broken.missing() == "python: module no_such_package.cli cannot be imported; install it with `pip install x`"
    assert VECTOR_CLIS["python"].missing() is None


def test_the_driver_stops_with_status_2_when_a_vector_cli_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vector(tmp_path, "backoff-driver", 2250)
    suite = next(s for s in SUITES if isinstance(s, VectorSuite))
    absent = VectorCli("python", ("python3",), tmp_path / "vectorCli.js", "build it")
    monkeypatch.setattr(suite, "clis", {"python": absent})
    assert main([str(tmp_path), "--languages", "python"]) == 2
    assert "cannot run every language:\n  vectors: python: " in capsys.readouterr().err


def test_a_malformed_vector_is_a_problem_not_a_run(tmp_path: Path) -> None:
    path = write_vector(tmp_path, "backoff-driver", 2250)
    path.rename(tmp_path / "other-name.json")
    done = run_driver(str(tmp_path), "--languages", "python")
    assert done.returncode == 1
    assert "id 'backoff-driver' differs from the file name" in done.stdout


def test_the_driver_runs_vectors_outside_the_repo_and_fails_a_wrong_expectation(tmp_path: Path) -> None:
    write_vector(tmp_path, "backoff-right", 2250)
    write_vector(tmp_path, "backoff-wrong", 2251)
    done = run_driver(str(tmp_path), "--languages", "python")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ["vectors: 2 vectors × python", "vector         python", "backoff-right  ✓"]
    assert lines[3:6] == [
        "backoff-wrong  ✗",
        "    python: case 1 (retry 1, u 0.5): delay_ms is 2250, expected 2251",
        "passed         1/2",
    ]
    assert done.stdout.rstrip().endswith("conformance: 1 passed, 1 failed")
