"""Did each fault fire? The proof per kind, from what the fault's own record, the provider's log, the
watcher's samples and HAProxy's log say about its window. A campaign whose faults never fired proves nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tools.faults import schedule as s

# Provider log lines are counted a little past a window's end: a charge drawn at its end logs on completion.
PROVIDER_SLACK_S = 1.0


@dataclass(frozen=True)
class Proof:
    fired: bool
    text: str


def provider_charges(log_path: Path) -> list[dict[str, Any]]:
    """The simulator's `charge` log lines (docs/SIMULATOR.md), each with `at` in wall epoch seconds."""
    found: list[dict[str, Any]] = []
    if not log_path.exists():
        return found
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if '"event":"charge"' not in line and '"event": "charge"' not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        entry["at"] = datetime.fromisoformat(str(entry["ts"])).timestamp()
        found.append(entry)
    return found


def prove(
    record: Mapping[str, Any],
    charges: Sequence[Mapping[str, Any]],
    samples: Sequence[Mapping[str, Any]],
    lost: Iterable[Mapping[str, Any]],
    timeout_ms: float,
    exchanges: Sequence[Mapping[str, Any]] = (),
) -> Proof:
    """The proof that one fault happened (see each branch); `timeout_ms` is the scaled payment timeout."""
    if record.get("error"):
        return Proof(False, f"did not fire: {record['error']}")
    kind = str(record["kind"])
    start, end = float(record["started_at"]), float(record["ended_at"])
    evidence = record.get("evidence", {})
    if kind in (s.KILL_GATEWAY, s.KILL_ORDER_SERVICE):
        victim = record["params"]["victim"]
        under = sum(1 for line in lost if line.get("killed_at") == evidence.get("killed_at"))
        ok = evidence.get("exit_code") == -9 and evidence.get("inflight_at_kill", 0) >= 1
        return Proof(
            ok,
            f"{victim} SIGKILLed with {evidence.get('inflight_at_kill', 0):.0f} requests in flight "
            f"(exit {evidence.get('exit_code')}), back in {evidence.get('restart_s')} s; {under} answers lost under it",
        )
    if kind == s.PG_RESTART:
        ok = evidence.get("pid_before") != evidence.get("pid_after") and evidence.get("pid_after") is not None
        return Proof(
            ok,
            f"postmaster {evidence.get('pid_before')} → {evidence.get('pid_after')} "
            f"(fast shutdown + start, {evidence.get('restart_s', 0):.1f} s)",
        )
    if kind == s.PG_UNREACHABLE:
        probe = str(evidence.get("probe", ""))
        ok = evidence.get("frozen_s", 0) > 0 and probe.startswith("no answer")
        waits = [float(e["ended_at"]) - float(e["sent_at"]) for e in exchanges if start <= float(e["sent_at"]) <= end]
        return Proof(
            ok,
            f"every PostgreSQL process stopped {evidence.get('frozen_s')} s; a new connection: {probe}; "
            f"orders sent meanwhile waited up to {max(waits, default=0):.1f} s",
        )
    if kind in (s.CHARGE_THEN_TIMEOUT, s.DROP, s.STORM_503, s.SLOW):
        window = [c for c in charges if start <= float(c["at"]) <= end + PROVIDER_SLACK_S]
        hits = _provider_hits(kind, window, timeout_ms)
        text = f"{hits} of {len(window)} provider requests in the window {_what(kind)}"
        if kind == s.STORM_503:
            opened = sorted(
                {str(x["replica"]) for x in samples if float(x["at"]) >= start and x.get("breaker") == "open"}
            )
            text += f"; breakers seen open: {opened or 'none'}"
        return Proof(hits > 0, text)
    if kind == s.RELOAD_VALID:
        return Proof(
            "converged_s" in evidence, f"every replica on the new config after {evidence.get('converged_s')} s"
        )
    if kind == s.RELOAD_INVALID:
        everyone = evidence.get("replicas", [])
        ok = bool(everyone) and evidence.get("refused_by") == everyone and evidence.get("fingerprints_kept") == everyone
        return Proof(
            ok,
            f"refused by {len(evidence.get('refused_by', []))} of {len(everyone)} replicas, last good kept on "
            f"{len(evidence.get('fingerprints_kept', []))}",
        )
    answers = evidence.get("answers", [])
    replicas = {a.get("replica") for a in answers}
    statuses = Counter(str(a.get("status")) for a in answers)
    ok = len(answers) == 2 and len(replicas) == 2 and all(a.get("status") is not None for a in answers)
    extra = f", {evidence.get('distinct_orders')} order" if kind == s.DUPLICATE_ORDER else ""
    return Proof(ok, f"one key at once to {sorted(map(str, replicas))}: answers {dict(statuses)}{extra}")


def _provider_hits(kind: str, window: Sequence[Mapping[str, Any]], timeout_ms: float) -> int:
    if kind == s.CHARGE_THEN_TIMEOUT:
        return sum(1 for c in window if c.get("fault") == "charge_then_timeout")
    if kind == s.DROP:
        return sum(1 for c in window if c.get("fault") == "drop")
    if kind == s.STORM_503:
        return sum(1 for c in window if c.get("outcome") == "outage_error_503")
    return sum(1 for c in window if float(c.get("latency_ms") or 0) > timeout_ms)


def _what(kind: str) -> str:
    return {
        s.CHARGE_THEN_TIMEOUT: "charged with the answer withheld",
        s.DROP: "dropped without an answer",
        s.STORM_503: "answered 503 (outage)",
        s.SLOW: "slower than the payment timeout",
    }[kind]
