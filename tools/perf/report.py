"""What a perf run found: each service's ratios to its baseline against the goals, whether the provider held
up, the smoke checks of `--quick`, and the table printed at the end. Pure functions over the run's dict."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Issue 14: each service at >= 0.8x its baseline's throughput and <= 1.25x its CPU per request.
THROUGHPUT_GOAL = 0.8
CPU_GOAL = 1.25
# A provider process (single-threaded: the simulator's event loop, the stub's) busier than this share of one
# core, or with less than this headroom over a target's throughput, may be what limits that target.
PROVIDER_CORE_LIMIT = 0.8
PROVIDER_HEADROOM = 2.0


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _goal(value: float | None, limit: float, at_least: bool) -> dict[str, Any]:
    meets = None if value is None else (value >= limit if at_least else value <= limit)
    return {"value": value, "goal": f"{'>=' if at_least else '<='} {limit:g}", "meets": meets}


def _cpu(phase: Mapping[str, Any] | None, *labels: str) -> float | None:
    """CPU ms per request of `labels` summed, in one phase; None when any is missing."""
    per_request = (phase or {}).get("cpu_ms_per_request") or {}
    values = [per_request.get(label) for label in labels]
    return None if any(v is None for v in values) else float(sum(v for v in values if v is not None))


def pair_ratios(pair: Mapping[str, Any]) -> dict[str, Any]:
    """Service / baseline: saturation throughput; CPU per request of its own process at the fixed rate (the
    same load for both), the same with the PostgreSQL server's CPU added (the gateway writes payment records,
    the forwarder none), and its own CPU per request at saturation (each at its own rate)."""
    service, baseline = pair["service"], pair["baseline"]
    s, b = pair["targets"][service], pair["targets"][baseline]
    throughput = ratio(s.get("saturation", {}).get("ok_per_s"), b.get("saturation", {}).get("ok_per_s"))
    own = ratio(_cpu(s.get("fixed"), service), _cpu(b.get("fixed"), baseline))
    with_db = ratio(_cpu(s.get("fixed"), service, "postgres"), _cpu(b.get("fixed"), baseline, "postgres"))
    saturated = ratio(_cpu(s.get("saturation"), service), _cpu(b.get("saturation"), baseline))
    return {
        "throughput": _goal(throughput, THROUGHPUT_GOAL, at_least=True),
        "cpu_per_request": _goal(own, CPU_GOAL, at_least=False),
        "cpu_per_request_with_postgres": _goal(with_db, CPU_GOAL, at_least=False),
        "cpu_per_request_at_saturation": _goal(saturated, CPU_GOAL, at_least=False),
    }


def provider_check(provider_alone: Mapping[str, Any], pairs: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Was the provider the bottleneck? Per target at saturation: the provider's CPU per request beside the
    target's own, the share of one core the provider kept busy, and its headroom (its own saturation
    throughput, measured alone, over the target's)."""
    alone = provider_alone.get("saturation", {}).get("ok_per_s")
    per_target: dict[str, Any] = {}
    reasons: list[str] = []
    for pair in pairs.values():
        for name, target in pair["targets"].items():
            sat = target.get("saturation") or {}
            share = (sat.get("core_share") or {}).get("provider")
            headroom = ratio(alone, sat.get("ok_per_s"))
            per_target[name] = {
                "provider_cpu_ms_per_request": _cpu(sat, "provider"),
                "own_cpu_ms_per_request": _cpu(sat, name),
                "provider_core_share": share,
                "provider_headroom": headroom,
            }
            if share is not None and share >= PROVIDER_CORE_LIMIT:
                reasons.append(
                    f"{name}: the provider kept {share:.0%} of a core busy (limit {PROVIDER_CORE_LIMIT:.0%})"
                )
            if headroom is not None and headroom < PROVIDER_HEADROOM:
                reasons.append(f"{name}: the provider alone saturates at only {headroom:.1f}x this target's throughput")
    return {"alone_ok_per_s": alone, "per_target": per_target, "bottleneck": bool(reasons), "reasons": reasons}


