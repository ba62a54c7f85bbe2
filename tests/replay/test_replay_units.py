"""The replay bench's arithmetic, without a stack: scaling, arrivals, intervals, metrics text, verdicts."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from checkout_payments.config import load_config, parse_config
from tools.replay import paired, promtext, verdict
from tools.replay.bench import DEFAULT_SET
from tools.replay.config_diff import changed_settings
from tools.replay.loadgen import poisson_schedule
from tools.replay.profiles import INCIDENT, PROFILES
from tools.replay.results import ledger_by_order, payment_key_of
from tools.replay.scaling import scale_config
from tools.replay.stats import Latencies, batch_means

REPO = Path(__file__).resolve().parents[2]
CONFIGS = [REPO / "config" / "timeout.json", *sorted((REPO / "config" / "examples").glob("[io]*.json"))]


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
@pytest.mark.parametrize("k", [10, 20, 60])
def test_scaled_copy_divides_every_duration_and_still_loads(path: Path, k: int) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    scaled = scale_config(document, k)
    payment, pool = scaled.document["payment"], scaled.document["database"]["pool"]
    assert pool["acquire_timeout_ms"] == round(document["database"]["pool"]["acquire_timeout_ms"] / k)
    assert payment["timeout_ms"] == round(document["payment"]["timeout_ms"] / k)
    jitter = document["payment"]["retry"]["jitter_ms"]
    assert payment["retry"]["jitter_ms"] == (0 if jitter == 0 else max(1, round(jitter / k)))
    # Counts and ratios are not durations.
    assert pool["max_connections"] == document["database"]["pool"]["max_connections"]
    assert scaled.document["monitoring"]["pool_utilization_warn"] == document["monitoring"]["pool_utilization_warn"]
    assert scaled.loaded.settings.payment.timeout_ms == payment["timeout_ms"]


def test_rounding_that_breaks_the_deadline_rule_raises_the_deadline_and_says_so() -> None:
    document = json.loads((REPO / "config" / "timeout.json").read_text(encoding="utf-8"))
    # Worst case 3 x 20000 + (2000 + 510) + (4000 + 510) = 67020: exactly the deadline, so it loads.
    document["payment"]["retry"]["jitter_ms"] = 510
    document["payment"]["deadline_ms"] = 67020
    parse_config(json.dumps(document))
    # At k = 20 the jitter rounds up to 26 ms: 3352 ms worst case against a 3351 ms deadline.
    scaled = scale_config(document, 20)
    assert scaled.document["payment"]["deadline_ms"] == 3352
    assert scaled.adjustments == ["deadline_ms 3351 -> 3352 (rounding; worst case of one call)"]


def test_legacy_switch_overrides_are_applied_to_the_scaled_copy_only() -> None:
    document = json.loads((REPO / "config" / "timeout.json").read_text(encoding="utf-8"))
    scaled = scale_config(document, 10, hold_connection=True)
    assert scaled.document["order_service"]["legacy_hold_connection_during_payment"] is True
    assert document["order_service"]["legacy_hold_connection_during_payment"] is False
    # (Scaling also shortens the idempotency retention below a day: that warning is the copy's, not the switch's.)
    assert [w.rule for w in scaled.loaded.warnings if w.rule.startswith("legacy-")] == ["legacy-hold-connection-off"]
    both = scale_config(document, 10, hold_connection=True, retry_as_new_payment=True)
    assert both.document["order_service"]["legacy_retry_timeout_as_new_payment"] is True
    assert document["order_service"]["legacy_retry_timeout_as_new_payment"] is False
    assert [w.rule for w in both.loaded.warnings if w.rule.startswith("legacy-")] == [
        "legacy-hold-connection-off",
        "legacy-retry-timeout-as-new-payment-off",
    ]


def test_the_incident_and_original_examples_run_on_the_incident_code_path_and_the_fix_does_not() -> None:
    # The PR's rollback plan ("revert to fixed delays"): the code of the incident ran before it too;
    # only the config changed (30 s -> 5 s). Each example says so itself; the shipped config never can.
    for name, on in (("incident.json", True), ("original.json", True), ("pre-incident.json", False)):
        switches = json.loads((REPO / "config" / "examples" / name).read_text(encoding="utf-8"))["order_service"]
        assert switches["legacy_hold_connection_during_payment"] is on, name
        assert switches["legacy_retry_timeout_as_new_payment"] is on, name
    loaded = load_config(REPO / "config" / "examples" / "incident.json")
    assert {w.rule for w in loaded.warnings} >= {
        "legacy-hold-connection-off",
        "legacy-retry-timeout-as-new-payment-off",
    }
    assert load_config(REPO / "config" / "timeout.json").warnings == ()
    assert [spec.name for spec in DEFAULT_SET] == ["original", "incident", "fix", "fix+legacy"]
    assert all(spec.hold_connection is None and spec.retry_as_new_payment is None for spec in DEFAULT_SET[:3])


def test_payment_keys_are_the_order_services_uuid5_of_the_client_key() -> None:
    # The same vectors as node/packages/order-service/src/test/legacyRetry.test.ts.
    assert payment_key_of("key-paid-1") == "order-e5f6be7b-e0f5-5f36-9c3d-3e971401944a"
    assert payment_key_of("replay-42-incident-0") == "order-6ded9019-aa96-5de5-a1cb-57cbbc9eaa36"
    assert payment_key_of("ключ-ü") == "order-77b551b5-3bfb-556e-a2ca-385410bac600"


def _entry(key: str, order_id: str, charges: int, attempts: int = 1) -> dict[str, object]:
    status = "authorised" if charges else "none"
    return {"key": key, "order_id": order_id, "charges": charges, "attempts": attempts, "status": status}


def test_charges_are_counted_per_order_over_every_key_it_was_paid_under() -> None:
    ledger = {
        "charges": [
            _entry("k1", "o1", 1),
            _entry("k1-retry-2", "o1", 1),
            _entry("k1-retry-3", "o1", 0, attempts=2),
            _entry("k2", "o2", 1),
        ]
    }
    by_order = ledger_by_order(ledger)
    assert (by_order["o1"].charges, by_order["o1"].attempts, len(by_order["o1"].keys)) == (2, 4, 3)
    assert (by_order["o2"].charges, by_order["o2"].authorised) == (1, 1)


def _paired_run(errors: list[int], charges: list[int], rate_half_width: float = 0.05) -> dict[str, object]:
    rate = sum(errors) / len(errors)
    ci = {"mean": rate, "ci95_low": rate - rate_half_width, "ci95_high": rate + rate_half_width, "batches": 10}
    return {
        "errors": {"rate": rate, "ci95": {"rate": ci}},
        "per_order": {"seed": 42, "error": errors, "first_fate": [1] * len(errors), "charges": charges},
    }


def test_paired_difference_is_order_by_order_with_a_batch_interval() -> None:
    # 100 orders: the incident errs on every 10th and on 5 more; the fix errs only on every 20th.
    incident_errors = [int(i % 10 == 0 or i in (3, 33, 53, 73, 93)) for i in range(100)]
    fix_errors = [int(i % 20 == 0) for i in range(100)]
    runs = {
        "incident": _paired_run(incident_errors, [2 if e else 1 for e in incident_errors]),
        "fix": _paired_run(fix_errors, [1] * 100),
    }
    [row] = paired.paired_rows(runs)
    assert row["orders"] == 100
    assert row["error_rate_difference"] == pytest.approx(0.05 - 0.15)
    assert (row["erred_only_under_baseline"], row["erred_only_under_config"], row["erred_under_both"]) == (10, 0, 5)
    assert row["same_first_fate"] == 100
    assert row["extra_charges_difference"] == -15
    assert row["ci95"]["ci95_low"] <= row["error_rate_difference"] <= row["ci95"]["ci95_high"]
    assert "fix" in paired.paired_table([row])


def test_reproduction_says_how_far_the_replay_is_from_the_reported_figures() -> None:
    def run(rate: float, half: float, pool: float) -> dict[str, object]:
        ci = {"mean": rate, "ci95_low": rate - half, "ci95_high": rate + half, "batches": 10}
        pool_ci = {"mean": pool, "ci95_low": pool - 0.01, "ci95_high": pool + 0.01, "batches": 10}
        return {
            "errors": {"rate": rate, "ci95": {"rate": ci}},
            "pool": {"utilization_mean": pool, "ci95_utilization_mean": pool_ci},
        }

    near = verdict.reproduction({"incident": run(0.09, 0.01, 0.96)})
    assert [row["status"] for row in near] == ["inside", "inside"]
    far = verdict.reproduction({"incident": run(0.38, 0.02, 0.60)})
    assert [row["status"] for row in far] == ["above", "below"]
    assert far[0]["gap"] == pytest.approx(0.36 - 0.085)
    assert far[1]["gap"] == pytest.approx(0.95 - 0.61)


def test_poisson_schedule_is_seeded_and_has_the_requested_mean_rate() -> None:
    first, again, other = (poisson_schedule(50.0, 200.0, seed) for seed in (7, 7, 8))
    assert first == again
    assert first != other
    assert len(first) / 200.0 == pytest.approx(50.0, rel=0.05)
    gaps = [b - a for a, b in itertools.pairwise(first)]
    # Exponential gaps: the standard deviation equals the mean.
    mean = sum(gaps) / len(gaps)
    spread = math.sqrt(sum((gap - mean) ** 2 for gap in gaps) / len(gaps))
    assert spread == pytest.approx(mean, rel=0.1)


def test_batch_means_interval_covers_the_mean_and_shrinks_with_agreeing_batches() -> None:
    wide = batch_means([0.1, 0.3, 0.2, 0.4, 0.0])
    narrow = batch_means([0.2, 0.21, 0.19, 0.2, 0.2])
    assert wide is not None
    assert narrow is not None
    assert wide.low < 0.2 < wide.high
    assert narrow.high - narrow.low < wide.high - wide.low
    assert batch_means([0.5]) is None
    assert batch_means([float("nan"), 0.1, 0.2]) is not None


def test_latency_histogram_percentiles() -> None:
    latencies = Latencies()
    for ms in range(1, 1001):
        latencies.record(ms)
    assert latencies.percentile(50) == pytest.approx(500, abs=1)
    assert latencies.percentile(99) == pytest.approx(990, abs=1)
    assert latencies.max() == pytest.approx(1000, abs=1)


def test_profiles_state_the_issue_numbers() -> None:
    assert INCIDENT.rate_per_s == 3.35
    assert (INCIDENT.median_ms, INCIDENT.p99_ms) == (4000, 19000)
    assert (PROFILES["provider-slowdown"].median_ms, PROFILES["provider-slowdown"].p99_ms) == (12000, 30000)
    outage = PROFILES["outage"].outage
    assert outage is not None
    assert outage.duration_s == 120
    assert PROFILES["charge-then-timeout"].charge_then_timeout_rate == 0.05
    # A lognormal of median 4 s and p99 19 s: 1 % above 19 s by definition.
    assert INCIDENT.share_slower_than(19000) == pytest.approx(0.01, rel=1e-6)
    behaviour = INCIDENT.behaviour(20)
    assert behaviour["time_scale"] == 0.05
    assert behaviour["latency"] == {"kind": "lognormal", "median_ms": 4000, "p99_ms": 19000}


def test_breaker_transitions_are_read_from_prometheus_text() -> None:
    before = 'checkout_breaker_transitions_total{service="gateway",upstream="provider",from="closed",to="open"} 1\n'
    after = (
        "# TYPE checkout_breaker_transitions_total counter\n"
        'checkout_breaker_transitions_total{service="gateway",upstream="provider",from="closed",to="open"} 3.0\n'
        'checkout_breaker_transitions_total{service="gateway",upstream="provider",from="open",to="half_open"} 2\n'
    )
    name = "checkout_breaker_transitions_total"
    changed = promtext.delta(promtext.parse(after, name), promtext.parse(before, name))
    assert promtext.by_label(changed, "to") == {"open": 2.0, "half_open": 2.0}


def _run(rate: float, timeout_rate: float, pool_p95: float, half_width: float = 0.002) -> dict[str, object]:
    def ci(value: float) -> dict[str, float]:
        return {"mean": value, "ci95_low": value - half_width, "ci95_high": value + half_width, "batches": 10}

    return {
        "errors": {
            "rate": rate,
            "timeout_rate": timeout_rate,
            "ci95": {"rate": ci(rate), "timeout_rate": ci(timeout_rate)},
        },
        "pool": {
            "utilization_p95": pool_p95,
            "utilization_mean": pool_p95 / 2,
            "peak_in_use": 1,
            "max": 50,
            "peak_waiting": 0,
        },
    }


def test_verdict_holds_fails_and_borderline() -> None:
    rows = verdict.evaluate(
        {"incident": _run(0.4, 0.4, 1.0), "fix": _run(0.01, 0.01, 0.1), "bad": _run(0.05, 0.3, 0.9)}
    )
    status = {(row["config"], row["claim"].split()[0]): row["status"] for row in rows}
    assert status == {
        ("fix", "timeout"): "holds",
        ("fix", "error"): "holds",
        ("fix", "pool"): "holds",
        ("bad", "timeout"): "fails",
        ("bad", "error"): "fails",
        ("bad", "pool"): "fails",
    }
    straddling = verdict.evaluate({"fix": _run(0.019, 0.0, 0.1, half_width=0.005)})
    assert straddling[0]["status"] == "borderline"


def test_config_diff_names_every_changed_leaf_by_pointer() -> None:
    old = {"$schema": "a", "payment": {"timeout_ms": 5000, "retry": {"jitter_ms": 0}}, "version": "x"}
    new = {"$schema": "b", "payment": {"timeout_ms": 20000, "retry": {"jitter_ms": 0, "extra/x": 1}}, "version": "x"}
    assert changed_settings(old, new) == [
        ("/payment/retry/extra~1x", None, 1),
        ("/payment/timeout_ms", 5000, 20000),
    ]
