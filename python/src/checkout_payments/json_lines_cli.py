"""The loop both conformance CLIs share: one JSON line per input file, in the order given.

The Node (`runJsonLinesCli`) and Java (`JsonLinesCli.run`) CLIs have the same loop, so the
conformance driver can compare their lines byte for byte. A file that cannot be read is reported on
stderr and skipped; the other files still get their line, and the exit status becomes 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def run_json_lines_cli(
    argv: list[str] | None,
    *,
    usage: str,
    read: Callable[[str], T],
    line: Callable[[T, str], dict[str, Any]],
    unreadable: str,
) -> int:
    """Prints `line(read(file), file)` for each file; 0 when every file was read, 2 otherwise.

    `read` raises OSError or ValueError for a file it cannot read; `unreadable` starts the stderr
    message then (`"<unreadable> <file>: <error>"`).
    """
    files = sys.argv[1:] if argv is None else argv
    if not files:
        print(usage, file=sys.stderr)
        return 2
    status = 0
    for file in files:
        try:
            item = read(file)
        except (OSError, ValueError) as error:
            print(f"{unreadable} {file}: {error}", file=sys.stderr)
            status = 2
            continue
        print(json.dumps(line(item, file), ensure_ascii=False), flush=True)
    return status