def quick_problems(report: Mapping[str, Any]) -> list[str]:
    """What `--quick` asserts (no timing): every target answered, every phase has its numbers."""
    problems: list[str] = []
    targets: dict[str, Mapping[str, Any]] = {"provider": report["provider_alone"]}
    for pair in report["pairs"].values():
        targets.update(pair["targets"])
    for name, target in targets.items():
        probed = target.get("probe", {})
        if not probed.get("ok"):
            problems.append(f"{name}: the probe did not go through: {probed}")
        phases = ["saturation"] + (["fixed"] if name != "provider" else [])
        for phase_name in phases:
            phase = target.get(phase_name) or {"error": "not run"}
            where = f"{name} {phase_name}"
            if "error" in phase:
                problems.append(f"{where}: {phase['error']}")
                continue
            if not phase.get("ok"):
                problems.append(f"{where}: no request answered 2xx")
            latency = phase.get("latency_ms") or {}
            for key in ("50", "99") if phase_name == "saturation" else ("p50", "p99"):
                if latency.get(key) is None:
                    problems.append(f"{where}: latency {key} missing")
            if _cpu(phase, name) is None:
                problems.append(f"{where}: no CPU per request for {name}")
    for pair_name, pair in report["pairs"].items():
        for metric, goal in pair["ratios"].items():
            if goal["value"] is None:
                problems.append(f"{pair_name}: ratio {metric} missing")
    return problems


def table(report: Mapping[str, Any]) -> str:
    """The service-beside-baseline table, one block per pair, then the ratios against the goals."""
    lines: list[str] = []
    judged = not report["meta"]["quick"]
    for pair_name, pair in report["pairs"].items():
        shared = _shared_labels(pair)
        lines.append(f"{pair_name}: {pair['service']} vs {pair['baseline']}")
        lines.append(
            f"  {'':<18} {'saturation':>11} | at {pair['rate_per_s']:g}/s (open loop): {'p50':>8} {'p99':>9}"
            f" | CPU ms/request: {'own':>6}" + "".join(f" {label[:17]:>17}" for label in shared) + f" {'all':>6}"
        )
        for name, target in pair["targets"].items():
            sat, fixed = target.get("saturation") or {}, target.get("fixed") or {}
            latency = fixed.get("latency_ms") or {}
            per_request = fixed.get("cpu_ms_per_request") or {}
            every = [per_request.get(label) for label in per_request]
            total = None if not every or any(v is None for v in every) else sum(v for v in every if v is not None)
            lines.append(
                f"  {name:<18} {_num(sat.get('ok_per_s'), '/s', 0):>11} | {'':>20} "
                f"{_num(latency.get('p50'), ' ms', 1):>8} {_num(latency.get('p99'), ' ms', 1):>9}"
                f" | {'':>15} {_num(per_request.get(name), '', 3):>6}"
                + "".join(f" {_num(per_request.get(label), '', 3):>17}" for label in shared)
                + f" {_num(total, '', 3):>6}"
            )
        for metric, goal in pair["ratios"].items():
            verdict = ("meets" if goal["meets"] else "misses") if judged and goal["meets"] is not None else "not judged"
            lines.append(f"  ratio {metric:<31} {_num(goal['value'], 'x', 2):>8}  goal {goal['goal']}: {verdict}")
        lines.append("")
    check = report["provider_check"]
    verdict = "YES — " + "; ".join(check["reasons"]) if check["bottleneck"] else "no"
    lines.append(
        f"provider ({report['meta']['provider']}): {_num(check['alone_ok_per_s'], '/s', 0)} alone at saturation;"
        f" bottleneck: {verdict}"
    )
    for name, seen in check["per_target"].items():
        lines.append(
            f"  at {name}'s saturation: provider {_num(seen['provider_cpu_ms_per_request'], ' ms', 3)} CPU/request"
            f" vs {name}'s own {_num(seen['own_cpu_ms_per_request'], ' ms', 3)};"
            f" provider busy {_num(seen['provider_core_share'], '', 2)} of a core,"
            f" headroom {_num(seen['provider_headroom'], 'x', 1)}"
        )
    return "\n".join(lines)


def write_json(path: Path, report: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _shared_labels(pair: Mapping[str, Any]) -> list[str]:
    """The processes both targets of a pair load, besides their own (downstream, PostgreSQL, provider)."""
    labels: list[str] = []
    for target in pair["targets"].values():
        for label in (target.get("fixed") or {}).get("cpu_ms_per_request") or {}:
            if label not in labels and label not in pair["targets"]:
                labels.append(label)
    return labels


def _num(value: float | None, unit: str, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{unit}"
