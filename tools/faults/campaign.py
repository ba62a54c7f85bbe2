"""One campaign: the fleet on a time-compressed config, incident-rate traffic, the seeded faults, settling,
then everything the invariants need gathered from the clients, the databases, the provider and HAProxy."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg

from checkout_payments.client import AsyncPaymentClient, ReloadingConfig
from checkout_payments.config import ConfigError, parse_config
from tools.faults import schedule
from tools.faults.fleet import fleet_figures
from tools.faults.inject import Configs, Injector
from tools.faults.load import FINAL_ORDER, FINAL_PAYMENT, Clients
from tools.faults.watch import Watcher
from tools.replay.loadgen import poisson_schedule
from tools.replay.profiles import INCIDENT
from tools.replay.sampler import own_cpu_s, process_group_cpu_s
from tools.replay.scaling import scale_config
from tools.stack import Stack, StackOptions
from tools.stack.configs import derive, read_config, write_config

QUICK_TRAFFIC_S = 60.0
FULL_TRAFFIC_S = 480.0
DECLINE_RATE = 0.05
# After the traffic: how long the reconciler gets alone, then how long clients' retries with the same key get.
RECONCILER_WAIT_S = 30.0
CLIENT_SETTLE_S = 40.0
# A direct payment is settled once the gateway says authorised, declined or failed (nothing charged).
SETTLED_PAYMENT = frozenset({*FINAL_PAYMENT, "failed"})


@dataclass(frozen=True)
class CampaignOptions:
    out: Path
    seed: int = 42
    quick: bool = False
    k: float = 10.0
    replicas: int = 2
    traffic_s: float | None = None  # wall seconds; default by quick
    rate_per_s: float | None = None  # wall orders/s; default the incident profile's × k

    @property
    def traffic(self) -> float:
        return self.traffic_s or (QUICK_TRAFFIC_S if self.quick else FULL_TRAFFIC_S)

    @property
    def rate(self) -> float:
        return self.rate_per_s or INCIDENT.rate_per_s * self.k


def prepare_configs(workdir: Path, k: float) -> tuple[Configs, str]:
    """The scaled config the fleet starts on, the valid file a reload brings and the invalid one it refuses."""
    scaled = scale_config(read_config(), k)
    # A reload refuses any lint warning (docs/ORDER_SERVICE.md): retention keeps its real day (scaled it
    # warns, and nothing is reaped within a campaign either way), so the reloads below are warning-free.
    retention = read_config()["gateway"]["idempotency"]["retention_ms"]
    scaled.document["gateway"]["idempotency"]["retention_ms"] = retention
    path = write_config(scaled.document, workdir / "timeout.json")
    version = str(scaled.document["version"])
    valid = derive({"/version": version[:56] + "-reload", "/monitoring/pool_utilization_warn": 0.75}, scaled.document)
    # The incident's 5 s timeout, scaled: under the provider's p99, so every loader's lint refuses it.
    invalid = derive({"/payment/timeout_ms": round(5000 / k)}, valid)
    try:
        parse_config(json.dumps(invalid), "<invalid reload>")
    except ConfigError:
        pass
    else:
        raise AssertionError("the invalid reload document passes the loader")
    loaded = parse_config(json.dumps(valid), "<valid reload>")
    if loaded.warnings:
        raise AssertionError(f"the valid reload document has lint warnings: {loaded.warnings}")
    start = parse_config(json.dumps(scaled.document), "<campaign config>")
    return Configs(path, valid, invalid, loaded.fingerprint), start.fingerprint


def run(options: CampaignOptions, say: Callable[[str], None] = print) -> dict[str, Any]:
    workdir = options.out / "run"
    workdir.mkdir(parents=True, exist_ok=True)
    configs, start_fingerprint = prepare_configs(workdir, options.k)
    faults = schedule.build(options.seed, options.traffic, quick=options.quick, replicas=options.replicas)
    behaviour = {**INCIDENT.behaviour(options.k), "decline_rate": DECLINE_RATE}
    behaviour_path = workdir / "behaviour.json"
    behaviour_path.write_text(json.dumps(behaviour, indent=2) + "\n", encoding="utf-8")
    stack = Stack(
        StackOptions(
            config_path=configs.path,
            workdir=workdir,
            seed=options.seed,
            reload_interval_ms=250,
            simulator_behaviour=behaviour_path,
            extra_env={"LOG_LEVEL": "warn"},
            replicas=options.replicas,
        )
    )
    say(f"faults: {len(faults)} faults over {options.traffic:.0f} s of traffic at {options.rate:.1f} orders/s")
    started = time.monotonic()
    try:
        stack.start()
        say(f"faults: fleet up in {time.monotonic() - started:.1f} s: {', '.join(stack.replicas)} behind HAProxy")
        gathered = asyncio.run(_campaign(stack, options, configs, faults, behaviour, say))
    finally:
        say("faults: stopping the fleet …")
        stack.stop()
    gathered.update(
        leftovers=stack.leftovers(),
        lb_lines=list(stack.balancer.log_lines()) if stack.balancer is not None else [],
        simulator_log=str(stack.simulator.log_path),
        start_fingerprint=start_fingerprint,
        expected_fingerprint=configs.valid_fingerprint,
        schedule=[{"at_s": f.at_s, "kind": f.kind, "params": f.params} for f in faults],
        options={
            "seed": options.seed,
            "quick": options.quick,
            "k": options.k,
            "replicas": options.replicas,
            "traffic_s": options.traffic,
            "rate_per_s": options.rate,
        },
        wall_s=time.monotonic() - started,
        timeout_ms=scale_config(read_config(), options.k).document["payment"]["timeout_ms"],
        fleet=fleet_figures(read_config()),
    )
    return gathered


async def _campaign(
    stack: Stack,
    options: CampaignOptions,
    configs: Configs,
    faults: list[schedule.Fault],
    behaviour: dict[str, Any],
    say: Callable[[str], None],
) -> dict[str, Any]:
    config = ReloadingConfig(configs.path, interval_ms=250)
    payments = AsyncPaymentClient(stack.gateway_url, config=config)
    clients = Clients(stack.order_service_url, payments, options.seed, f"faults-{options.seed}-{int(time.time())}")
    arrivals = poisson_schedule(options.rate, options.traffic, options.seed)
    cpu_before = _cpu(stack)
    t0 = time.time()
    injector = Injector(stack, clients, asyncio.get_running_loop(), configs, behaviour, t0)
    with Watcher(stack) as watcher:
        lanes = injector.run_lanes(faults)
        tasks: list[asyncio.Task[None]] = []
        next_progress = 5.0
        for index, at in enumerate(arrivals):
            delay = t0 + at - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            clients.traffic.lags.append(-delay if delay < 0 else 0.0)
            tasks.append(asyncio.create_task(clients.arrival(index)))
            if at >= next_progress:
                next_progress += 5.0
                say(_progress(at, clients, injector, stack))
        say(f"faults: traffic done ({len(tasks)} arrivals); waiting for the last answers …")
        await asyncio.gather(*tasks)
        for lane in lanes:
            await asyncio.to_thread(lane.join, 120)
        injector.stop.set()
        cpu_after = _cpu(stack)
        settled = await _settle(stack, clients, say)
        traffic_end = time.time()
    fingerprints = stack.fingerprints()
    fingerprints["python client"] = payments.config.fingerprint
    ledger = httpx.get(f"{stack.simulator.url}/ledger", timeout=30).json()
    orders = _orders(stack)
    await clients.close()
    await payments.aclose()
    traffic = clients.traffic
    return {
        "t0": t0,
        "traffic_end": traffic_end,
        "records": [vars(record) for record in sorted(injector.records, key=lambda r: r.started_at)],
        "exchanges": [vars(exchange) for exchange in traffic.exchanges],
        "client_keys": traffic.orders,
        "payments": {key: payment.final for key, payment in traffic.payments.items()},
        "payment_outcomes": {key: payment.outcomes for key, payment in traffic.payments.items()},
        "duplicates": traffic.duplicates,
        "orders": orders,
        "ledger": ledger,
        "fingerprints": fingerprints,
        "samples": [vars(sample) for sample in watcher.snapshot()],
        "settled": settled,
        "arrivals": len(arrivals),
        "lag_s": _lag_summary(traffic.lags),
        "cpu_s": {name: round(cpu_after.get(name, 0.0) - cpu_before.get(name, 0.0), 1) for name in cpu_after},
    }


def _cpu(stack: Stack) -> dict[str, float]:
    """CPU seconds so far per process group (a restarted replica counts from its restart)."""
    groups = {name: service.popen.pid for name, service in stack.services.items()}
    if stack.balancer is not None and stack.balancer.process is not None:
        groups["haproxy"] = stack.balancer.process.popen.pid
    if stack.own_postgres is not None and stack.own_postgres.pid is not None:
        groups["postgres"] = stack.own_postgres.pid
    usage = {name: process_group_cpu_s(pid) for name, pid in groups.items()}
    usage["campaign (load, faults, watcher)"] = own_cpu_s()
    return usage


def _lag_summary(lags: list[float]) -> dict[str, float]:
    ordered = sorted(lags) or [0.0]
    return {
        "p50": round(ordered[len(ordered) // 2], 3),
        "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3),
        "max": round(ordered[-1], 3),
    }


async def _settle(stack: Stack, clients: Clients, say: Callable[[str], None]) -> dict[str, int]:
    """Give every order and payment its outcome: the keys whose every answer was lost are sent again (what
    their client does), then the reconciler works alone, then clients retry the open ones with their key."""
    traffic = clients.traffic
    lost = traffic.order_keys_without_order()
    if lost:
        say(f"faults: {len(lost)} orders never got an answer: their clients send them again with the same key")
        await asyncio.gather(*(clients.order(key, traffic.bodies[key], "settle", retry_for_s=20) for key in lost))
    open_at_end = len(_open_orders(stack))
    say(f"faults: {open_at_end} orders not final when the traffic stopped; the reconciler settles them …")
    deadline = time.monotonic() + RECONCILER_WAIT_S
    while _open_orders(stack) and time.monotonic() < deadline:
        await asyncio.sleep(1.0)
    by_reconciler = open_at_end - len(_open_orders(stack))
    remaining = _open_orders(stack)
    before_clients = len(remaining)
    deadline = time.monotonic() + CLIENT_SETTLE_S
    while remaining and time.monotonic() < deadline:
        say(f"faults: {len(remaining)} still open: their clients ask again with the same key")
        await asyncio.gather(*(clients.order(key, traffic.bodies[key], "settle", retry_for_s=5) for key in remaining))
        await asyncio.sleep(1.0)
        remaining = _open_orders(stack)
    unsettled_payments = [k for k, p in traffic.payments.items() if p.final not in SETTLED_PAYMENT]
    deadline = time.monotonic() + CLIENT_SETTLE_S
    while unsettled_payments and time.monotonic() < deadline:
        await asyncio.gather(*(clients.settle_payment(key) for key in unsettled_payments))
        unsettled_payments = [k for k in unsettled_payments if traffic.payments[k].final not in SETTLED_PAYMENT]
        if unsettled_payments:
            await asyncio.sleep(1.0)
    return {
        "open_when_traffic_stopped": open_at_end,
        "settled_by_reconciler": by_reconciler,
        "settled_by_client_retry": before_clients - len(remaining),
        "left_open": len(remaining),
    }


def _open_orders(stack: Stack) -> list[str]:
    with psycopg.connect(stack.database_url("orders")) as conn:
        rows = conn.execute("SELECT idempotency_key FROM orders WHERE status <> ALL(%s)", (list(FINAL_ORDER),))
        return [str(row[0]) for row in rows.fetchall()]


def _orders(stack: Stack) -> list[dict[str, Any]]:
    with psycopg.connect(stack.database_url("orders")) as conn:
        rows = conn.execute("SELECT id, idempotency_key, status, payment_key, payment_error_class FROM orders")
        names = ("id", "idempotency_key", "status", "payment_key", "payment_error_class")
        return [dict(zip(names, (str(v) if v is not None else None for v in row), strict=True)) for row in rows]


def _progress(at: float, clients: Clients, injector: Injector, stack: Stack) -> str:
    traffic = clients.traffic
    fired = len(injector.records)
    states = stack.balancer.servers() if stack.balancer is not None else {}
    down = [name for name, state in states.items() if state != "UP"]
    return (
        f"[{at:5.1f} s] sent {len(traffic.orders) + len(traffic.payments)}, in flight {traffic.inflight}, "
        f"faults done {fired} | balancer: {'all up' if not down else 'down ' + ', '.join(down)}"
    )
