"""`python -m tools.conformance [DIR…] [--languages python,node,java]`: every case, every language, one matrix.

Each file found below the directories (default: tests/contracts/config and the kernel vector
topic folders, i.e. every case under tests/contracts) goes to the suite that claims its shape:
config cases (`document`/`document_text`) to the validator CLIs, kernel vectors (`topic`) to the
vector CLIs. A file no suite claims is an error, never a silent skip. Exit status 1 on any
disagreement, 2 when a language's CLI is missing or a directory cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from tools.conformance.cases import DEFAULT_DIRS, CaseFile, CaseFileError, discover
from tools.conformance.config_suite import ConfigSuite
from tools.conformance.languages import LANGUAGES, LanguageCli
from tools.conformance.report import SuiteResult, render
from tools.conformance.vector_suite import VectorSuite


class Suite(Protocol):
    """One kind of case file: which files it takes, and how it runs them in the given languages."""

    name: str
    # The CLI of each language that runs this suite's files.
    clis: Mapping[str, LanguageCli]

    def claims(self, data: Mapping[str, Any]) -> bool: ...

    def run(self, cases: Sequence[CaseFile], languages: Sequence[str]) -> SuiteResult: ...


SUITES: tuple[Suite, ...] = (ConfigSuite(), VectorSuite())


def assign(cases: Sequence[CaseFile], suites: Sequence[Suite] = SUITES) -> tuple[dict[str, list[CaseFile]], list[str]]:
    """Cases grouped by the first suite that claims each, and one problem per file that none claims."""
    grouped: dict[str, list[CaseFile]] = {}
    unclaimed: list[str] = []
    for case in cases:
        suite = next((s for s in suites if s.claims(case.data)), None)
        if suite is None:
            shape = ", ".join(sorted(case.data)) or "no members"
            unclaimed.append(
                f"{case.path}: no suite runs a file with {shape} "
                "(config cases have document/document_text, kernel vectors a topic)"
            )
        else:
            grouped.setdefault(suite.name, []).append(case)
    return grouped, unclaimed


def _languages(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(chosen) - set(LANGUAGES))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(LANGUAGES)} (got {text!r})")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="conformance", description=__doc__)
    parser.add_argument("directories", nargs="*", type=Path, default=list(DEFAULT_DIRS), metavar="DIR")
    parser.add_argument("--languages", type=_languages, default=list(LANGUAGES), help="comma-separated (default: all)")
    args = parser.parse_args(argv)
    try:
        cases = discover(args.directories)
    except CaseFileError as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2
    grouped, problems = assign(cases)
    missing = [
        f"{suite.name}: {reason}"
        for suite in SUITES
        if suite.name in grouped
        for language in args.languages
        if (reason := suite.clis[language].missing())
    ]
    if missing:
        print("conformance: cannot run every language:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    if not cases:
        problems.append(f"no case files in {', '.join(map(str, args.directories))}")
    passed = failed = 0
    for suite in SUITES:
        if suite.name in grouped:
            result = suite.run(grouped[suite.name], args.languages)
            print(render(result) + "\n")  # the suite's own problems are part of its report
            passed, failed = passed + result.passed, failed + result.failed + len(result.problems)
    for problem in problems:
        print(f"problem: {problem}")
    print(f"conformance: {passed} passed, {failed + len(problems)} failed")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
