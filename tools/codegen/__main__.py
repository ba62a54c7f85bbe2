"""`python -m tools.codegen [--check]`: write every binding, or name each stale one."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from tools.codegen.model import REPO, Schema, load_schema

# An emitter maps the schema to {path relative to the repo: file text}.
Emitter = Callable[[Schema], dict[str, str]]


# api_limits: config/api-limits.json as constants in the three languages (it ignores the schema);
# taxonomy: config/taxonomy.json (SEMANTICS.md §6, §7) as enums and tables, and SEMANTICS.md's two tables.
# vocabulary: config/vocabulary.json (metrics, masking, deadline header) as constants, and METRICS.md's table.
LANGUAGES = ("python", "typescript", "java", "monitoring", "api_limits", "taxonomy", "vocabulary")


def emitters(only: Iterable[str] = LANGUAGES) -> Iterable[Emitter]:
    for language in only:
        module = importlib.import_module(f"tools.codegen.emit_{language}")
        yield module.emit


def render_all(schema: Schema, only: Iterable[str] = LANGUAGES) -> dict[str, str]:
    files: dict[str, str] = {}
    for emit in emitters(only):
        files.update(emit(schema))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming each stale file")
    parser.add_argument("--only", choices=LANGUAGES, action="append", help="limit to one language (repeatable)")
    args = parser.parse_args(argv)
    files = render_all(load_schema(), args.only or LANGUAGES)
    stale = [rel for rel, text in sorted(files.items()) if _read(REPO / rel) != text]
    if args.check:
        for rel in stale:
            print(f"stale: {rel} (run `nox -s codegen`)", file=sys.stderr)
        print(f"codegen check: {len(files) - len(stale)} up to date, {len(stale)} stale")
        return 1 if stale else 0
    for rel in stale:
        target = REPO / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[rel], encoding="utf-8")
        print(f"wrote {rel}")
    print(f"codegen: {len(files)} files, {len(stale)} rewritten")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
