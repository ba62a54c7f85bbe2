"""The bench: replay one profile against several configs, print the tables, write the reports."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.replay import paired, report, verdict
from tools.replay.profiles import Profile
from tools.replay.run import ConfigSpec, RunOptions, run_one
from tools.replay.stats import Interval

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "config" / "timeout.json"
INCIDENT = REPO / "config" / "examples" / "incident.json"
ORIGINAL = REPO / "config" / "examples" / "original.json"
REPORTS = REPO / "reports" / "replay"

# k = 10 (docs/REPLAY.md, "Choosing k"): the stack spends ~20 ms of CPU per order (the gateway half of
# it), so 3.35 × k orders/s must stay well inside 2 shared cores — k = 20 saturated them; and its own
# ~15 ms per order become 0.15 s real-world, small against a 4 s median and a 5 s timeout.
# 15 real minutes per config: ~3000 orders each, the four default configs in ~7 minutes.
DEFAULT_K = 10.0
DEFAULT_MINUTES = 15.0
QUICK_MINUTES = 5.0

# `original` and `incident` run as their files say: on the incident's code path (both legacy switches on).
DEFAULT_SET = (
    ConfigSpec("original", ORIGINAL, None, "30 s timeout, pool 20, on the code of then (both legacy switches)"),
    ConfigSpec("incident", INCIDENT, None, "5 s timeout, pool 20, on the code of then (both legacy switches)"),
    ConfigSpec("fix", FIX, None, "config/timeout.json as shipped, on today's code"),
    ConfigSpec(
        "fix+legacy",
        FIX,
        True,
        "the fix's values on the incident's code path (the PR's phase 1: config before code)",
        retry_as_new_payment=True,
    ),
)
QUICK_SET = (DEFAULT_SET[1], DEFAULT_SET[2])

METHOD = (
    "Each config runs on a fresh stack (simulator, Java gateway, Node order service, one PostgreSQL) "
    "from a time-scaled copy: every *_ms value divided by k, the provider's latencies multiplied by 1/k "
    "(simulator time_scale), the arrival rate multiplied by k. Orders arrive on a seeded Poisson schedule "
    "(open model): each is sent at its time whatever the system does, latency is measured from that time. "
    "A 2 s warm-up against a 5 ms provider precedes each run and is discarded (the ledger is reset). Errors are "
    "answers other than PAID/DECLINED: PAYMENT_UNKNOWN/FAILED by the payment's error class, 5xx by the body's "
    "class; timeout errors are TIMEOUT, DEADLINE_EXCEEDED and client timeouts. Pool figures sample the order "
    "service's /health; charges and attempts come from the simulator's ledger; breaker transitions from both "
    "services' /metrics; charges per order group the ledger's keys by the order id the gateway forwards. "
    "Intervals are 95 % batch-means intervals over 10 batches of arrival time. Paired differences compare "
    "the same orders under two configs: the order service derives each payment key from the client's key, "
    "so each order's first provider call draws the same fate (seeded by key) under every config; their "
    "interval comes from batches of per-order differences. After the load, orders answered "
    "PAYMENT_UNKNOWN are polled until the reconciler settles them (bounded)."
)


def replay_profile(
    specs: list[ConfigSpec],
    profile: Profile,
    *,
    k: float,
    minutes: float,
    seed: int,
    out: Path,
    command: str,
    repeat: int = 1,
) -> dict[str, Any]:
    """Replays one profile against every config, prints the tables, writes <profile>.json and .html."""
    out.mkdir(parents=True, exist_ok=True)
    options = RunOptions(k=k, traffic_s=minutes * 60, seed=seed, workdir=out / "runs")
    print(f"replay: profile {profile.name} — {profile.description}")
    print(
        f"replay: k = {k:g}: {minutes:g} real-world minutes of traffic per config in {minutes * 60 / k:.0f} s"
        f" at {profile.rate_per_s * k:.1f} orders/s; configs: {', '.join(s.name for s in specs)}"
    )
    load_start = os.getloadavg()
    runs: dict[str, dict[str, Any]] = {}
    repeats: dict[str, list[dict[str, Any]]] = {}
    for spec in specs:
        for attempt in range(repeat):
            result = run_one(spec, profile, options)
            repeats.setdefault(spec.name, []).append(result)
            runs.setdefault(spec.name, result)
            label = spec.name if repeat == 1 else f"{spec.name} (run {attempt + 1})"
            print(f"  {label}: done in {result['wall_s']:.0f} s — {_one_line(result)}")
    rows = verdict.evaluate(runs)
    paired_rows = paired.paired_rows(runs)
    reproduced = verdict.reproduction(runs)
    full: dict[str, Any] = {
        "meta": {
            "profile": profile.name,
            "profile_description": profile.description,
            "command": command,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "k": k,
            "seed": seed,
            "traffic_real_min": minutes,
            "cpus": os.cpu_count(),
            "load_average_start": " ".join(f"{v:.2f}" for v in load_start),
            "load_average_end": " ".join(f"{v:.2f}" for v in os.getloadavg()),
            "method": METHOD,
        },
        "verdict": rows,
        "reproduction": reproduced,
        "paired": paired_rows,
        "runs": runs,
        "agreement": _agreement(repeats) if repeat > 1 else None,
        "repeats": {name: results[1:] for name, results in repeats.items()} if repeat > 1 else None,
    }
    report.write_json(out / f"{profile.name}.json", full)
    report.write_html(out / f"{profile.name}.html", full)
    print()
    print(report.comparison_table(runs))
    print()
    print(report.verdict_table(rows))
    if reproduced:
        print()
        print(report.reproduction_table(reproduced))
    if paired_rows:
        print()
        print("paired with incident — the same orders, each meeting the same first provider fate:")
        print(paired.paired_table(paired_rows))
    for name, run in runs.items():
        for text in run["machine"]["distortions"]:
            print(f"DISTORTION ({name}): {text}")
    for line in full["agreement"] or []:
        print(f"agreement: {line}")
    meta = full["meta"]
    print(f"load average: {meta['load_average_start']} at the start, {meta['load_average_end']} at the end")
    print(f"report: {out / (profile.name + '.html')}  json: {out / (profile.name + '.json')}")
    return full


def default_out() -> Path:
    out = REPORTS / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _one_line(run: dict[str, Any]) -> str:
    pool = run["pool"]
    return (
        f"{run['orders']} orders, errors {run['errors']['rate']:.1%}, timeouts {run['errors']['timeout_rate']:.1%},"
        f" p99 {run['latency_ms']['p99'] / 1000 if run['latency_ms']['p99'] else 0:.1f} s,"
        f" pool mean {pool['utilization_mean'] or 0:.0%} p95 {pool['utilization_p95'] or 0:.0%},"
        f" attempts/order {run['provider']['attempts_per_order'] or 0:.2f},"
        f" not final {run['settlement']['not_final']}, charged twice {run['provider']['orders_charged_twice']}"
    )


def _agreement(repeats: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Whether repeated runs of one config agree: their 95 % intervals overlap, metric by metric."""
    lines = []
    picks: dict[str, Callable[[dict[str, Any]], dict[str, float] | None]] = {
        "error rate": lambda r: r["errors"]["ci95"]["rate"],
        "p99 latency": lambda r: r["latency_ms"]["ci95_p99"],
        "pool utilization": lambda r: r["pool"]["ci95_utilization_mean"],
    }
    for name, results in repeats.items():
        for metric, pick in picks.items():
            intervals = [interval for interval in (pick(result) for result in results) if interval is not None]
            if len(intervals) < len(results):
                continue
            parsed = [Interval(i["mean"], (i["ci95_high"] - i["ci95_low"]) / 2, int(i["batches"])) for i in intervals]
            agree = all(a.overlaps(b) for a in parsed for b in parsed)
            shown = ", ".join(f"{i.mean:.4g} [{i.low:.4g}, {i.high:.4g}]" for i in parsed)
            lines.append(f"{name} {metric}: {'agree' if agree else 'DISAGREE'} — {shown}")
    return lines
