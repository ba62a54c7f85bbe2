"""`python -m tools.replay [--quick] [--config FILE…] [--profile NAME…]`: replay traffic on the real stack.

Without --config it replays the profile against the original config (30 s, pool 20) and the incident's
(5 s, pool 20) — both on the incident's code path, as their files say: a connection held across the
payment, a timed-out payment paid again as a new payment — and the fix (config/timeout.json) on today's
code and on the incident's. With --config FILE it replays the fix and each FILE side by side (a what-if
before deploy). docs/REPLAY.md explains every figure.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path

from tools.replay.bench import (
    DEFAULT_K,
    DEFAULT_MINUTES,
    DEFAULT_SET,
    QUICK_MINUTES,
    QUICK_SET,
    default_out,
    replay_profile,
)
from tools.replay.profiles import PROFILES
from tools.replay.run import ConfigSpec, RefusedConfigError, check_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="replay", description=__doc__)
    parser.add_argument("--config", action="append", type=Path, default=[], metavar="FILE", help="a config to evaluate")
    parser.add_argument("--profile", action="append", choices=sorted(PROFILES), help="default: incident")
    parser.add_argument("--quick", action="store_true", help="incident profile, incident vs fix, a few minutes")
    parser.add_argument("--k", type=float, default=DEFAULT_K, help=f"time compression (default {DEFAULT_K:g})")
    parser.add_argument("--minutes", type=float, help="real-world minutes of traffic per config")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=1, help="run each config N times (agreement check)")
    parser.add_argument("--out", type=Path, help="report directory (default reports/replay/<timestamp>)")
    parser.add_argument("--replicas", type=int, default=1, help="gateways and order services each (2+: behind HAProxy)")
    args = parser.parse_args(argv)
    # tools/stack reads it as the default of StackOptions.replicas: every stack the replay starts is a fleet.
    os.environ["CHECKOUT_STACK_REPLICAS"] = str(args.replicas)

    try:
        specs = _specs(args)
    except RefusedConfigError as refused:
        print(refused, file=sys.stderr)
        return 2
    minutes = args.minutes or (QUICK_MINUTES if args.quick else DEFAULT_MINUTES)
    out = args.out or default_out()
    command = "nox -s replay -- " + shlex.join(argv if argv is not None else sys.argv[1:])
    started = time.monotonic()
    for profile_name in args.profile or ["incident"]:
        replay_profile(
            specs,
            PROFILES[profile_name],
            k=args.k,
            minutes=minutes,
            seed=args.seed,
            repeat=args.repeat,
            out=out,
            command=command,
        )
    print(f"replay: finished in {time.monotonic() - started:.0f} s")
    return 0


def _specs(args: argparse.Namespace) -> list[ConfigSpec]:
    if args.config:
        specs = [DEFAULT_SET[2]]
        for path in args.config:
            check_config(path)
            specs.append(ConfigSpec(_unique(path.stem, specs), path, None, f"proposed: {path}"))
        return specs
    return list(QUICK_SET if args.quick else DEFAULT_SET)


def _unique(name: str, specs: list[ConfigSpec]) -> str:
    taken = {spec.name for spec in specs}
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    return candidate


if __name__ == "__main__":
    sys.exit(main())
