"""The whole comparison in one run: start everything, the provider alone, then the two pairs, stop everything.

(a) payments: the gateway beside the bare Javalin forwarder, both calling the same provider.
(b) orders: the order service beside the bare fastify + pg service, both calling the same downstream (the
    forwarder by default, so the gateway's own cost does not cap both; `orders_via="gateway"` for the real
    chain) and writing to the same PostgreSQL server.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.perf import report
from tools.perf.processes import Artifacts, Processes, ProcessOptions
from tools.perf.run import ORDER_BODY, PAYMENT_BODY, Log, Phases, Target, measure_alone, measure_pair, new_run_id

DOWNSTREAMS = {"forwarder": "javalin-forwarder", "gateway": "gateway"}

METHOD = (
    "One machine, one run: one throwaway PostgreSQL server (a database per service), one provider, every "
    "service and baseline started once and measured in turn. Per target: one probe request (its answer "
    "checked), a wrk warm-up (discarded), a wrk saturation run (closed loop, unique Idempotency-Key per "
    "request: its 2xx answers per second are the saturation throughput), then both targets of a pair at the "
    "same fixed rate (a fraction of the pair's lower saturation) from an open-loop generator whose latency "
    "runs from each request's due time. CPU ms per request per process: utime+stime (+ reaped children) of "
    "each process and its descendants from /proc/<pid>/stat, before and after the phase, over the 2xx answers of that "
    "phase. Ratios: throughput at saturation; CPU at the fixed rate. The machine's busy cores (all "
    "processes, others' included) are recorded per phase."
)


@dataclass(frozen=True)
class SuiteOptions:
    phases: Phases
    quick: bool
    workdir: Path
    config: Path
    provider: str = "stub"
    provider_delay_ms: float = 1.0
    orders_via: str = "forwarder"
    artifacts: Artifacts = field(default_factory=Artifacts)
    command: str = ""


def run_suite(options: SuiteOptions, log: Log) -> dict[str, Any]:
    """Runs everything and returns the report (meta, provider_alone, pairs, provider_check, leftovers)."""
    if options.orders_via not in DOWNSTREAMS:
        raise ValueError(f"orders_via must be one of {', '.join(DOWNSTREAMS)}, got {options.orders_via!r}")
    downstream = DOWNSTREAMS[options.orders_via]
    process_options = ProcessOptions(
        workdir=options.workdir,
        config=options.config,
        provider=options.provider,
        provider_delay_ms=options.provider_delay_ms,
        artifacts=options.artifacts,
    )
    run_id = new_run_id()
    started = dt.datetime.now(dt.UTC)
    load_start = os.getloadavg()
    procs = Processes(process_options)
    with procs:
        log("starting PostgreSQL, the provider, the gateway, the forwarder, the order service, fastify-pg")
        procs.start_postgres()
        procs.start_provider()
        procs.start_gateway()
        procs.start_forwarder()
        procs.start_order_service(downstream)
        procs.start_fastify_pg(downstream)
        pids = {name: procs.pid(name) for name in [*procs.services, "postgres"]}

        def target(name: str, role: str, path: str, status: int, labels: list[str]) -> Target:
            body = ORDER_BODY if path == "/orders" else PAYMENT_BODY
            return Target(name, role, procs.url(name) + path, body, status, {label: pids[label] for label in labels})

        provider = target("provider", "provider", "/v1/charges", 201, ["provider"])
        pay_labels = ["postgres", "provider"]
        order_labels = [downstream, "postgres", "provider"]
        alone = measure_alone(provider, options.phases, run_id, log)
        pairs = {
            "payments": measure_pair(
                target("gateway", "service", "/payments", 200, ["gateway", *pay_labels]),
                target("javalin-forwarder", "baseline", "/payments", 200, ["javalin-forwarder", *pay_labels]),
                options.phases,
                run_id,
                log,
            ),
            "orders": measure_pair(
                target("order-service", "service", "/orders", 201, ["order-service", *order_labels]),
                target("fastify-pg", "baseline", "/orders", 201, ["fastify-pg", *order_labels]),
                options.phases,
                run_id,
                log,
            ),
        }
        pairs["orders"]["downstream"] = downstream
    for pair in pairs.values():
        pair["ratios"] = report.pair_ratios(pair)
    return {
        "meta": {
            "command": options.command,
            "date": started.isoformat(timespec="seconds"),
            "quick": options.quick,
            "provider": options.provider,
            "provider_delay_ms": options.provider_delay_ms,
            "orders_via": downstream,
            "phases": dataclasses.asdict(options.phases),
            "cpus": os.cpu_count(),
            "load_average_start": " ".join(f"{v:.2f}" for v in load_start),
            "load_average_end": " ".join(f"{v:.2f}" for v in os.getloadavg()),
            "goals": {"throughput_at_least": report.THROUGHPUT_GOAL, "cpu_per_request_at_most": report.CPU_GOAL},
            "method": METHOD,
            "logs": str(options.workdir / "logs"),
        },
        "provider_alone": alone,
        "pairs": pairs,
        "provider_check": report.provider_check(alone, pairs),
        "leftovers": procs.leftovers(),
    }
