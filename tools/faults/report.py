"""The campaign's verdict: the invariants and the proof per fault kind, as a terminal table, JSON and a plot."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tools.faults import schedule
from tools.faults.evidence import Proof, prove, provider_charges
from tools.faults.invariants import Check, Kill, answer_checks, duplicate_checks, fingerprint_check, money_checks

OK_ORDER = ("PAID", "DECLINED")


def evaluate(gathered: dict[str, Any]) -> dict[str, Any]:
    """Every check, and one row per fault kind with the proof that each of its faults fired."""
    records = gathered["records"]
    kills = [
        Kill(r["params"]["victim"], float(r["evidence"]["killed_at"])) for r in records if "killed_at" in r["evidence"]
    ]
    direct = [e for e in gathered["exchanges"] if e["target"] != "balancer" or e.get("transport_error")]
    answers, sorted_lines = answer_checks(gathered["lb_lines"], direct, kills)
    charges = provider_charges(Path(gathered["simulator_log"]))
    lost = sorted_lines["lost_allowed"]
    proofs: list[tuple[dict[str, Any], Proof]] = [
        (r, prove(r, charges, gathered["samples"], lost, gathered["timeout_ms"], gathered["exchanges"]))
        for r in records
    ]
    rows: list[dict[str, Any]] = []
    for kind in schedule.KINDS:
        mine = [(r, p) for r, p in proofs if r["kind"] == kind]
        planned = sum(1 for f in gathered["schedule"] if f["kind"] == kind)
        fired = sum(1 for _, p in mine if p.fired)
        window_errors = _window_errors(gathered["exchanges"], [r for r, _ in mine])
        rows.append(
            {
                "kind": kind,
                "planned": planned,
                "fired": fired,
                "ok": planned > 0 and fired == planned,
                "errors_in_windows": window_errors,
                "proofs": [p.text for _, p in mine],
            }
        )
    checks: list[Check] = [
        Check(
            "every fault kind fired as scheduled (each with its proof)",
            all(row["ok"] for row in rows),
            f"{sum(r['fired'] for r in rows)} of {sum(r['planned'] for r in rows)} faults, "
            f"{sum(1 for r in rows if r['ok'])} of {len(rows)} kinds",
            [row["kind"] for row in rows if not row["ok"]],
        )
    ]
    checks += money_checks(gathered["orders"], gathered["client_keys"], gathered["payments"], gathered["ledger"])
    checks.append(answers)
    checks.append(duplicate_checks(gathered["duplicates"], gathered["ledger"]))
    checks.append(fingerprint_check(gathered["fingerprints"], gathered["expected_fingerprint"]))
    leftovers = gathered["leftovers"]
    checks.append(
        Check("nothing left running (processes, ports, HAProxy)", not leftovers, "; ".join(leftovers) or "none")
    )
    return {
        "ok": all(check.ok for check in checks),
        "checks": [vars(check) for check in checks],
        "faults": rows,
        "answers": {key: len(lines) for key, lines in sorted_lines.items()},
        "lost_allowed": sorted_lines["lost_allowed"],
        "not_allowed": answers.items,
    }


def _window_errors(exchanges: list[dict[str, Any]], records: list[dict[str, Any]]) -> str:
    """Share of order answers in the fault's windows that were not PAID/DECLINED."""
    inside = [
        e
        for e in exchanges
        if e["kind"] == "order" and any(r["started_at"] <= e["sent_at"] <= r["ended_at"] for r in records)
    ]
    if not inside:
        return "-"
    bad = sum(1 for e in inside if e.get("order_status") not in OK_ORDER)
    return f"{bad / len(inside):.0%} of {len(inside)}"


def format_report(gathered: dict[str, Any], result: dict[str, Any]) -> str:
    options = gathered["options"]
    lines = [
        "",
        "=" * 110,
        f"fault campaign — {'quick' if options['quick'] else 'full'}, seed {options['seed']}, "
        f"{options['replicas']} gateways + {options['replicas']} order services behind HAProxy, k = {options['k']:g}",
        "=" * 110,
        f"traffic: {gathered['arrivals']} arrivals in {options['traffic_s']:.0f} s at {options['rate_per_s']:.1f}/s "
        f"(the incident profile ×{options['k']:g}); wall {gathered['wall_s']:.0f} s",
        f"settling: {gathered['settled']}",
        "fleet (config/timeout.json `fleet`, per replica × replicas): " + _fleet(gathered["fleet"]),
        f"load generator lateness (s): {gathered['lag_s']}; CPU s during traffic: {gathered['cpu_s']}",
        "",
        f"{'fault kind':<30} {'fired':>7}  {'order errors in windows':<24} proof",
    ]
    for row in result["faults"]:
        proofs = row["proofs"] or ["never fired"]
        mark = "" if row["ok"] else "  ← FAIL"
        lines.append(
            f"{row['kind']:<30} {row['fired']:>3}/{row['planned']:<3}  {row['errors_in_windows']:<24} {proofs[0]}{mark}"
        )
        lines += [f"{'':<62} {proof}" for proof in proofs[1:]]
    lines += ["", "answers seen by HAProxy (both frontends) and by the direct clients: " + _counts(result["answers"])]
    grouped = Counter(
        (
            str(lost.get("killed")),
            f"{lost.get('frontend', 'straight at the replica')}: {lost.get('method', 'POST')} "
            f"{str(lost.get('path', '')).split('/')[1] if lost.get('path') else ''} "
            f"{lost.get('status') or lost.get('transport_error', '')} {lost.get('term', '')}".strip(),
        )
        for lost in result["lost_allowed"]
    )
    for (victim, what), count in sorted(grouped.items()):
        lines.append(f"  allowed: {count} × {what} — {victim} was SIGKILLed under the request")
    lines += ["", "checks"]
    for check in result["checks"]:
        lines.append(f"  {'PASS' if check['ok'] else 'FAIL'}  {check['name']}: {check['detail']}")
        if not check["ok"]:
            lines += [f"          {json.dumps(item, default=str)[:200]}" for item in check["items"][:5]]
    lines.append(f"\nverdict: {'PASS' if result['ok'] else 'FAIL'}")
    return "\n".join(lines)


