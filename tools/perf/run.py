"""One measurement run: each service beside its baseline, on the same provider and the same PostgreSQL.

Per target: a probe (one request, its answer checked), a wrk warm-up (discarded), a wrk saturation run
(closed loop: its requests/s is the saturation throughput), then — once both targets of a pair have
saturated — an open-loop run at one fixed rate for both (a fraction of the lower saturation), for the
latency and the CPU per request at the same load. CPU is read per process tree before and after each
measured phase (tools/perf/cpu.py).
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from tools.perf import cpu, openloop, wrk

PAYMENT_BODY = {"order_id": "perf-order", "amount_minor": 1999, "currency": "EUR", "payment_token": "tok_visa_4242"}
ORDER_BODY = {"customer_id": "perf-customer", "amount_minor": 1999, "currency": "EUR", "payment_token": "tok_visa_4242"}
# The body statuses of a payment that went through: the provider's and gateway's, the order's.
ANSWERED = frozenset({"authorised", "PAID"})


@dataclass(frozen=True)
class Phases:
    warmup_s: float
    saturation_s: float
    fixed_s: float
    connections: int
    rate_fraction: float  # of the lower saturation throughput of a pair
    rate: float | None = None  # a fixed rate for every pair instead of the fraction
    max_inflight: int = 256


FULL = Phases(warmup_s=15, saturation_s=30, fixed_s=30, connections=32, rate_fraction=0.5)
QUICK = Phases(warmup_s=1, saturation_s=2, fixed_s=2, connections=8, rate_fraction=0.5)


@dataclass(frozen=True)
class Target:
    name: str
    role: str  # "service", "baseline" or "provider"
    url: str  # the POST route under load
    body: Mapping[str, Any]
    expect_status: int
    processes: Mapping[str, int]  # label → root pid of a process tree; the label `name` is the target's own

    @property
    def body_text(self) -> str:
        return json.dumps(dict(self.body), separators=(",", ":"))


Log = Callable[[str], None]


def probe(target: Target, run_id: str) -> dict[str, Any]:
    """One request before any load: did the target answer as a payment that went through?"""
    key = f"perf-{run_id}-{target.name}-probe"
    try:
        response = httpx.post(target.url, json=dict(target.body), headers={"Idempotency-Key": key}, timeout=30.0)
    except httpx.HTTPError as error:
        return {"ok": False, "http_status": None, "status": None, "error": f"{type(error).__name__}: {error}"}
    try:
        status = response.json().get("status")
    except ValueError:
        status = None
    ok = response.status_code == target.expect_status and status in ANSWERED
    return {"ok": ok, "http_status": response.status_code, "status": status}


def saturation(target: Target, phases: Phases, prefix: str, duration_s: float) -> dict[str, Any]:
    """A wrk run of `duration_s`; CPU per process tree over it."""
    argv = wrk.argv(
        target.url, key_prefix=prefix, body=target.body_text, connections=phases.connections, duration_s=duration_s
    )
    before = cpu.snapshot(target.processes)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration_s + 60, check=False)
    use = cpu.cpu_use(before, cpu.snapshot(target.processes))
    if done.returncode != 0:
        return {"error": f"wrk exited {done.returncode}: {done.stderr.strip()[-500:]}"}
    try:
        result = wrk.parse(done.stdout)
    except ValueError as error:
        return {"error": str(error)}
    return {
        "requests": result.requests,
        "ok": result.ok,
        "duration_s": result.duration_s,
        "ok_per_s": result.ok_per_s,
        "non_2xx": result.non_2xx,
        "socket_errors": result.socket_errors,
        "latency_ms": result.latency_ms,
        **_cpu_fields(use, result.ok),
    }


def fixed_rate(target: Target, phases: Phases, prefix: str, rate: float) -> dict[str, Any]:
    """The open-loop generator at `rate` for `phases.fixed_s`; CPU per process tree over it."""
    argv = openloop.argv(
        target.url,
        rate=rate,
        duration_s=phases.fixed_s,
        key_prefix=prefix,
        body=target.body_text,
        max_inflight=phases.max_inflight,
    )
    before = cpu.snapshot(target.processes)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=phases.fixed_s + 60, check=False)
    use = cpu.cpu_use(before, cpu.snapshot(target.processes))
    if done.returncode != 0:
        return {"error": f"open-loop generator exited {done.returncode}: {done.stderr.strip()[-500:]}"}
    try:
        result = openloop.parse(done.stdout)
    except ValueError as error:
        return {"error": str(error)}
    return {
        "rate_per_s": rate,
        "scheduled": result.scheduled,
        "ok": result.ok,
        "non_2xx": result.non_2xx,
        "errors": result.errors,
        "timeouts": result.timeouts,
        "throttled": result.throttled,
        "achieved_per_s": result.achieved_per_s,
        "max_lag_ms": result.max_lag_ms,
        "latency_ms": result.latency_ms,
        "statuses": result.statuses,
        **_cpu_fields(use, result.ok),
    }


def pair_rate(saturated: list[dict[str, Any]], phases: Phases) -> float:
    """The fixed rate of a pair: `phases.rate`, else rate_fraction × the lower saturation throughput
    (at least 1/s, so a target that failed to saturate still gets a run that shows its errors)."""
    if phases.rate is not None:
        return phases.rate
    throughputs = [float(s.get("ok_per_s") or 0.0) for s in saturated]
    lowest = min(throughputs) if throughputs else 0.0
    return max(1.0, round(lowest * phases.rate_fraction))


def measure_alone(target: Target, phases: Phases, run_id: str, log: Log) -> dict[str, Any]:
    """A target on its own: probe, warm-up, saturation (the provider, to see its ceiling)."""
    result: dict[str, Any] = {"role": target.role, "probe": probe(target, run_id)}
    log(f"{target.name}: warm-up {phases.warmup_s:g} s, saturation {phases.saturation_s:g} s")
    saturation(target, phases, f"perf-{run_id}-{target.name}-warmup", phases.warmup_s)
    result["saturation"] = saturation(target, phases, f"perf-{run_id}-{target.name}-sat", phases.saturation_s)
    log(f"{target.name}: {_one_line(result['saturation'])}")
    return result


def measure_pair(service: Target, baseline: Target, phases: Phases, run_id: str, log: Log) -> dict[str, Any]:
    """The service and its baseline: each saturated in turn, then both at the same fixed rate."""
    targets = {t.name: measure_alone(t, phases, run_id, log) for t in (service, baseline)}
    rate = pair_rate([targets[t.name]["saturation"] for t in (service, baseline)], phases)
    for target in (service, baseline):
        log(f"{target.name}: {rate:g} requests/s for {phases.fixed_s:g} s (open loop)")
        fixed = fixed_rate(target, phases, f"perf-{run_id}-{target.name}-fixed", rate)
        targets[target.name]["fixed"] = fixed
        log(f"{target.name}: {_one_line(fixed)}")
    return {"service": service.name, "baseline": baseline.name, "rate_per_s": rate, "targets": targets}


def new_run_id() -> str:
    """A fresh prefix for this run's Idempotency-Keys: never the keys of an earlier run on the same database."""
    return time.strftime("%H%M%S") + "-" + uuid.uuid4().hex[:6]


def _cpu_fields(use: cpu.CpuUse, ok: int) -> dict[str, Any]:
    return {
        "wall_s": use.wall_s,
        "cpu_ms": use.cpu_ms,
        "cpu_ms_per_request": use.per_request(ok),
        "core_share": use.core_share(),
        "loadgen_cpu_ms_per_request": use.loadgen_ms / ok if ok > 0 else None,
        "machine_busy_cores": use.machine_cores,
    }


def _one_line(phase: Mapping[str, Any]) -> str:
    if "error" in phase:
        return f"ERROR {phase['error']}"
    per_s = phase.get("ok_per_s", phase.get("achieved_per_s"))
    latency = phase.get("latency_ms") or {}
    p50 = latency.get("50", latency.get("p50"))
    p99 = latency.get("99", latency.get("p99"))
    own = ", ".join(f"{k} {v:.3f}" for k, v in phase["cpu_ms_per_request"].items() if v is not None)
    return (
        f"{phase['ok']} ok ({per_s or 0:.0f}/s), p50 {_ms(p50)} p99 {_ms(p99)}; CPU ms/request: {own or 'n/a'};"
        f" machine busy {phase['machine_busy_cores'] or 0:.2f} cores"
    )


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"
