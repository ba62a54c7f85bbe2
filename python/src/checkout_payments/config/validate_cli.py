"""`python -m checkout_payments.config.validate_cli CASE_FILE…`: one JSON verdict line per case.

The format is config/LOADING.md's; the conformance driver compares it with the Node and Java CLIs.
Exit status 0 when every case file could be read (a verdict is data, not failure), 2 otherwise.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from checkout_payments.config.errors import ConfigError
from checkout_payments.config.loader import parse_config
from checkout_payments.json_lines_cli import run_json_lines_cli


def verdict(case: dict[str, Any], source: str) -> dict[str, Any]:
    """The verdict on one case: `document_text` is loaded as is, `document` as this language writes it."""
    text = case["document_text"] if "document_text" in case else json.dumps(case["document"])
    try:
        loaded = parse_config(text, source)
    except ConfigError as error:
        return {
            "id": case["id"],
            "valid": False,
            "errors": sorted({v.pointer for v in error.violations}),
            "warnings": sorted({w.pointer for w in error.warnings}),
            "fingerprint": None,
        }
    return {
        "id": case["id"],
        "valid": True,
        "errors": [],
        "warnings": sorted({w.pointer for w in loaded.warnings}),
        "fingerprint": loaded.fingerprint,
    }


def read_case(file: str) -> dict[str, Any]:
    case = json.loads(Path(file).read_text(encoding="utf-8"))
    if not isinstance(case, dict) or "id" not in case or not ({"document", "document_text"} & case.keys()):
        raise ValueError("expected an object with an id and a document or document_text")
    return case


def main(argv: list[str] | None = None) -> int:
    return run_json_lines_cli(
        argv,
        usage="usage: python -m checkout_payments.config.validate_cli CASE_FILE...",
        read=read_case,
        line=verdict,
        unreadable="validate_cli: cannot read case file",
    )


if __name__ == "__main__":
    sys.exit(main())
