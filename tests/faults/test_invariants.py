"""The invariant checks and the allowed-lost-answer rule, on histories made up to break one rule at a time."""

from __future__ import annotations

from typing import Any

from tools.faults import schedule
from tools.faults.evidence import prove
from tools.faults.invariants import Kill, answer_checks, classify_lines, duplicate_checks, money_checks

KILL = Kill("gateway-2", 1000.0)


def line(server: str, status: int, term: str, at: float, total_ms: int = 100) -> dict[str, Any]:
    return {"at": at, "server": server, "status": status, "term": term, "total_ms": total_ms, "frontend": "gateways"}


def order(key: str, status: str, order_id: str | None = None) -> dict[str, Any]:
    order_id = order_id or f"id-{key}"
    return {"id": order_id, "idempotency_key": key, "status": status, "payment_key": f"order-{order_id}"}


def ledger(*entries: tuple[str, str, int]) -> dict[str, Any]:
    # The provider records the order id the gateway forwards; here the key's tail after "order-".
    charges = [
        {"key": key, "order_id": key.removeprefix("order-"), "status": status, "charges": n}
        for key, status, n in entries
    ]
    return {"charges": charges, "totals": {"double_charged": [key for key, _, n in entries if n > 1]}}


def test_a_balancer_502_on_the_replica_killed_under_it_is_allowed_and_on_another_it_is_not() -> None:
    lines = [
        line("gateway-2", 502, "SH", at=999.5, total_ms=600),  # open across the kill
        line("gateway-1", 502, "SH", at=999.5, total_ms=600),  # nobody killed gateway-1
        line("gateway-2", 502, "SH", at=990.0, total_ms=100),  # long before the kill
        line("gateway-2", 502, "--", at=999.9),  # the replica's own 502: an answer, not a loss
    ]
    sorted_lines = classify_lines(lines, [KILL])
    assert [x["server"] for x in sorted_lines["lost_allowed"]] == ["gateway-2"]
    assert [(x["server"], x["at"]) for x in sorted_lines["lost_unexplained"]] == [
        ("gateway-1", 999.5),
        ("gateway-2", 990.0),
    ]
    assert len(sorted_lines["ok"]) == 1


def test_a_500_fails_whoever_answered_it_and_a_503_with_no_replica_up_is_documented() -> None:
    check, sorted_lines = answer_checks([line("gateway-1", 500, "--", 5.0), line("<NOSRV>", 503, "SC", 6.0)], [], [])
    assert not check.ok
    assert len(sorted_lines["internal"]) == 1
    assert len(sorted_lines["no_replica"]) == 1


def test_a_dropped_connection_is_allowed_only_straight_at_a_replica_killed_under_it() -> None:
    direct = [
        {"target": "gateway-2", "sent_at": 999.0, "ended_at": 1000.1, "status": None, "transport_error": "ReadError"},
        {"target": "balancer", "sent_at": 999.0, "ended_at": 1000.1, "status": None, "transport_error": "ReadError"},
        {"target": "gateway-1", "sent_at": 999.0, "ended_at": 1000.1, "status": None, "transport_error": "ReadError"},
    ]
    check, sorted_lines = answer_checks([], direct, [KILL])
    assert [x["target"] for x in sorted_lines["lost_allowed"]] == ["gateway-2"]
    assert [x["target"] for x in check.items] == ["balancer", "gateway-1"]


def test_clean_books_pass_every_money_check() -> None:
    orders = [order("a", "PAID"), order("b", "DECLINED"), order("c", "FAILED")]
    books = ledger(("order-id-a", "authorised", 1), ("order-id-b", "declined", 1), ("order-id-c", "none", 0))
    books["charges"].append({"key": "pay-1", "status": "authorised", "charges": 1})
    checks = money_checks(orders, {"a": "id-a", "b": "id-b", "c": None}, {"pay-1": "authorised"}, books)
    assert [c.ok for c in checks] == [True] * 5, [c.detail for c in checks]


