"""`python -m tools.faults [--quick] [--seed N] [--k K] [--seconds S] [--replicas N] [--out DIR]`.

Starts the fleet (N gateways and N order services behind HAProxy, one PostgreSQL), sends the incident
profile's traffic time-compressed by k, fires a seeded schedule of faults while it runs, settles every
order, checks the invariants and writes reports/faults/<time>/{report.txt,faults.json,timeline.png}.
Exit 0 when every check passes, 1 when one fails, 130 when interrupted (every process is stopped).
"""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from tools.faults.campaign import CampaignOptions, run
from tools.faults.report import evaluate, format_report, plot, write_json
from tools.faults.schedule import ScheduleError
from tools.stack.configs import REPO


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.faults", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="each fault kind once, 60 s of traffic (≤ 3 min)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the schedule, the traffic and the provider")
    parser.add_argument("--k", type=float, default=10.0, help="time compression, as the replay's (default 10)")
    parser.add_argument("--seconds", type=float, help="wall seconds of traffic (default 60 quick, 480 full)")
    parser.add_argument("--rate", type=float, help="orders/s, wall (default: the incident profile's 3.35 × k)")
    parser.add_argument("--replicas", type=int, default=2, help="gateways and order services each (default 2)")
    parser.add_argument("--out", type=Path, help="report directory (default reports/faults/<time>)")
    args = parser.parse_args(argv)
    out = args.out or REPO / "reports" / "faults" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    options = CampaignOptions(
        out=out,
        seed=args.seed,
        quick=args.quick,
        k=args.k,
        replicas=args.replicas,
        traffic_s=args.seconds,
        rate_per_s=args.rate,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        gathered = run(options, say=_say)
    except ScheduleError as error:
        print(f"faults: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nfaults: interrupted; every process the campaign started was stopped", flush=True)
        return 130
    result = evaluate(gathered)
    text = format_report(gathered, result)
    print(text, flush=True)
    (out / "report.txt").write_text(text + "\n", encoding="utf-8")
    write_json(gathered, result, out / "faults.json")
    plot(gathered, out / "timeline.png")
    print(f"\nreport: {out / 'report.txt'}, {out / 'faults.json'}, {out / 'timeline.png'}; logs: {out / 'run'}")
    return 0 if result["ok"] else 1


def _say(message: str) -> None:
    print(message, flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
