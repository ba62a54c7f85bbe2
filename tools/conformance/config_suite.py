"""The config suite: cases with a `document` or `document_text`, judged by the validator CLIs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from tools.conformance.cases import CONFIG_CASES_DIR, CaseFile
from tools.conformance.compare import Expectation, judge
from tools.conformance.languages import CLIS, LanguageCli
from tools.conformance.report import Row, SuiteResult

CASE_SCHEMA = CONFIG_CASES_DIR / "case.schema.json"


@cache
def case_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(CASE_SCHEMA.read_text(encoding="utf-8")))


def case_problems(case: CaseFile) -> list[str]:
    """Why a file is not a well-formed config case: case.schema.json, and its id is its file name."""
    problems = [
        f"{case.path}: {'/'.join(map(str, error.absolute_path)) or 'case'}: {error.message}"
        for error in case_validator().iter_errors(case.data)
    ]
    if case.data.get("id") != case.path.stem:
        problems.append(f"{case.path}: id {case.data.get('id')!r} differs from the file name")
    return problems


class ConfigSuite:
    name = "config"
    clis: Mapping[str, LanguageCli] = CLIS

    def claims(self, data: Mapping[str, Any]) -> bool:
        return "document" in data or "document_text" in data

    def run(self, cases: Sequence[CaseFile], languages: Sequence[str]) -> SuiteResult:
        result = SuiteResult(self.name, languages)
        for case in cases:
            result.problems.extend(case_problems(case))
        seen: set[str] = set()
        for case in cases:
            if case.id in seen:
                result.problems.append(f"{case.path}: case id {case.id} is used twice")
            seen.add(case.id)
        if result.problems:
            return result
        runs = {language: CLIS[language].run([case.path for case in cases]) for language in languages}
        for language in languages:
            result.problems.extend(runs[language].problems)
        for case in cases:
            verdicts = {language: runs[language].verdicts.get(case.id) for language in languages}
            result.rows.append(Row(case.id, judge(Expectation.of_case(case.data), verdicts)))
        return result
