"""One replay: one config under one profile, on a fresh stack (simulator ← gateway ← order service)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from checkout_payments.config import ConfigError, load_config
from tools.replay.loadgen import FINAL, LoadState, drive, poisson_schedule
from tools.replay.profiles import Profile
from tools.replay.results import summarise
from tools.replay.sampler import Samples, load_average, own_cpu_s, process_group_cpu_s, sample_cpu, sample_services
from tools.replay.scaling import LEGACY_HOLD, LEGACY_RETRY, ScaledConfig, scale_config
from tools.stack import Stack, StackOptions

# A fast, faultless provider for the warm-up (JIT, connection pools), then the ledger is reset.
WARMUP_LATENCY_MS = 5
WARMUP_BEHAVIOUR = {"latency": {"kind": "fixed", "ms": WARMUP_LATENCY_MS}}


@dataclass(frozen=True)
class ConfigSpec:
    """A config to replay: its file, and overrides of the two legacy switches (None keeps the file's value)."""

    name: str
    path: Path
    hold_connection: bool | None = None
    note: str = ""
    retry_as_new_payment: bool | None = None


@dataclass(frozen=True)
class RunOptions:
    k: float
    traffic_s: float  # real-world seconds of traffic
    seed: int
    workdir: Path
    batches: int = 10
    max_inflight: int = 4096
    sample_interval_s: float = 0.05  # wall
    warmup_s: float = 2.0  # wall
    progress_every_s: float = 5.0  # wall


class RefusedConfigError(Exception):
    """The config fails the schema or the lint, so no service would run it."""


def check_config(path: Path) -> list[str]:
    """The file as a service would load it: raises RefusedConfigError; returns the lint warnings."""
    try:
        loaded = load_config(path)
    except ConfigError as error:
        lines = [f"{v.pointer or '(document)'} [{v.rule}]: {v.message}" for v in error.violations]
        raise RefusedConfigError(f"{path}: every service refuses this config:\n  " + "\n  ".join(lines)) from error
    return [f"{w.pointer} [{w.rule}]" for w in loaded.warnings]


def run_one(
    spec: ConfigSpec, profile: Profile, options: RunOptions, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Start a stack on the time-scaled config, warm it up, replay the profile, settle, measure."""
    warnings = check_config(spec.path)
    document = json.loads(spec.path.read_text(encoding="utf-8"))
    scaled = scale_config(
        document, options.k, hold_connection=spec.hold_connection, retry_as_new_payment=spec.retry_as_new_payment
    )
    workdir = options.workdir / f"{profile.name}-{spec.name}"
    workdir.mkdir(parents=True, exist_ok=True)
    config_path = workdir / "config.json"
    config_path.write_text(scaled.text, encoding="utf-8")
    behaviour_path = workdir / "behaviour.json"
    behaviour_path.write_text(json.dumps(profile.behaviour(options.k), indent=2) + "\n", encoding="utf-8")
    stack_options = StackOptions(
        config_path=config_path,
        workdir=workdir,
        seed=options.seed,
        reload_interval_ms=5000,
        simulator_behaviour=behaviour_path,
        # Request logs at info would cost the order service more CPU than the requests themselves.
        extra_env={"LOG_LEVEL": "warn"},
    )
    started = time.monotonic()
    with Stack(stack_options) as stack:
        log(f"  {spec.name}: stack up in {time.monotonic() - started:.1f} s (logs: {workdir})")
        running = set(stack.fingerprints().values())
        if running != {scaled.loaded.fingerprint}:
            raise RuntimeError(f"the services run {running}, not the scaled config {scaled.loaded.fingerprint}")
        measured = asyncio.run(_replay(stack, spec, profile, options, scaled, log))
    measured["config"] = {
        "name": spec.name,
        "path": str(spec.path),
        "note": spec.note,
        "version": document.get("version"),
        "fingerprint": load_config(spec.path).fingerprint,
        "scaled_fingerprint": scaled.loaded.fingerprint,
        "hold_connection": bool(scaled.document["order_service"][LEGACY_HOLD]),
        "retry_as_new_payment": bool(scaled.document["order_service"][LEGACY_RETRY]),
        "lint_warnings": warnings,
        "scaled": scaled.document,
        "scaling_adjustments": scaled.adjustments,
    }
    measured["wall_s"] = time.monotonic() - started
    return measured


async def _replay(
    stack: Stack,
    spec: ConfigSpec,
    profile: Profile,
    options: RunOptions,
    scaled: ScaledConfig,
    log: Callable[[str], None],
) -> dict[str, Any]:
    k = options.k
    settings = scaled.loaded.settings
    rate = profile.rate_per_s * k
    traffic_wall_s = options.traffic_s / k
    deadline_s = settings.payment.deadline_ms / 1000
    acquire_s = settings.database.pool.acquire_timeout_ms / 1000
    # Twice what the stack can take (the deadline plus a pool wait for each of its two statements),
    # so the bench's own timeout never decides an outcome.
    request_timeout_s = 2 * (deadline_s + 2 * acquire_s) + 5
    simulator, order_service, gateway = stack.simulator.url, stack.order_service.url, stack.gateway.url

    async with httpx.AsyncClient(timeout=10) as control:
        (await control.put(f"{simulator}/control/behaviour", json=WARMUP_BEHAVIOUR)).raise_for_status()
        warmup = LoadState()
        await drive(
            order_service,
            poisson_schedule(rate, options.warmup_s, options.seed + 7),
            key_prefix=f"warmup-{options.seed}",
            seed=options.seed + 7,
            request_timeout_s=request_timeout_s,
            max_inflight=options.max_inflight,
            state=warmup,
        )
        # Back to the profile's behaviour (the --behaviour file) with an empty ledger.
        (await control.post(f"{simulator}/control/reset")).raise_for_status()
        before = {name: (await control.get(f"{url}/metrics")).text for name, url in _services(stack).items()}

    cpu_before = _cpu_by_process(stack)
    schedule = poisson_schedule(rate, traffic_wall_s, options.seed)
    state = LoadState()
    samples = Samples()
    stop = asyncio.Event()
    outage: dict[str, float] = {}
    load_before = load_average()
    start_box: list[float] = []
    begin = time.monotonic()

    def started(at: float) -> None:
        start_box.append(at)

    def start() -> float:
        return start_box[0] if start_box else begin

    load = asyncio.create_task(
        drive(
            order_service,
            schedule,
            key_prefix=f"replay-{options.seed}-{profile.name}",
            seed=options.seed,
            request_timeout_s=request_timeout_s,
            max_inflight=options.max_inflight,
            state=state,
            on_start=started,
        )
    )
    watchers = [
        asyncio.create_task(sample_services(order_service, gateway, begin, options.sample_interval_s, samples, stop)),
        asyncio.create_task(sample_cpu(begin, 0.5, samples, stop)),
        asyncio.create_task(_progress(spec.name, state, samples, traffic_wall_s, begin, options, stop, log)),
    ]
    if profile.outage is not None:
        watchers.append(asyncio.create_task(_outage(simulator, profile, k, traffic_wall_s, begin, outage, stop)))
    await load
    traffic_done = time.monotonic() - begin
    cpu_after = _cpu_by_process(stack)
    stop.set()
    await asyncio.gather(*watchers)
    load_after = load_average()
    # Samples were timed from `begin`; shift them to the first scheduled arrival.
    shift = start() - begin
    for pool_sample in samples.pool:
        pool_sample.t_s -= shift
    for cpu_sample in samples.cpu:
        cpu_sample.t_s -= shift

    settle_started = time.monotonic()
    unsettled = await _wait_settled(order_service, state, _settle_bound_s(scaled, k))
    settle_s = time.monotonic() - settle_started

    async with httpx.AsyncClient(timeout=30) as control:
        ledger = (await control.get(f"{simulator}/ledger")).json()
        after = {name: (await control.get(f"{url}/metrics")).text for name, url in _services(stack).items()}

    return summarise(
        profile=profile,
        k=k,
        traffic_s=options.traffic_s,
        batches=options.batches,
        outcomes=state.outcomes,
        final_status=unsettled.final_status,
        unsettled=unsettled.remaining,
        samples=samples,
        ledger=ledger,
        metrics_before=before,
        metrics_after=after,
        outage_window_s={key: value - shift for key, value in outage.items()},
        # Real-world: the config's own timeout, not the scaled copy's.
        settings_timeout_ms=round(settings.payment.timeout_ms * k),
        seed=options.seed,
        machine={
            "load_average_before": load_before,
            "load_average_after": load_after,
            "throttled_sends": state.throttled,
            "max_inflight": options.max_inflight,
            "failed_health_polls": samples.failed_polls,
            "traffic_wall_s": traffic_done,
            "settle_wall_s": settle_s,
            # CPU seconds each process spent during the traffic (the bench's own process included).
            "cpu_s_by_process": {name: round(cpu_after[name] - cpu_before[name], 2) for name in cpu_after},
            "warmup_orders": len(warmup.outcomes),
            "warmup_errors": warmup.errors,
            # The stack's own time per order (provider at 5 ms): in real-world units it is k times larger.
            "stack_overhead_wall_ms_p50": _overhead_ms(warmup),
        },
    )


def _overhead_ms(warmup: LoadState) -> float | None:
    in_order = sorted(warmup.outcomes, key=lambda outcome: outcome.scheduled_s)
    late = sorted(o.latency_ms for o in in_order[len(in_order) // 2 :])  # the second half: the JIT has warmed
    return late[len(late) // 2] - WARMUP_LATENCY_MS if late else None


def _cpu_by_process(stack: Stack) -> dict[str, float]:
    usage = {name: process_group_cpu_s(service.popen.pid) for name, service in stack.services.items()}
    usage["replay (load generator)"] = own_cpu_s()
    return usage


def _services(stack: Stack) -> dict[str, str]:
    return {"gateway": stack.gateway.url, "order-service": stack.order_service.url}


def _settle_bound_s(scaled: ScaledConfig, k: float) -> float:
    """How long reconciliation may take: a few reconcile runs after the longest payment could end."""
    settings = scaled.loaded.settings
    ms = (
        3 * settings.order_service.reconcile_interval_ms
        + settings.payment.deadline_ms
        + 2 * settings.database.pool.acquire_timeout_ms
    )
    return ms / 1000 + 300 / k + 15


@dataclass
class Settled:
    final_status: dict[str, str]  # order id -> status, for every order not final when answered
    remaining: list[str]  # order ids still not final when the bound ran out


async def _wait_settled(order_service: str, state: LoadState, bound_s: float) -> Settled:
    """Polls GET /orders/{id} of every order answered non-final until each is final or the bound runs out."""
    pending = {o.order_id for o in state.outcomes if o.order_id is not None and o.status not in FINAL}
    final_status: dict[str, str] = {}
    deadline = time.monotonic() + bound_s
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=order_service, timeout=10) as client:

        async def look(order_id: str) -> None:
            async with limit:
                try:
                    response = await client.get(f"/orders/{order_id}")
                    status = str(response.json().get("status"))
                except (httpx.HTTPError, ValueError):
                    return
            final_status[order_id] = status
            if status in FINAL:
                pending.discard(order_id)

        while pending:
            await asyncio.gather(*(look(order_id) for order_id in list(pending)))
            if not pending or time.monotonic() > deadline:
                break
            await asyncio.sleep(1.0)
    return Settled(final_status, sorted(pending))


async def _outage(
    simulator: str,
    profile: Profile,
    k: float,
    traffic_wall_s: float,
    begin: float,
    window: dict[str, float],
    stop: asyncio.Event,
) -> None:
    """Takes the provider down at the profile's moment and brings it back after its duration."""
    assert profile.outage is not None
    down_at = profile.outage.start_fraction * traffic_wall_s
    up_at = down_at + profile.outage.duration_s / k
    async with httpx.AsyncClient(timeout=10) as control:
        for at, mode, key in ((down_at, profile.outage.mode, "down_s"), (up_at, "none", "up_s")):
            wait = begin + at - time.monotonic()
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
            response = await control.patch(f"{simulator}/control/behaviour", json={"outage": {"mode": mode}})
            response.raise_for_status()
            window[key] = time.monotonic() - begin


async def _progress(
    name: str,
    state: LoadState,
    samples: Samples,
    traffic_wall_s: float,
    begin: float,
    options: RunOptions,
    stop: asyncio.Event,
    log: Callable[[str], None],
) -> None:
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), options.progress_every_s)
        elapsed = time.monotonic() - begin
        pool = samples.pool[-1] if samples.pool else None
        pool_text = f"{pool.in_use:>3}/{pool.max} waiting {pool.waiting}" if pool else "-"
        cpu = samples.cpu[-1].busy if samples.cpu else float("nan")
        error_rate = state.errors / state.answered if state.answered else 0.0
        log(
            f"  {name:<16} {min(elapsed, traffic_wall_s):5.0f}/{traffic_wall_s:.0f} s wall"
            f" ({min(elapsed, traffic_wall_s) * options.k / 60:5.1f} real min)"
            f"  sent {state.sent:>5}  answered {state.answered:>5}  errors {error_rate:6.1%}"
            f"  in flight {state.inflight:>4}"
            f"  pool {pool_text}"
            f"  cpu {cpu:4.0%}"
        )
        sys.stdout.flush()
