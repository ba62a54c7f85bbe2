"""`python -m tools.faults.soak [--minutes N] [--seed N] [--out DIR]`: steady incident-rate traffic on the fleet for
N minutes (default 30) with a few faults, sampling every process's RSS and open descriptors, the database
connections and the payment-record table; a plot and a verdict (docs/FAULTS.md, "Soak").

The soak's faults leave the replicas running (provider windows, PostgreSQL restarts, duplicate pairs), so each
replica's memory is one process's history. The record retention is shortened to a quarter of the run (at most
2 minutes) so the reaper has to keep the table bounded within the run. Exit 0 when the verdict passes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from checkout_payments.client import AsyncPaymentClient, ReloadingConfig
from tools.faults import schedule as s
from tools.faults.campaign import DECLINE_RATE, prepare_configs
from tools.faults.inject import Injector
from tools.faults.load import Clients
from tools.faults.soak_verdict import plot, verdict
from tools.replay.loadgen import poisson_schedule
from tools.replay.profiles import INCIDENT
from tools.stack import Stack, StackOptions
from tools.stack.configs import REPO, write_config

SAMPLE_EVERY_S = 10.0
# Each block of this many seconds fires these faults at these offsets (none restarts a replica).
BLOCK_S = 300.0
BLOCK = ((60.0, s.DROP), (150.0, s.STORM_503), (200.0, s.PG_RESTART), (240.0, s.DUPLICATE_ORDER))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.faults.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=30.0, help="wall minutes of traffic (default 30)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--k", type=float, default=10.0, help="time compression (default 10)")
    parser.add_argument("--out", type=Path, help="report directory (default reports/soak/<time>)")
    args = parser.parse_args(argv)
    out = args.out or REPO / "reports" / "soak" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / "run").mkdir(parents=True, exist_ok=True)
    seconds = args.minutes * 60
    configs, _ = prepare_configs(out / "run", args.k)
    # Retention a quarter of the run (≤ 2 min, ≥ the lease): the reaper must bound the table within the run.
    document = json.loads(configs.path.read_text(encoding="utf-8"))
    idempotency = document["gateway"]["idempotency"]
    idempotency["retention_ms"] = max(idempotency["lease_ms"] + 1, round(min(120.0, seconds / 4) * 1000))
    write_config(document, configs.path)
    configs.valid = document
    behaviour = {**INCIDENT.behaviour(args.k), "decline_rate": DECLINE_RATE}
    behaviour_path = out / "run" / "behaviour.json"
    behaviour_path.write_text(json.dumps(behaviour) + "\n", encoding="utf-8")
    stack = Stack(
        StackOptions(
            config_path=configs.path,
            workdir=out / "run",
            seed=args.seed,
            simulator_behaviour=behaviour_path,
            extra_env={"LOG_LEVEL": "warn"},
            replicas=2,
        )
    )
    print(
        f"soak: {args.minutes:g} min of traffic at {INCIDENT.rate_per_s * args.k:.1f}/s, retention "
        f"{idempotency['retention_ms'] / 1000:.0f} s, a sample every {SAMPLE_EVERY_S:g} s",
        flush=True,
    )
    samples: list[dict[str, Any]] = []
    try:
        stack.start()
        fired = asyncio.run(_soak(stack, configs, behaviour, seconds, args, samples))
    finally:
        stack.stop()
    database = document["database"]
    pools = {
        "orders": database["pool"]["max_connections"] * 2,
        "gateway": database["gateway_pool"]["max_connections"] * 2,
    }
    result = verdict(samples, seconds, pools, leftovers=stack.leftovers())
    result["faults"] = fired
    lines = [f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}" for name, ok, detail in result["checks"]]
    text = "\n".join(["", f"soak — {args.minutes:g} min, {len(samples)} samples", *lines, "", f"faults: {fired}"])
    print(text, flush=True)
    (out / "report.txt").write_text(text + "\n", encoding="utf-8")
    (out / "soak.json").write_text(json.dumps({"result": result, "samples": samples}, indent=1, default=str))
    plot(samples, out / "soak.png")
    print(f"report: {out / 'report.txt'}, {out / 'soak.json'}, {out / 'soak.png'}")
    return 0 if result["ok"] else 1


async def _soak(
    stack: Stack,
    configs: Any,
    behaviour: dict[str, Any],
    seconds: float,
    args: argparse.Namespace,
    samples: list[dict[str, Any]],
) -> dict[str, int]:
    payments = AsyncPaymentClient(stack.gateway_url, config=ReloadingConfig(configs.path, interval_ms=1000))
    clients = Clients(stack.order_service_url, payments, args.seed, f"soak-{args.seed}-{int(time.time())}")
    t0 = time.time()
    injector = Injector(stack, clients, asyncio.get_running_loop(), configs, behaviour, t0)
    faults = [
        s.Fault(block + at, kind, {"seconds": s.WINDOW_S} if s.LANE_OF[kind] == "provider" else {"replicas": [1, 2]})
        for block in _blocks(seconds)
        for at, kind in BLOCK
        if block + at + s.SLOT_S[kind] < seconds
    ]
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_loop, args=(stack, t0, samples, stop), daemon=True)
    sampler.start()
    lanes = injector.run_lanes(faults)
    tasks: list[asyncio.Task[None]] = []
    for index, at in enumerate(poisson_schedule(INCIDENT.rate_per_s * args.k, seconds, args.seed)):
        delay = t0 + at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(clients.arrival(index)))
        tasks = [task for task in tasks if not task.done()] if index % 500 == 0 else tasks
    await asyncio.gather(*tasks)
    for lane in lanes:
        await asyncio.to_thread(lane.join, 60)
    injector.stop.set()
    # The idle minute after the traffic: pools shed their idle connections, nothing should stay open.
    await asyncio.sleep(max(15.0, 3 * SAMPLE_EVERY_S))
    stop.set()
    sampler.join(SAMPLE_EVERY_S * 2)
    await clients.close()
    await payments.aclose()
    counts: dict[str, int] = {}
    for record in injector.records:
        counts[record.kind] = counts.get(record.kind, 0) + (record.error is None)
    return counts


def _blocks(seconds: float) -> list[float]:
    return [n * BLOCK_S for n in range(int(seconds // BLOCK_S) + 1)]


def _sample_loop(stack: Stack, t0: float, samples: list[dict[str, Any]], stop: threading.Event) -> None:
    while not stop.wait(SAMPLE_EVERY_S):
        try:
            samples.append(_sample(stack, t0))
        except (OSError, psycopg.Error) as failed:  # a sample during a PostgreSQL restart: skipped, said so
            print(f"soak: sample skipped ({type(failed).__name__})", flush=True)


def _sample(stack: Stack, t0: float) -> dict[str, Any]:
    groups = {name: service.popen.pid for name, service in stack.services.items()}
    if stack.balancer is not None and stack.balancer.process is not None:
        groups["haproxy"] = stack.balancer.process.popen.pid
    if stack.own_postgres is not None and stack.own_postgres.pid is not None:
        groups["postgres"] = stack.own_postgres.pid
    processes = {name: _group(pid) for name, pid in groups.items()}
    with psycopg.connect(stack.database_url("gateway"), connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE datname = ANY(%s) GROUP BY datname",
            ([stack.databases["gateway"], stack.databases["orders"]],),
        ).fetchall()
        records, size = conn.execute(
            "SELECT count(*), pg_total_relation_size('payment_records') FROM payment_records"
        ).fetchone() or (0, 0)
    names = {stack.databases["gateway"]: "gateway", stack.databases["orders"]: "orders"}
    return {
        "t": round(time.time() - t0, 1),
        "rss_mb": {name: round(p[0] / 1024, 1) for name, p in processes.items()},
        "fds": {name: p[1] for name, p in processes.items()},
        "db_connections": {names[str(db)]: int(n) for db, n in rows},
        "payment_records": int(records),
        "payment_records_bytes": int(size),
    }


def _group(pgid: int) -> tuple[int, int]:
    """(RSS in kB, open descriptors) summed over the live processes of one process group."""
    rss = fds = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if int(text[text.rfind(")") + 2 :].split()[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text()
            rss += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            fds += len(os.listdir(stat.parent / "fd"))
        except (OSError, ValueError, IndexError):
            continue
    return rss, fds


if __name__ == "__main__":
    sys.exit(main())