def _fleet(figures: dict[str, Any]) -> str:
    return (
        f"{figures['gateway_failures_before_all_open']} provider failures before every gateway breaker is open, "
        f"{figures['gateway_half_open_trials_per_recovery']} half-open trials per recovery, retry burst "
        f"{figures['gateway_retry_burst']} (gateways) / {figures['order_service_retry_burst']} (order services), "
        f"steady retry ratio {figures['retry_ratio']:g}"
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items())


def write_json(gathered: dict[str, Any], result: dict[str, Any], path: Path) -> Path:
    keep = {k: v for k, v in gathered.items() if k not in ("exchanges", "lb_lines", "samples", "orders")}
    keep["order_statuses"] = dict(Counter(o["status"] for o in gathered["orders"]))
    keep["exchange_count"] = len(gathered["exchanges"])
    keep["ledger"] = gathered["ledger"]["totals"]
    path.write_text(json.dumps({"result": result, "campaign": keep}, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def plot(gathered: dict[str, Any], path: Path) -> Path:
    """Faults (shaded, per lane) against the order error rate, each replica's breaker and HAProxy's view."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t0 = float(gathered["t0"])
    sent: dict[int, int] = defaultdict(int)
    bad: dict[int, int] = defaultdict(int)
    for e in gathered["exchanges"]:
        if e["kind"] == "order":
            second = int(e["sent_at"] - t0)
            sent[second] += 1
            bad[second] += e.get("order_status") not in OK_ORDER
    seconds = sorted(sent)
    fig, (rate_ax, breaker_ax, lb_ax) = plt.subplots(3, 1, figsize=(14, 9), sharex=True)
    rate_ax.plot(
        seconds, [100 * bad[x] / sent[x] for x in seconds], color="tab:red", label="order answers not PAID/DECLINED (%)"
    )
    rate_ax.set_ylabel("error rate %")
    rate_ax.set_ylim(0, 105)
    replicas = sorted({s["replica"] for s in gathered["samples"]})
    level = {"closed": 0.0, "half_open": 0.5, "open": 1.0}
    for offset, name in enumerate(replicas):
        mine = [s for s in gathered["samples"] if s["replica"] == name]
        xs = [s["at"] - t0 for s in mine]
        breaker_ax.step(
            xs, [offset * 1.5 + level.get(str(s["breaker"]), float("nan")) for s in mine], where="post", label=name
        )
        lb_ax.step(xs, [offset * 1.5 + (1.0 if s["balancer"] == "UP" else 0.0) for s in mine], where="post", label=name)
    for ax, top in ((breaker_ax, 1.0), (lb_ax, 1.0)):
        ax.set_yticks([o * 1.5 + y for o in range(len(replicas)) for y in (0.0, top)])
        ax.set_yticklabels([f"{n} {w}" for n in replicas for w in ("0", "1")], fontsize=7)
    breaker_ax.set_ylabel("breaker (0 closed, ½ half-open, 1 open)")
    lb_ax.set_ylabel("HAProxy (1 up, 0 down)")
    lb_ax.set_xlabel("seconds since the traffic started (wall; ×k real-world)")
    colours = {"process": "tab:purple", "provider": "tab:orange", "duplicate": "tab:green"}
    for record in gathered["records"]:
        start, end = record["started_at"] - t0, max(record["ended_at"] - t0, record["started_at"] - t0 + 0.3)
        for ax in (rate_ax, breaker_ax, lb_ax):
            ax.axvspan(start, end, color=colours[record["lane"]], alpha=0.15)
        rate_ax.text(
            start,
            100,
            record["kind"].replace("provider-", "").replace("config-", ""),
            rotation=90,
            fontsize=7,
            va="top",
        )
    for ax in (rate_ax, breaker_ax, lb_ax):
        ax.legend(loc="upper right", fontsize=7)
    fig.suptitle("fault campaign: faults (purple process, orange provider, green duplicates) vs errors and breakers")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
