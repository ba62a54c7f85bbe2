"""Judging what the languages' CLIs said about one case file: a config case against the case and each other,
a kernel vector by each runner's own mismatches."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FINGERPRINT = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Expectation:
    valid: bool
    errors: frozenset[str]
    # None: the case does not pin warnings; the languages must still agree on them.
    warnings: frozenset[str] | None

    @classmethod
    def of_case(cls, case: Mapping[str, Any]) -> Expectation:
        expect = case["expect"]
        warnings = expect.get("warnings")
        return cls(
            bool(expect["valid"]), frozenset(expect["errors"]), None if warnings is None else frozenset(warnings)
        )


@dataclass(frozen=True)
class Verdict:
    """One line of a validator CLI (config/LOADING.md)."""

    id: str
    valid: bool
    errors: frozenset[str]
    warnings: frozenset[str]
    fingerprint: str | None

    @classmethod
    def from_json(cls, line: Any) -> Verdict:
        """Raises ValueError naming what is wrong with the line."""
        if not isinstance(line, dict):
            raise ValueError("a verdict is a JSON object")
        missing = {"id", "valid", "errors", "warnings", "fingerprint"} - line.keys()
        if missing:
            raise ValueError(f"verdict lacks {', '.join(sorted(missing))}")
        valid, errors, warnings = line["valid"], line["errors"], line["warnings"]
        if not isinstance(valid, bool) or not _pointers(errors) or not _pointers(warnings):
            raise ValueError("valid is a boolean; errors and warnings are lists of pointers")
        fingerprint = line["fingerprint"]
        if not (fingerprint is None or isinstance(fingerprint, str)):
            raise ValueError("fingerprint is a string or null")
        return cls(str(line["id"]), valid, frozenset(errors), frozenset(warnings), fingerprint)


@dataclass(frozen=True)
class Cell:
    """One language's result on one case: ✓, or ✗ with the reasons."""

    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons


def judge(expect: Expectation, verdicts: Mapping[str, Verdict | None]) -> dict[str, Cell]:
    """Each language's verdict against the expectation, then the values the case leaves open across languages:
    the fingerprint of a valid document, and warnings when the case does not list them."""
    reasons: dict[str, list[str]] = {}
    for language, verdict in verdicts.items():
        reasons[language] = ["no verdict"] if verdict is None else _against(expect, verdict)
    given = {language: verdict for language, verdict in verdicts.items() if verdict is not None}
    fingerprints = {language: v.fingerprint for language, v in given.items() if v.valid}
    if len(set(fingerprints.values())) > 1:
        listed = ", ".join(f"{language} {str(value)[:12]}…" for language, value in fingerprints.items())
        for language in fingerprints:
            reasons[language].append(f"fingerprints differ across languages: {listed}")
    if expect.warnings is None:
        warnings = {language: v.warnings for language, v in given.items()}
        if len(set(warnings.values())) > 1:
            listed = "; ".join(f"{language} {_set(value)}" for language, value in warnings.items())
            for language in warnings:
                reasons[language].append(f"warnings differ across languages: {listed}")
    return {language: Cell(tuple(found)) for language, found in reasons.items()}


def _against(expect: Expectation, verdict: Verdict) -> list[str]:
    reasons: list[str] = []
    if verdict.valid != expect.valid:
        reasons.append(f"valid is {str(verdict.valid).lower()}, expected {str(expect.valid).lower()}")
    reasons.extend(_set_difference("errors", verdict.errors, expect.errors))
    if expect.warnings is not None:
        reasons.extend(_set_difference("warnings", verdict.warnings, expect.warnings))
    if verdict.valid and (verdict.fingerprint is None or not FINGERPRINT.fullmatch(verdict.fingerprint)):
        reasons.append(f"fingerprint {verdict.fingerprint!r} is not 64 lowercase hex digits")
    if not verdict.valid and verdict.fingerprint is not None:
        reasons.append("an invalid document has a fingerprint (expected null)")
    return reasons


def _set_difference(what: str, found: frozenset[str], expected: frozenset[str]) -> list[str]:
    reasons = []
    if expected - found:
        reasons.append(f"{what}: missing {_set(expected - found)}")
    if found - expected:
        reasons.append(f"{what}: unexpected {_set(found - expected)}")
    return reasons


def _set(pointers: frozenset[str]) -> str:
    return "[" + ", ".join(repr(p) if p == "" else p for p in sorted(pointers)) + "]"


def _pointers(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


@dataclass(frozen=True)
class VectorVerdict:
    """One line of a kernel vector CLI (tests/contracts/VECTORS.md): the vector passed, or its mismatches."""

    id: str
    passed: bool
    mismatches: tuple[str, ...]

    @classmethod
    def from_json(cls, line: Any) -> VectorVerdict:
        """Raises ValueError naming what is wrong with the line."""
        if not isinstance(line, dict):
            raise ValueError("a vector result is a JSON object")
        missing = {"id", "pass", "mismatches"} - line.keys()
        if missing:
            raise ValueError(f"vector result lacks {', '.join(sorted(missing))}")
        passed, mismatches = line["pass"], line["mismatches"]
        if not isinstance(passed, bool) or not _strings(mismatches):
            raise ValueError("pass is a boolean; mismatches is a list of strings")
        if passed == bool(mismatches):
            raise ValueError("pass must be true exactly when mismatches is empty")
        return cls(str(line["id"]), passed, tuple(mismatches))


def judge_vector(verdicts: Mapping[str, VectorVerdict | None]) -> dict[str, Cell]:
    """Each language's result on one vector: it passes, or ✗ with its own mismatches (every language is held to
    the same expectations, so agreeing languages all pass)."""
    return {
        language: Cell(("no result",) if verdict is None else verdict.mismatches)
        for language, verdict in verdicts.items()
    }


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
