"""`python -m tools.perf [--quick] [--provider stub|simulator] [--orders-via forwarder|gateway] …`

Runs the gateway beside the bare Javalin forwarder and the order service beside the bare fastify + pg
service, prints the table and writes reports/perf/<timestamp>/perf.json and perf.txt. `--quick` is a smoke
run (a few seconds per target): it asserts no timing, only that every target answered and every number is
there, and exits 1 otherwise. Needs wrk, node and java on PATH and everything built (`nox -s perf` does both).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shlex
import shutil
import sys
from pathlib import Path

from tools.perf import report
from tools.perf.processes import PROVIDERS, Artifacts
from tools.perf.run import FULL, QUICK
from tools.perf.suite import DOWNSTREAMS, SuiteOptions, run_suite
from tools.pg.server import ServerError
from tools.stack.process import StartupError

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO / "reports" / "perf"
CONFIG = REPO / "config" / "timeout.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.perf", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: a few seconds per target, no timing judged")
    parser.add_argument("--provider", choices=PROVIDERS, default="stub", help="default: stub (perf/provider-stub)")
    parser.add_argument("--provider-delay-ms", type=float, default=1.0, help="the provider's answer time (default 1)")
    parser.add_argument(
        "--orders-via",
        choices=sorted(DOWNSTREAMS),
        default="forwarder",
        help="what the order service and fastify-pg call (default: forwarder)",
    )
    parser.add_argument("--warmup-s", type=float)
    parser.add_argument("--saturation-s", type=float)
    parser.add_argument("--fixed-s", type=float)
    parser.add_argument("--connections", type=int, help="wrk connections at saturation")
    parser.add_argument("--rate", type=float, help="the fixed rate for both pairs (default: a fraction of saturation)")
    parser.add_argument("--rate-fraction", type=float, help="of the pair's lower saturation throughput (default 0.5)")
    parser.add_argument(
        "--config", type=Path, default=CONFIG, help="the services' config (default config/timeout.json)"
    )
    parser.add_argument("--gateway-jar", type=Path, help="another build of the gateway")
    parser.add_argument("--order-service-js", type=Path, help="another build of the order service")
    parser.add_argument("--out", type=Path, help="report directory (default reports/perf/<timestamp>)")
    args = parser.parse_args(argv)

    phases = QUICK if args.quick else FULL
    overrides = {
        "warmup_s": args.warmup_s,
        "saturation_s": args.saturation_s,
        "fixed_s": args.fixed_s,
        "connections": args.connections,
        "rate": args.rate,
        "rate_fraction": args.rate_fraction,
    }
    phases = dataclasses.replace(phases, **{k: v for k, v in overrides.items() if v is not None})
    defaults = Artifacts()
    artifacts = Artifacts(
        gateway_jar=args.gateway_jar or defaults.gateway_jar,
        order_service_js=args.order_service_js or defaults.order_service_js,
    )
    missing = [f"{tool} (not on PATH)" for tool in ("wrk", "node", "java") if shutil.which(tool) is None]
    missing += artifacts.missing()
    if missing:
        print("perf: missing: " + "; ".join(missing), file=sys.stderr)
        return 2
    out = args.out or REPORTS / (dt.datetime.now().strftime("%Y%m%d-%H%M%S") + ("-quick" if args.quick else ""))
    out.mkdir(parents=True, exist_ok=True)
    options = SuiteOptions(
        phases=phases,
        quick=args.quick,
        workdir=out,
        config=args.config,
        provider=args.provider,
        provider_delay_ms=args.provider_delay_ms,
        orders_via=args.orders_via,
        artifacts=artifacts,
        command="python -m tools.perf " + shlex.join(argv if argv is not None else sys.argv[1:]),
    )
    try:
        found = run_suite(options, lambda line: print(f"perf: {line}", flush=True))
    except (StartupError, ServerError) as error:
        # Everything started so far has been stopped; the message quotes the failing process's log.
        print(f"perf: could not start: {error}", file=sys.stderr)
        return 1
    text = report.table(found)
    print()
    print(text)
    meta = found["meta"]
    print(f"load average: {meta['load_average_start']} at the start, {meta['load_average_end']} at the end")
    report.write_json(out / "perf.json", found)
    (out / "perf.txt").write_text(text + "\n", encoding="utf-8")
    print(f"report: {out / 'perf.txt'}  json: {out / 'perf.json'}  logs: {meta['logs']}")
    failed = False
    for leftover in found["leftovers"]:
        print(f"LEFTOVER {leftover}", file=sys.stderr)
        failed = True
    if args.quick:
        problems = report.quick_problems(found)
        for problem in problems:
            print(f"FAIL {problem}")
        if not problems:
            print("PASS quick: every target answered under load and every figure is present (timing not judged)")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
