"""The kernel vector suite: files with a `topic` of tests/contracts/VECTORS.md, run by each language's vector CLI."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tools.conformance.cases import CONTRACTS_DIR, TOPICS, CaseFile, shape_problems
from tools.conformance.compare import judge_vector
from tools.conformance.languages import VECTOR_CLIS, LanguageCli
from tools.conformance.report import Row, SuiteResult

VECTOR_SCHEMA = CONTRACTS_DIR / "vector.schema.json"


def vector_problems(vector: CaseFile) -> list[str]:
    """Why a file is not a well-formed vector: vector.schema.json, and its id is its file name."""
    return shape_problems(vector, VECTOR_SCHEMA, "vector")


class VectorSuite:
    name = "vectors"
    clis: Mapping[str, LanguageCli] = VECTOR_CLIS

    def claims(self, data: Mapping[str, Any]) -> bool:
        return data.get("topic") in TOPICS

    def run(self, cases: Sequence[CaseFile], languages: Sequence[str]) -> SuiteResult:
        result = SuiteResult(self.name, languages, noun="vector")
        for vector in cases:
            result.problems.extend(vector_problems(vector))
        seen: set[str] = set()
        for vector in cases:
            if vector.id in seen:
                result.problems.append(f"{vector.path}: vector id {vector.id} is used twice")
            seen.add(vector.id)
        if result.problems:
            return result
        runs = {language: VECTOR_CLIS[language].run([vector.path for vector in cases]) for language in languages}
        for language in languages:
            result.problems.extend(runs[language].problems)
        for vector in cases:
            verdicts = {language: runs[language].verdicts.get(vector.id) for language in languages}
            result.rows.append(Row(vector.id, judge_vector(verdicts)))
        return result
