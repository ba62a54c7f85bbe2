"""The run's verdicts: ratios against the goals, the provider check, what --quick asserts, the fixed rate."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest

from tools.perf import openloop, report
from tools.perf.run import QUICK, pair_rate


def phase(ok_per_s: float, cpu: Mapping[str, float | None], share: float = 0.1, fixed: bool = False) -> dict[str, Any]:
    latency = {"p50": 2.0, "p99": 9.0} if fixed else {"50": 2.0, "99": 9.0}
    return {
        "ok": 100,
        "ok_per_s": ok_per_s,
        "latency_ms": latency,
        "cpu_ms_per_request": dict(cpu),
        "core_share": {"provider": share},
    }


def payments_pair(gateway_cpu: float = 1.5, provider_share: float = 0.1) -> dict[str, Any]:
    def target(name: str, per_s: float, own: float, pg: float) -> dict[str, Any]:
        cpu = {name: own, "postgres": pg, "provider": 0.1}
        return {
            "probe": {"ok": True, "http_status": 200, "status": "authorised"},
            "saturation": phase(per_s, cpu, provider_share),
            "fixed": phase(per_s / 2, cpu, fixed=True),
        }

    return {
        "service": "gateway",
        "baseline": "javalin-forwarder",
        "rate_per_s": 400,
        "targets": {
            "gateway": target("gateway", 800.0, gateway_cpu, 0.5),
            "javalin-forwarder": target("javalin-forwarder", 2000.0, 0.5, 0.0),
        },
    }


def test_ratios_compare_the_service_with_its_baseline_against_the_goals() -> None:
    ratios = report.pair_ratios(payments_pair())
    assert ratios["throughput"] == {"value": pytest.approx(0.4), "goal": ">= 0.8", "meets": False}
    assert ratios["cpu_per_request"] == {"value": pytest.approx(3.0), "goal": "<= 1.25", "meets": False}
    assert ratios["cpu_per_request_with_postgres"]["value"] == pytest.approx(4.0)
    assert ratios["cpu_per_request_at_saturation"]["value"] == pytest.approx(3.0)


def test_a_service_within_the_goals_meets_them() -> None:
    pair = payments_pair(gateway_cpu=0.6)
    pair["targets"]["gateway"]["saturation"]["ok_per_s"] = 1700.0
    pair["targets"]["gateway"]["fixed"]["cpu_ms_per_request"]["postgres"] = 0.0
    ratios = report.pair_ratios(pair)
    assert ratios["throughput"]["meets"] is True
    assert ratios["cpu_per_request"]["meets"] is True
    assert ratios["cpu_per_request_with_postgres"]["meets"] is True


def test_a_missing_figure_gives_no_ratio_and_no_verdict() -> None:
    pair = payments_pair()
    pair["targets"]["javalin-forwarder"]["fixed"] = {"error": "wrk exited 1"}
    ratios = report.pair_ratios(pair)
    assert ratios["cpu_per_request"] == {"value": None, "goal": "<= 1.25", "meets": None}


def test_a_provider_near_one_core_is_named_the_bottleneck() -> None:
    alone = {"saturation": {"ok_per_s": 10_000.0}}
    check = report.provider_check(alone, {"payments": payments_pair(provider_share=0.9)})
    assert check["bottleneck"] is True
    assert any("90% of a core" in reason for reason in check["reasons"])


def test_a_provider_with_little_headroom_is_named_the_bottleneck() -> None:
    alone = {"saturation": {"ok_per_s": 3000.0}}  # the forwarder reaches 2000/s: headroom 1.5x
    check = report.provider_check(alone, {"payments": payments_pair()})
    assert check["bottleneck"] is True
    assert check["per_target"]["javalin-forwarder"]["provider_headroom"] == pytest.approx(1.5)


def test_a_fast_idle_provider_is_no_bottleneck() -> None:
    check = report.provider_check({"saturation": {"ok_per_s": 10_000.0}}, {"payments": payments_pair()})
    assert check == {
        "alone_ok_per_s": 10_000.0,
        "per_target": check["per_target"],
        "bottleneck": False,
        "reasons": [],
    }
    assert check["per_target"]["gateway"]["own_cpu_ms_per_request"] == 1.5


def full_report(pair: dict[str, Any], quick: bool = True) -> dict[str, Any]:
    pair["ratios"] = report.pair_ratios(pair)
    alone = {"probe": {"ok": True}, "saturation": phase(10_000.0, {"provider": 0.05})}
    return {
        "meta": {"quick": quick, "provider": "stub"},
        "provider_alone": alone,
        "pairs": {"payments": pair},
        "provider_check": report.provider_check(alone, {"payments": pair}),
    }


def test_quick_passes_when_every_target_answered_with_every_figure() -> None:
    assert report.quick_problems(full_report(payments_pair())) == []


def test_quick_names_a_target_that_did_not_answer_and_a_missing_figure() -> None:
    pair = payments_pair()
    pair["targets"]["gateway"]["probe"] = {"ok": False, "http_status": 500, "status": None}
    pair["targets"]["javalin-forwarder"]["fixed"]["latency_ms"]["p99"] = None
    problems = report.quick_problems(full_report(pair))
    assert any(p.startswith("gateway: the probe did not go through") for p in problems)
    assert "javalin-forwarder fixed: latency p99 missing" in problems


def test_quick_names_a_phase_that_failed() -> None:
    pair = payments_pair()
    pair["targets"]["gateway"]["saturation"] = {"error": "wrk exited 1: connection refused"}
    problems = report.quick_problems(full_report(pair))
    assert "gateway saturation: wrk exited 1: connection refused" in problems
    assert "payments: ratio throughput missing" in problems


def test_the_table_shows_both_targets_and_judges_only_a_full_run() -> None:
    quick = report.table(full_report(payments_pair()))
    assert "payments: gateway vs javalin-forwarder" in quick
    assert "not judged" in quick
    assert "misses" not in quick
    full = report.table(full_report(payments_pair(), quick=False))
    assert "goal >= 0.8: misses" in full
    assert "bottleneck: no" in full


def test_the_fixed_rate_is_a_fraction_of_the_lower_saturation() -> None:
    assert pair_rate([{"ok_per_s": 800.0}, {"ok_per_s": 2000.0}], QUICK) == 400.0


def test_a_pair_that_did_not_saturate_still_gets_a_rate() -> None:
    assert pair_rate([{"error": "wrk exited 1"}, {"ok_per_s": 2000.0}], QUICK) == 1.0


def test_an_explicit_rate_wins() -> None:
    assert pair_rate([{"ok_per_s": 800.0}], replace(QUICK, rate=123.0)) == 123.0


def test_the_open_loop_result_line_is_read_from_the_generator_output() -> None:
    line = {
        "event": "done",
        "rate": 500,
        "duration_s": 3,
        "scheduled": 1500,
        "sent": 1500,
        "completed": 1500,
        "ok": 1498,
        "non_2xx": 2,
        "errors": 0,
        "timeouts": 0,
        "throttled": 0,
        "statuses": {"201": 1498, "409": 2},
        "elapsed_s": 3.001,
        "max_lag_ms": 7.758,
        "latency_ms": {"p50": 2.105, "p90": 2.952, "p99": 6.614, "p999": 13.99, "max": 14.276, "mean": 2.251},
    }
    result = openloop.parse("some warning\n" + json.dumps(line) + "\n")
    assert (result.scheduled, result.ok, result.non_2xx) == (1500, 1498, 2)
    assert result.latency_ms["p99"] == pytest.approx(6.614)
    assert result.statuses == {"201": 1498, "409": 2}
    assert result.achieved_per_s == pytest.approx(1498 / 3.001)


def test_generator_output_without_a_result_is_refused() -> None:
    with pytest.raises(ValueError, match="no 'done' line"):
        openloop.parse("usage: openloop.mjs --url URL\n")


def test_the_open_loop_command_refuses_a_rate_of_zero() -> None:
    with pytest.raises(ValueError, match="rate"):
        openloop.argv("http://h:1/", rate=0, duration_s=1, key_prefix="p", body="{}")
