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

    @property
    def passed(self) -> int:
        return sum(cell.ok for row in self.rows for cell in row.cells.values())

    @property
    def failed(self) -> int:
        return sum(not cell.ok for row in self.rows for cell in row.cells.values())


def render(result: SuiteResult) -> str:
    width = max([len("case"), *(len(row.case_id) for row in result.rows)]) + 2
    columns = [max(len(language), 1) + 2 for language in result.languages]
    header = "case".ljust(width) + "".join(lang.ljust(col) for lang, col in zip(result.languages, columns, strict=True))
    lines = [f"{result.name}: {len(result.rows)} cases × {', '.join(result.languages)}", header.rstrip()]
    for row in result.rows:
        marks = "".join(
            ("✓" if row.cells[lang].ok else "✗").ljust(col) for lang, col in zip(result.languages, columns, strict=True)
        )
        lines.append((row.case_id.ljust(width) + marks).rstrip())
        for language in result.languages:
            lines.extend(f"    {language}: {reason}" for reason in row.cells[language].reasons)
    lines.extend(f"problem: {problem}" for problem in result.problems)
    lines.append(f"{result.name}: {result.passed} passed, {result.failed} failed")
    return "\n".join(lines)
