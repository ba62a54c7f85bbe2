"""What the demo saw, gathered from the stack at the end of the run, and the text report made of it."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tools.demo.observe import Watched
from tools.demo.scaled_config import DemoConfig
from tools.demo.traffic import ARRIVALS_PER_S, DIRECT_EVERY, DURATION_S, PLAN, Sent
from tools.stack.metrics import Sample, total

# Final statuses: an order's (order service) and a direct payment's (gateway, via the Python client).
PAID, DECLINED = ("PAID", "authorised"), ("DECLINED", "declined")
FINAL = (*PAID, *DECLINED, "FAILED", "failed")
STATUSES = ("PAID", "DECLINED", "FAILED", "PAYMENT_UNKNOWN", "authorised", "declined", "failed", "unknown")
TRANSITIONS = (("closed", "open"), ("open", "half_open"), ("half_open", "closed"), ("half_open", "open"))


@dataclass
class Findings:
    config: DemoConfig
    fingerprints: dict[str, str]
    sent: list[Sent]
    final: dict[int, str]  # number → status after reconciliation
    reconciled: int  # unknown when answered, final now
    ledger: dict[str, Any]
    metrics: dict[str, list[Sample]]
    watched: Watched
    duration_s: float
    leftovers: list[str] = field(default_factory=list)
    exit_codes: dict[str, int | None] = field(default_factory=dict)

    def keys(self, statuses: tuple[str, ...]) -> set[str]:
        return {s.key for s in self.sent if self.final[s.number] in statuses}

    def ledger_keys(self, status: str) -> set[str]:
        return {c["key"] for c in self.ledger["charges"] if c["status"] == status}

    def checks(self) -> list[tuple[str, bool]]:
        unsettled = [n for n, status in self.final.items() if status not in FINAL]
        return [
            (
                "one config: the same fingerprint in the gateway, the order service and the Python client",
                set(self.fingerprints.values()) == {self.config.fingerprint},
            ),
            ("every order and payment answered and settled (none unknown)", not unsettled),
            ("no key charged twice (ledger double_charged is empty)", self.ledger["totals"]["double_charged"] == []),
            (
                "charges in the ledger = orders PAID + payments authorised, key for key",
                self.ledger_keys("authorised") == self.keys(PAID),
            ),
            (
                "declines in the ledger = orders DECLINED + payments declined, key for key",
                self.ledger_keys("declined") == self.keys(DECLINED),
            ),
            ("clean stop: no process, no port left behind", not self.leftovers),
        ]


def format_report(findings: Findings) -> str:
    lines = ["", "=" * 100, "checkout demo — report", "=" * 100]
    lines += _config_section(findings)
    lines += _traffic_section(findings)
    lines += _resilience_section(findings)
    lines += ["", "checks"]
    lines += [f"  {'PASS' if ok else 'FAIL'}  {what}" for what, ok in findings.checks()]
    return "\n".join(lines)


def _config_section(findings: Findings) -> list[str]:
    config = findings.config
    lines = [
        "",
        "config",
        f"  config/timeout.json    {config.real_fingerprint}",
        f"  the demo's copy        {config.fingerprint}",
    ]
    lines += [f"  {name + ' uses':<22} {fingerprint}" for name, fingerprint in findings.fingerprints.items()]
    lines.append("  changed for the demo (every other value is config/timeout.json's):")
    for pointer, real, demo, why in config.rows:
        lines.append(f"    {pointer}: {real} → {demo}")
        lines.append(f"      why: {why}")
    return lines


def _traffic_section(findings: Findings) -> list[str]:
    orders = [s for s in findings.sent if s.kind == "order"]
    payments = [s for s in findings.sent if s.kind == "payment"]
    latencies = sorted(s.latency_s for s in findings.sent if s.answered)
    phases = " → ".join(f"{p.name} at {p.starts_at_s:g} s" for p in PLAN)
    lines = [
        "",
        f"traffic: {len(findings.sent)} arrivals in {DURATION_S:g} s (Poisson, {ARRIVALS_PER_S:g}/s, seeded); "
        f"every {DIRECT_EVERY}th is a direct payment by the Python client",
        f"  provider: {phases}",
        f"  orders (order service) by final status:    {_counted(findings, orders)}",
        f"  payments (Python client) by final status:  {_counted(findings, payments)}",
        f"  unknown when answered (answer lost, provider failing), settled by reconciliation: {findings.reconciled}",
        "  payment latency (whole call, client side): "
        + ", ".join(f"p{q} {_seconds(_percentile(latencies, q))}" for q in (50, 95, 99))
        + f", max {_seconds(latencies[-1] if latencies else 0.0)}",
    ]
    failures = Counter(s.error_class for s in findings.sent if findings.final[s.number] in ("FAILED", "failed"))
    if failures:
        classes = ", ".join(f"{error_class} {count}" for error_class, count in failures.most_common())
        lines.append(f"  failed (nothing charged), by error class: {classes}")
    lines.append("  first answers per phase:")
    by_phase: dict[str, Counter[str]] = {}
    for sent in findings.sent:
        by_phase.setdefault(sent.phase, Counter())[sent.status] += 1
    for phase, statuses in by_phase.items():
        lines.append(f"    {phase:<16} " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
    return lines


def _resilience_section(findings: Findings) -> list[str]:
    gateway, orders = findings.metrics["gateway"], findings.metrics["order-service"]
    ledger = findings.ledger["totals"]
    watched = findings.watched
    lines = [
        "",
        "resilience",
        f"  provider charge attempts by the gateway: "
        f"{total(gateway, 'checkout_upstream_attempts_total', operation='charge'):.0f}; "
        f"retries: gateway {total(gateway, 'checkout_retries_total'):.0f}, "
        f"order service {total(orders, 'checkout_retries_total'):.0f} (callers retry only refused connections)",
    ]
    for name, samples in findings.metrics.items():
        moves = [
            f"{a}→{b} {count:.0f}"
            for a, b in TRANSITIONS
            if (count := total(samples, "checkout_breaker_transitions_total", **{"from": a, "to": b}))
        ]
        lines.append(f"  breaker transitions, {name + ':':<15} {', '.join(moves) or 'none (stayed closed)'}")
    lines.append(
        "    (a caller's breaker counts its upstream's failures; the gateway's fast CIRCUIT_OPEN answers are not)"
    )
    paid = len(findings.keys(PAID))
    lines += [
        f"  peak pool utilization (order service): {watched.peak_in_use} of {watched.pool_max} "
        f"({watched.peak_utilization:.0%}), peak waiting {watched.peak_waiting}",
        f"  provider ledger: {ledger['authorised']} charges authorised, {ledger['declined']} declined, "
        f"{len(ledger['double_charged'])} keys charged twice",
        f"  paid: {paid} (orders PAID + payments authorised) — charges {ledger['authorised']}: "
        + ("they match" if paid == ledger["authorised"] else "THEY DO NOT MATCH"),
        f"  run {findings.duration_s:.0f} s; stopped: "
        + ", ".join(f"{name} exit {code}" for name, code in findings.exit_codes.items())
        + ("; no process or port left behind" if not findings.leftovers else f"; LEFT BEHIND: {findings.leftovers}"),
    ]
    return lines


def _counted(findings: Findings, sent: list[Sent]) -> str:
    counts = Counter(findings.final[s.number] for s in sent)
    return ", ".join(f"{status} {count}" for status, count in counts.most_common()) or "none"


def _percentile(sorted_values: list[float], q: int) -> float:
    """Nearest rank: the smallest value with at least q % of the values at or below it."""
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(q / 100 * len(sorted_values)) - 1)]


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
