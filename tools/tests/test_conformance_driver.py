"""The conformance driver's judgement: each verdict against the case, and the languages against each other."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tools.conformance.__main__ import assign
from tools.conformance.cases import REPO, CaseFile
from tools.conformance.compare import Cell, Expectation, Verdict, judge
from tools.conformance.languages import ValidatorCli
from tools.conformance.report import Row, SuiteResult, render

FP_A = "a" * 64
FP_B = "b" * 64


def verdict(
    valid: bool, errors: tuple[str, ...] = (), warnings: tuple[str, ...] = (), fp: str | None = None
) -> Verdict:
    return Verdict("case", valid, frozenset(errors), frozenset(warnings), fp)


def expect(valid: bool, errors: tuple[str, ...] = (), warnings: tuple[str, ...] | None = ()) -> Expectation:
    return Expectation(valid, frozenset(errors), None if warnings is None else frozenset(warnings))


def test_agreeing_verdicts_pass() -> None:
    cells = judge(expect(True), {"python": verdict(True, fp=FP_A), "node": verdict(True, fp=FP_A)})
    assert cells == {"python": Cell(), "node": Cell()}


def test_wrong_validity_and_pointers_are_named() -> None:
    cells = judge(expect(False, ("/payment/timeout_ms",)), {"java": verdict(False, ("/payment",))})
    assert cells["java"].reasons == ("errors: missing [/payment/timeout_ms]", "errors: unexpected [/payment]")
    cells = judge(expect(False, ("",)), {"node": verdict(True, fp=FP_A)})
    assert cells["node"].reasons == ("valid is true, expected false", "errors: missing ['']")


def test_expected_warnings_are_compared_as_sets() -> None:
    cells = judge(expect(True, warnings=("/a", "/b")), {"python": verdict(True, warnings=("/b", "/a"), fp=FP_A)})
    assert cells["python"].ok
    cells = judge(expect(True, warnings=("/a",)), {"python": verdict(True, fp=FP_A)})
    assert cells["python"].reasons == ("warnings: missing [/a]",)


def test_differing_fingerprints_fail_every_valid_language() -> None:
    cells = judge(
        expect(True), {"python": verdict(True, fp=FP_A), "node": verdict(True, fp=FP_A), "java": verdict(True, fp=FP_B)}
    )
    assert all(not cell.ok for cell in cells.values())
    assert "fingerprints differ across languages" in cells["python"].reasons[0]


def test_unpinned_warnings_must_agree_across_languages() -> None:
    verdicts = {"python": verdict(True, warnings=("/a",), fp=FP_A), "node": verdict(True, fp=FP_A)}
    assert all(cell.ok for cell in judge(expect(True, warnings=("/a",)), {"python": verdicts["python"]}).values())
    cells = judge(expect(True, warnings=None), verdicts)
    assert cells["node"].reasons == ("warnings differ across languages: python [/a]; node []",)


def test_fingerprint_must_be_hex_when_valid_and_null_when_invalid() -> None:
    assert judge(expect(True), {"python": verdict(True, fp="ABC")})["python"].reasons == (
        "fingerprint 'ABC' is not 64 lowercase hex digits",
    )
    assert judge(expect(False, ("",)), {"python": verdict(False, ("",), fp=FP_A)})["python"].reasons == (
        "an invalid document has a fingerprint (expected null)",
    )


def test_missing_verdict_fails() -> None:
    assert judge(expect(True), {"java": None})["java"].reasons == ("no verdict",)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ([], "a verdict is a JSON object"),
        ({"id": "x", "valid": True}, "verdict lacks errors, fingerprint, warnings"),
        ({"id": "x", "valid": "yes", "errors": [], "warnings": [], "fingerprint": None}, "valid is a boolean"),
        ({"id": "x", "valid": True, "errors": [], "warnings": [], "fingerprint": 1}, "fingerprint is a string"),
    ],
)
def test_malformed_verdict_lines_are_refused(line: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Verdict.from_json(line)


def test_files_are_assigned_by_shape_and_unknown_shapes_are_reported() -> None:
    config_case = CaseFile(Path("a.json"), {"id": "a", "document": {}})
    vector = CaseFile(Path("b.json"), {"id": "b", "steps": []})
    grouped, problems = assign([config_case, vector])
    assert grouped == {"config": [config_case]}
    assert problems == [
        "b.json: no suite runs a file with id, steps (config cases have document/document_text, kernel vectors a topic)"
    ]


def test_missing_cli_names_its_build_command() -> None:
    node = ValidatorCli("node", ("python3",), REPO / "node" / "absent.js", "npm --prefix node run build")
    assert node.missing() == "node: node/absent.js is missing; build it with `npm --prefix node run build`"
    assert ValidatorCli("x", ("no-such-tool-here",), None, "b").missing() == "x: `no-such-tool-here` is not on PATH"
    assert ValidatorCli("python", (sys.executable,), None, "pip install").missing() is None


def test_matrix_shows_marks_reasons_and_totals() -> None:
    result = SuiteResult("config", ["python", "node"])
    result.rows.append(Row("ok-case", {"python": Cell(), "node": Cell()}))
    result.rows.append(Row("bad-case", {"python": Cell(), "node": Cell(("no verdict",))}))
    assert render(result).splitlines() == [
        "config: 2 cases × python, node",
        "case      python  node",
        "ok-case   ✓       ✓",
        "bad-case  ✓       ✗",
        "    node: no verdict",
        "passed    2/2     1/2",
        "config: 3 passed, 1 failed",
    ]


def write_case(directory: Path, case_id: str, document: Any, valid: bool, errors: list[str]) -> None:
    body = {
        "id": case_id,
        "description": "driver test",
        "document": document,
        "expect": {"valid": valid, "errors": errors, "warnings": []},
    }
    (directory / f"{case_id}.json").write_text(json.dumps(body), encoding="utf-8")


def test_driver_runs_cases_outside_the_repo_and_fails_on_a_wrong_expectation(tmp_path: Path) -> None:
    write_case(tmp_path, "right", [], False, [""])
    write_case(tmp_path, "wrong", {}, True, [])
    done = subprocess.run(
        [sys.executable, "-m", "tools.conformance", str(tmp_path), "--languages", "python"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "right   ✓" in done.stdout
    assert "wrong   ✗" in done.stdout
    assert "    python: valid is false, expected true" in done.stdout
    assert done.stdout.rstrip().endswith("conformance: 1 passed, 1 failed")
