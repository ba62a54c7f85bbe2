"""The money invariants after a campaign, and which lost answers are allowed — pure functions of what was seen.

Allowed lost answers (docs/FAULTS.md): an answer the balancer made itself (502/504) because the replica it
had passed the request to died under it — its line in HAProxy's log names that replica, and the
request was open at the moment the campaign SIGKILLed it — and, for a request sent straight at a
replica (the duplicate pairs), a dropped connection under the same condition. Nothing else: a 500
from anyone, a dropped connection through the balancer, or a balancer 502/504 on a replica nobody
killed fails the campaign. `503`s are documented answers (no replica up, or a database class with
`retryable: true`) and are counted, not failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

FINAL_ORDER = ("PAID", "DECLINED", "FAILED")
FINAL_PAYMENT = ("authorised", "declined", "failed")
# A killed replica's sockets close the moment it dies; HAProxy's timestamps are in ms.
KILL_SLACK_S = 0.25


@dataclass(frozen=True)
class Kill:
    victim: str
    at: float  # wall epoch seconds


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    items: list[Any] = field(default_factory=list)


def killed_under(server: str, opened: float, closed: float, kills: Iterable[Kill]) -> Kill | None:
    """The kill of `server` that happened while a request on it was open, if any."""
    for kill in kills:
        if kill.victim == server and opened - KILL_SLACK_S <= kill.at <= closed + KILL_SLACK_S:
            return kill
    return None


def balancer_made(line: Mapping[str, Any]) -> bool:
    """HAProxy answered itself (its termination state is not `--`, the mark of a normal exchange)."""
    return str(line.get("term", "--")) != "--"


def classify_lines(lines: Iterable[Mapping[str, Any]], kills: Sequence[Kill]) -> dict[str, list[dict[str, Any]]]:
    """HAProxy's request log sorted into: `internal` (a 500 from a replica), `lost_allowed` (a 502/504 the
    balancer made when the replica died under the request), `lost_unexplained` (any other 502/504 it
    made), `no_replica` (503: none up), `caller_gave_up` (the caller closed first) and `ok`."""
    sorted_lines: dict[str, list[dict[str, Any]]] = {
        key: [] for key in ("internal", "lost_allowed", "lost_unexplained", "no_replica", "caller_gave_up", "ok")
    }
    for raw in lines:
        line = dict(raw)
        status = int(line.get("status", -1))
        term = str(line.get("term", "--"))
        opened = float(line["at"])
        closed = opened + max(0, int(line.get("total_ms", 0))) / 1000
        if status == 500:
            sorted_lines["internal"].append(line)
        elif status in (502, 504) and balancer_made(line):
            kill = killed_under(str(line.get("server")), opened, closed, kills)
            if kill is not None:
                line["killed"], line["killed_at"] = kill.victim, kill.at
                sorted_lines["lost_allowed"].append(line)
            else:
                sorted_lines["lost_unexplained"].append(line)
        elif status == 503 and balancer_made(line):
            sorted_lines["no_replica"].append(line)
        elif term.startswith("C"):
            sorted_lines["caller_gave_up"].append(line)
        else:
            sorted_lines["ok"].append(line)
    return sorted_lines


def answer_checks(
    lines: Iterable[Mapping[str, Any]], direct: Iterable[Mapping[str, Any]], kills: Sequence[Kill]
) -> tuple[Check, dict[str, list[dict[str, Any]]]]:
    """0 answers that were a 500 or a dropped connection, except the allowed ones (module docstring).

    `direct` are the clients' exchanges (target, sent_at, ended_at, status, transport_error): those sent
    straight at a replica, which HAProxy never saw, and any that lost its connection through the balancer.
    """
    sorted_lines = classify_lines(lines, kills)
    bad_direct: list[dict[str, Any]] = []
    allowed_direct: list[dict[str, Any]] = []
    for exchange in direct:
        row = dict(exchange)
        if row.get("status") == 500:
            bad_direct.append(row)
        elif row.get("transport_error") and row.get("target") == "balancer":
            bad_direct.append(row)  # the balancer never drops a caller: HAProxy answers for a dead replica
        elif row.get("transport_error"):
            kill = killed_under(str(row["target"]), float(row["sent_at"]), float(row["ended_at"]), kills)
            if kill is not None:
                row["killed"], row["killed_at"] = kill.victim, kill.at
            (allowed_direct if kill is not None else bad_direct).append(row)
    sorted_lines["lost_allowed"] += allowed_direct
    bad = sorted_lines["internal"] + sorted_lines["lost_unexplained"] + bad_direct
    detail = (
        f"{len(bad)} not allowed (500s {len(sorted_lines['internal'])}, unexplained balancer 502/504 "
        f"{len(sorted_lines['lost_unexplained'])}, direct {len(bad_direct)}); allowed: "
        f"{len(sorted_lines['lost_allowed'])} lost to a SIGKILL under them; documented 503 (no replica up) "
        f"{len(sorted_lines['no_replica'])}"
    )
    check = Check("0 answers that were a 500 or a dropped connection, except the allowed ones", not bad, detail, bad)
    return check, sorted_lines


def money_checks(
    orders: Sequence[Mapping[str, Any]],
    client_keys: Mapping[str, str | None],
    payments: Mapping[str, str | None],
    ledger: Mapping[str, Any],
) -> list[Check]:
    """Every order final; ledger charges = PAID orders + authorised payments key for key (declines too); no
    key charged twice; every key a client sent has exactly one order."""
    checks: list[Check] = []
    by_status = Counter(str(order["status"]) for order in orders)
    open_orders = [dict(order) for order in orders if order["status"] not in FINAL_ORDER]
    open_payments = sorted(key for key, status in payments.items() if status not in FINAL_PAYMENT)
    checks.append(
        Check(
            "every order final (PAID/DECLINED/FAILED) and every direct payment final",
            not open_orders and not open_payments,
            f"orders {dict(sorted(by_status.items()))}; payments {dict(Counter(map(str, payments.values())))}",
            open_orders + [{"payment": key} for key in open_payments],
        )
    )
    by_key = {str(order["idempotency_key"]): order for order in orders}
    missing = sorted(key for key in client_keys if key not in by_key)
    strangers = sorted(key for key in by_key if key not in client_keys)
    mismatched = sorted(
        key
        for key, order_id in client_keys.items()
        if order_id and key in by_key and str(by_key[key]["id"]) != order_id
    )
    checks.append(
        Check(
            "every key a client sent has exactly one order (none missing, none unknown, same id)",
            not (missing or strangers or mismatched),
            f"{len(client_keys)} keys, {len(orders)} orders; missing {len(missing)}, unknown {len(strangers)}, "
            f"other id {len(mismatched)}",
            missing + strangers + mismatched,
        )
    )
    entries = list(ledger.get("charges", []))
    charged_twice = sorted({str(e["key"]) for e in entries if int(e.get("charges", 0)) > 1})
    charged_twice += [
        str(key) for key in ledger.get("totals", {}).get("double_charged", []) if key not in charged_twice
    ]
    checks.append(Check("0 keys charged twice", not charged_twice, f"{len(charged_twice)} keys", charged_twice))
    for ledger_status, order_status in (("authorised", "PAID"), ("declined", "DECLINED")):
        in_ledger = {str(e["key"]) for e in entries if e.get("status") == ledger_status}
        expected = {str(o["payment_key"]) for o in orders if o["status"] == order_status}
        expected |= {key for key, status in payments.items() if status == ledger_status}
        extra, lacking = sorted(in_ledger - expected), sorted(expected - in_ledger)
        checks.append(
            Check(
                f"provider ledger {ledger_status} = {order_status} orders + {ledger_status} payments, key for key",
                not extra and not lacking,
                f"{len(in_ledger)} in the ledger, {len(expected)} expected; only in the ledger {len(extra)}, "
                f"only in the services {len(lacking)}",
                extra + lacking,
            )
        )
    return checks


def duplicate_checks(duplicates: Sequence[Mapping[str, Any]], ledger: Mapping[str, Any]) -> Check:
    """Each pair posted at once through two replicas made one order (and at most one charge)."""
    charges = {str(e["key"]): int(e.get("charges", 0)) for e in ledger.get("charges", [])}
    # By order id, not by a key spelled from it: the payment key is derived from the caller's key, and an
    # order charged under two keys is a double charge too.
    by_order: dict[str, int] = {}
    for entry in ledger.get("charges", []):
        order = str(entry.get("order_id"))
        by_order[order] = by_order.get(order, 0) + int(entry.get("charges", 0))
    bad = []
    for pair in duplicates:
        answered = [a for a in pair["answers"] if a.get("status") is not None]
        if pair["kind"] == "duplicate-order":
            ids = {a["order_id"] for a in answered if a.get("order_id")}
            charged = [by_order.get(str(order_id), 0) for order_id in ids]
            if len(ids) > 1 or any(c > 1 for c in charged):
                bad.append(dict(pair))
        elif charges.get(str(pair["key"]), 0) > 1:
            bad.append(dict(pair))
    detail = f"{len(duplicates)} pairs through two different replicas, {len(bad)} made two orders or two charges"
    return Check("the same order posted at once through two replicas: one order, one charge", not bad, detail, bad)


def fingerprint_check(fingerprints: Mapping[str, str], expected: str) -> Check:
    others = {name: fp for name, fp in fingerprints.items() if fp != expected}
    return Check(
        "every replica (and the Python client) on the same config fingerprint",
        not others and bool(fingerprints),
        f"{len(fingerprints)} on {expected[:12]}…" if not others else f"off: {others}",
        [others] if others else [],
    )
