"""`python -m tools.replay.config_diff OLD NEW [--profile NAME] [--quick] [--no-replay]`: a config change, judged.

Prints the settings that changed, every lint finding of each file (as the services would see it),
then replays both on the same traffic and prints the delta of the figures that matter. A NEW file
that the services would refuse is reported and not replayed (exit 1): that is the lint doing its job.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from checkout_payments.config import ConfigError, load_config
from tools.replay.bench import DEFAULT_K, DEFAULT_MINUTES, QUICK_MINUTES, default_out, replay_profile
from tools.replay.profiles import PROFILES
from tools.replay.run import ConfigSpec

# (label, where a run holds it, how to show it)
DELTAS: list[tuple[str, tuple[str, ...], str]] = [
    ("error rate", ("errors", "rate"), "pct"),
    ("timeout errors", ("errors", "timeout_rate"), "pct"),
    ("latency p50", ("latency_ms", "p50"), "s"),
    ("latency p99", ("latency_ms", "p99"), "s"),
    ("latency max", ("latency_ms", "max"), "s"),
    ("pool utilization mean", ("pool", "utilization_mean"), "pct"),
    ("pool utilization p95", ("pool", "utilization_p95"), "pct"),
    ("pool peak waiting", ("pool", "peak_waiting"), "n"),
    ("provider attempts per order", ("provider", "attempts_per_order"), "x"),
    ("orders charged twice", ("provider", "orders_charged_twice"), "n"),
    ("orders not final", ("settlement", "not_final"), "n"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="config-diff", description=__doc__)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="incident")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_MINUTES:g} real-world minutes per config")
    parser.add_argument("--minutes", type=float)
    parser.add_argument("--k", type=float, default=DEFAULT_K)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-replay", action="store_true", help="only the changed settings and the lint")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    old_doc, new_doc = _read(args.old), _read(args.new)
    print(f"config-diff: {args.old} → {args.new}")
    changes = changed_settings(old_doc, new_doc)
    print(f"\nchanged settings ({len(changes)}):")
    for pointer, before, after in changes:
        print(f"  {pointer:<52} {json.dumps(before)} → {json.dumps(after)}")
    print("\nlint:")
    old_ok, new_ok = _lint(args.old), _lint(args.new)
    if not new_ok:
        print(f"\n{args.new} is refused by every service: nothing to replay.")
        return 1
    if args.no_replay:
        return 0
    if not old_ok:
        print(f"\n{args.old} is refused by every service: only {args.new} is replayed.")
    specs = ([ConfigSpec("old", args.old, None, str(args.old))] if old_ok else []) + [
        ConfigSpec("new", args.new, None, str(args.new))
    ]
    minutes = args.minutes or (QUICK_MINUTES if args.quick else DEFAULT_MINUTES)
    command = "nox -s config-diff -- " + " ".join(argv if argv is not None else sys.argv[1:])
    full = replay_profile(
        specs,
        PROFILES[args.profile],
        k=args.k,
        minutes=minutes,
        seed=args.seed,
        out=args.out or default_out(),
        command=command,
    )
    if old_ok:
        print("\nreplay delta (new − old, same traffic):")
        print(delta_table(full["runs"]["old"], full["runs"]["new"]))
    return 0


def changed_settings(old: Any, new: Any, pointer: str = "") -> list[tuple[str, Any, Any]]:
    """(JSON Pointer, old value, new value) of every leaf that differs; a missing side is None."""
    if isinstance(old, dict) and isinstance(new, dict):
        rows: list[tuple[str, Any, Any]] = []
        for key in sorted(old.keys() | new.keys()):
            if key == "$schema":
                continue
            escaped = key.replace("~", "~0").replace("/", "~1")
            rows += changed_settings(old.get(key), new.get(key), f"{pointer}/{escaped}")
        return rows
    return [] if old == new and type(old) is type(new) else [(pointer, old, new)]


def delta_table(old: dict[str, Any], new: dict[str, Any]) -> str:
    lines = []
    for label, path, kind in DELTAS:
        before, after = _at(old, path), _at(new, path)
        change = "-" if before is None or after is None else _fmt(after - before, kind, signed=True)
        lines.append(f"  {label:<30} {_fmt(before, kind):>10} → {_fmt(after, kind):>10}   {change}")
    return "\n".join(lines)


def _at(run: dict[str, Any], path: tuple[str, ...]) -> float | None:
    value: Any = run
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return float(value) if isinstance(value, int | float) else None


def _fmt(value: float | None, kind: str, *, signed: bool = False) -> str:
    if value is None:
        return "-"
    sign = "+" if signed else ""
    if kind == "pct":
        return f"{value * 100:{sign}.1f} pp" if signed else f"{value:.1%}"
    if kind == "s":
        return f"{value / 1000:{sign}.2f} s"
    if kind == "x":
        return f"{value:{sign}.2f}"
    return f"{value:{sign}.0f}"


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"config-diff: cannot read {path}: {error}") from error


def _lint(path: Path) -> bool:
    """Prints the file's findings as a service would report them; True when it loads."""
    try:
        loaded = load_config(path)
    except ConfigError as error:
        print(f"  {path}: REFUSED ({len(error.violations)} errors, {len(error.warnings)} warnings)")
        for violation in error.violations:
            print(f"    error    {violation.rule:<34} {violation.pointer or '(document)'}: {violation.message}")
        for finding in error.warnings:
            print(f"    warning  {finding.rule:<34} {finding.pointer}: {finding.message}")
        return False
    print(f"  {path}: loads ({len(loaded.warnings)} warnings)")
    for finding in loaded.warnings:
        print(f"    warning  {finding.rule:<34} {finding.pointer}: {finding.message}")
    return True


if __name__ == "__main__":
    sys.exit(main())
