"""`python -m tools.conformance.config_cases [--check]`: write (or drift-check) tests/contracts/config/*.json.

Each case is a change to one of two literal documents plus its expected verdict, written out by
hand: the cases are data that every loader is held to, so no loader computes them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.conformance.cases import CONFIG_CASES_DIR
from tools.conformance.config_case_kit import BASE, DROP, MINIMAL, PRE_INCIDENT, Case, changed
from tools.conformance.config_cases_lint import LINT_CASES
from tools.conformance.config_cases_policies import POLICY_CASES
from tools.conformance.config_cases_schema import SCHEMA_CASES
from tools.conformance.config_cases_shape import SHAPE_CASES

# Re-exported: tests build documents with these (`changed({...})` is BASE with JSON Pointers set).
__all__ = ["BASE", "CASES", "DROP", "MINIMAL", "PRE_INCIDENT", "Case", "changed", "main", "render"]

CASES: list[Case] = [*SCHEMA_CASES, *SHAPE_CASES, *LINT_CASES, *POLICY_CASES]


def render() -> dict[str, str]:
    """{file name: text} of every case."""
    return {f"{case.id}.json": json.dumps(case.to_json(), indent=2, ensure_ascii=False) + "\n" for case in CASES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="config_cases", description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming each stale case file")
    parser.add_argument("--dir", type=Path, default=CONFIG_CASES_DIR)
    args = parser.parse_args(argv)
    files = render()
    present = {path.name for path in args.dir.glob("*.json") if not path.name.endswith(".schema.json")}
    stale = sorted(name for name, text in files.items() if not _same(args.dir / name, text))
    extra = sorted(present - files.keys())
    if args.check:
        for name in [*stale, *extra]:
            print(f"stale: {args.dir / name} (run `python -m tools.conformance.config_cases`)", file=sys.stderr)
        print(f"config cases: {len(files) - len(stale)} up to date, {len(stale) + len(extra)} stale")
        return 1 if stale or extra else 0
    for name in stale:
        (args.dir / name).write_text(files[name], encoding="utf-8")
    for name in extra:
        (args.dir / name).unlink()
    print(f"config cases: {len(files)} cases, {len(stale)} written, {len(extra)} removed")
    return 0


def _same(path: Path, text: str) -> bool:
    return path.exists() and path.read_text(encoding="utf-8") == text


if __name__ == "__main__":
    sys.exit(main())