def test_an_open_order_a_double_charge_and_a_charge_without_a_paid_order_each_fail_their_check() -> None:
    orders = [order("a", "PAYMENT_UNKNOWN"), order("b", "FAILED")]
    books = ledger(("order-id-a", "authorised", 2), ("order-id-b", "authorised", 1))
    by_name = {c.name: c for c in money_checks(orders, {"a": "id-a", "b": "id-b"}, {}, books)}
    failed = {name for name, c in by_name.items() if not c.ok}
    assert any(name.startswith("every order final") for name in failed)
    assert "0 keys charged twice" in failed
    authorised = next(c for name, c in by_name.items() if name.startswith("provider ledger authorised"))
    assert not authorised.ok
    assert authorised.items == ["order-id-a", "order-id-b"]


def test_a_key_without_an_order_or_an_order_nobody_sent_fails_the_one_order_per_key_check() -> None:
    checks = money_checks([order("a", "PAID"), order("z", "PAID")], {"a": "id-a", "b": None}, {}, ledger())
    one_per_key = next(c for c in checks if c.name.startswith("every key"))
    assert not one_per_key.ok
    assert one_per_key.items == ["b", "z"]


def test_a_duplicate_pair_that_made_two_orders_fails() -> None:
    pair = {
        "kind": "duplicate-order",
        "key": "k",
        "answers": [{"status": 201, "order_id": "x"}, {"status": 201, "order_id": "y"}],
    }
    assert not duplicate_checks([pair], ledger()).ok
    pair["answers"] = [{"status": 201, "order_id": "x"}, {"status": 409, "order_id": None}]
    assert duplicate_checks([pair], ledger(("order-x", "authorised", 1))).ok


def test_a_duplicate_pair_whose_one_order_was_charged_under_two_keys_fails() -> None:
    pair = {"kind": "duplicate-order", "key": "k", "answers": [{"status": 201, "order_id": "x"}, {"status": 409}]}
    two_keys = ledger(("order-x", "authorised", 1))
    two_keys["charges"].append({"key": "order-other-key", "order_id": "x", "status": "authorised", "charges": 1})
    assert not duplicate_checks([pair], two_keys).ok


def record(kind: str, evidence: dict[str, Any], **params: Any) -> dict[str, Any]:
    return {"kind": kind, "started_at": 100.0, "ended_at": 104.0, "params": params, "evidence": evidence}


def test_a_fault_counts_only_with_its_proof() -> None:
    killed = record(schedule.KILL_GATEWAY, {"exit_code": -9, "inflight_at_kill": 3, "restart_s": 4}, victim="gateway-1")
    assert prove(killed, [], [], [], 2000).fired
    idle = record(schedule.KILL_GATEWAY, {"exit_code": -9, "inflight_at_kill": 0}, victim="gateway-1")
    assert not prove(idle, [], [], [], 2000).fired
    drops = [{"at": 101.0, "fault": "drop"}, {"at": 200.0, "fault": "drop"}]
    assert prove(record(schedule.DROP, {}), drops, [], [], 2000).fired
    assert not prove(record(schedule.DROP, {}), drops[1:], [], [], 2000).fired
    slow = [{"at": 102.0, "fault": "none", "latency_ms": 2500.0}]
    assert prove(record(schedule.SLOW, {}), slow, [], [], 2000).fired
    assert not prove(record(schedule.SLOW, {}), slow, [], [], 3000).fired
    failed = {**record(schedule.PG_RESTART, {}), "error": "ServerError: boom"}
    assert not prove(failed, [], [], [], 2000).fired
    refused = {"replicas": ["a", "b"], "refused_by": ["a", "b"], "fingerprints_kept": ["a"]}
    assert not prove(record(schedule.RELOAD_INVALID, refused), [], [], [], 2000).fired


def test_the_fleet_figures_are_the_per_replica_figures_times_the_replicas() -> None:
    from tools.faults.fleet import fleet_figures, retries_from_full_bucket
    from tools.stack.configs import read_config

    # 10 tokens: failures take 10 → 9 … → 5; a retry needs more than half, so 4 retries in a burst.
    assert retries_from_full_bucket(10) == 4
    assert retries_from_full_bucket(1) == 0
    figures = fleet_figures(read_config())
    assert figures["gateway_failures_before_all_open"] == 2 * 5
    assert figures["gateway_half_open_trials_per_recovery"] == 2 * 3
    assert figures["order_service_retry_burst"] == 2 * 4
    assert figures["retry_ratio"] == 0.1
