"""`python -m checkout_payments.conformance.cli FILE…`: one JSON line per vector file, in order.

Each line is `{"id": …, "pass": bool, "mismatches": […]}`; the conformance driver compares the
lines with the Node and Java CLIs'. Exit status 0 when every file could be read (a failing vector is
data, not a failure of the CLI), 2 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from checkout_payments.conformance.vectors import run_vector
from checkout_payments.json_lines_cli import run_json_lines_cli


def line(vector: dict[str, Any]) -> dict[str, Any]:
    """The CLI line of one vector; a kernel that crashes fails the vector instead of the CLI."""
    try:
        mismatches = run_vector(vector)
    except Exception as error:  # noqa: BLE001 - a crash is this vector's failure, reported like a mismatch
        mismatches = [f"the runner crashed: {type(error).__name__}: {error}"]
    return {"id": vector.get("id"), "pass": not mismatches, "mismatches": mismatches}


def read_vector(file: str) -> dict[str, Any]:
    vector = json.loads(Path(file).read_text(encoding="utf-8"))
    if not isinstance(vector, dict) or not isinstance(vector.get("id"), str):
        raise ValueError("expected an object with a string id")
    return vector


def main(argv: list[str] | None = None) -> int:
    return run_json_lines_cli(
        argv,
        usage="usage: python -m checkout_payments.conformance.cli FILE...",
        read=read_vector,
        line=lambda vector, _file: line(vector),
        unreadable="vector cli: cannot read vector file",
    )


if __name__ == "__main__":
    sys.exit(main())
