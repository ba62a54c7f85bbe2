"""The config suite: cases with a `document` or `document_text`, judged by the validator CLIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tools.conformance.cases import CONFIG_CASES_DIR, CaseFile, shape_problems
from tools.conformance.compare import Expectation, judge
from tools.conformance.languages import CLIS, LanguageCli
from tools.conformance.report import Row, SuiteResult

CASE_SCHEMA = CONFIG_CASES_DIR / "case.schema.json"


def case_problems(case: CaseFile) -> list[str]:
    """Why a file is not a well-formed config case: case.schema.json, and its id is its file name."""
    return shape_problems(case, CASE_SCHEMA, "case")


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
