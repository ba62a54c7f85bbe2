"""Sanity of the config conformance cases: well-formed, uniquely named, current, and covering every rule."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tools.codegen.model import load_schema
from tools.configlint.rules import RULES
from tools.conformance import config_cases
from tools.conformance.cases import CONFIG_CASES_DIR, discover
from tools.conformance.config_suite import CASE_SCHEMA, case_problems

CASES = discover([CONFIG_CASES_DIR])


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 45


def test_case_schema_is_a_valid_schema() -> None:
    Draft202012Validator.check_schema(json.loads(CASE_SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.path.name)
def test_case_matches_the_case_schema_and_its_file_name(case: Any) -> None:
    assert case_problems(case) == []


def test_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


def test_committed_cases_are_what_the_generator_writes(capsys: pytest.CaptureFixture[str]) -> None:
    assert config_cases.main(["--check"]) == 0, capsys.readouterr().err


def test_case_problems_catch_a_bad_case(tmp_path: Any) -> None:
    bad = tmp_path / "renamed.json"
    bad.write_text(
        json.dumps(
            {
                "id": "other",
                "description": "x",
                "document": {},
                "document_text": "{}",
                "expect": {"valid": True, "errors": ["/x"]},
            }
        ),
        encoding="utf-8",
    )
    problems = case_problems(discover([tmp_path])[0])
    assert any("differs from the file name" in p for p in problems)
    assert len(problems) >= 3  # both document forms, errors on a valid case, the id


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_lint_rule_fires_in_some_case(rule: Any) -> None:
    key = "errors" if rule.severity == "error" else "warnings"
    firing = [c.id for c in CASES if c.id.startswith("lint-") and rule.pointer in c.data["expect"].get(key, [])]
    assert firing, f"no lint- case expects {rule.id} at {rule.pointer}"


def test_every_setting_has_a_case_past_its_bound() -> None:
    schema = load_schema()
    # Every instance pointer: a shared type ($ref) is bounded under each field that uses it.
    bounded = [p for p, f in schema.settings() if f.minimum is not None or f.exclusive_minimum is not None]
    refused_at = {p for c in CASES if not c.data["expect"]["valid"] for p in c.data["expect"]["errors"]}
    assert [p for p in bounded if p not in refused_at] == []
