"""The language × case matrix, as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tools.conformance.compare import Cell


@dataclass(frozen=True)
class Row:
    case_id: str
    cells: dict[str, Cell]


@dataclass
class SuiteResult:
    name: str
    languages: Sequence[str]
    rows: list[Row] = field(default_factory=list)
    # Problems that belong to no single cell: a CLI that failed, a malformed case file.
    problems: list[str] = field(default_factory=list)
    # What one row is, for the header: a config "case", a kernel "vector".
    noun: str = "case"

    @property
    def passed(self) -> int:
        return sum(cell.ok for row in self.rows for cell in row.cells.values())

    @property
    def failed(self) -> int:
        return sum(not cell.ok for row in self.rows for cell in row.cells.values())


TOTAL = "passed"


def render(result: SuiteResult) -> str:
    noun = result.noun
    width = max([len(noun), len(TOTAL), *(len(row.case_id) for row in result.rows)]) + 2
    columns = [max(len(language), len(str(len(result.rows))) * 2 + 1) + 2 for language in result.languages]
    header = noun.ljust(width) + "".join(lang.ljust(col) for lang, col in zip(result.languages, columns, strict=True))
    lines = [f"{result.name}: {len(result.rows)} {noun}s × {', '.join(result.languages)}", header.rstrip()]
    for row in result.rows:
        marks = "".join(
            ("✓" if row.cells[lang].ok else "✗").ljust(col) for lang, col in zip(result.languages, columns, strict=True)
        )
        lines.append((row.case_id.ljust(width) + marks).rstrip())
        for language in result.languages:
            lines.extend(f"    {language}: {reason}" for reason in row.cells[language].reasons)
    if result.rows:
        passed = [sum(row.cells[lang].ok for row in result.rows) for lang in result.languages]
        totals = "".join(f"{count}/{len(result.rows)}".ljust(col) for count, col in zip(passed, columns, strict=True))
        lines.append((TOTAL.ljust(width) + totals).rstrip())
    lines.extend(f"problem: {problem}" for problem in result.problems)
    lines.append(f"{result.name}: {result.passed} passed, {result.failed} failed")
    return "\n".join(lines)
