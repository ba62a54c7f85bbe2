"""The monitoring emitter: thresholds follow config/timeout.json, and `--check` notices when they do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checkout_payments.config import ConfigError
from tools.codegen import __main__ as codegen
from tools.codegen import emit_monitoring
from tools.codegen.emit_monitoring import RULES_PATH, TESTS_PATH
from tools.codegen.model import REPO, load_schema

CONFIG = REPO / "config" / "timeout.json"
DASHBOARD = emit_monitoring.DASHBOARD_PATH


def config_with(tmp_path: Path, pointer: str, value: Any) -> Path:
    document = json.loads(CONFIG.read_text(encoding="utf-8"))
    *parents, last = pointer.strip("/").split("/")
    node = document
    for key in parents:
        node = node[key]
    assert last in node
    node[last] = value
    path = tmp_path / "timeout.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def alert_block(rules: str, name: str) -> str:
    start = rules.index(f"- alert: {name}\n")
    end = rules.find("- alert: ", start + 1)
    return rules[start : end if end != -1 else len(rules)]


def test_committed_monitoring_files_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert codegen.main(["--only", "monitoring", "--check"]) == 0
    assert "3 up to date, 0 stale" in capsys.readouterr().out


def test_changing_pool_utilization_warn_changes_the_rule_line_and_test(tmp_path: Path) -> None:
    before = emit_monitoring.emit(load_schema())
    after = emit_monitoring.emit(load_schema(), config_with(tmp_path, "/monitoring/pool_utilization_warn", 0.75))
    assert ">= 0.8\n" in alert_block(before[RULES_PATH], "CheckoutPoolUtilizationWarning")
    warning = alert_block(after[RULES_PATH], "CheckoutPoolUtilizationWarning")
    assert "  / ignoring (state) checkout_pool_max_connections\n          >= 0.75\n" in warning
    assert ">= 0.9\n" in alert_block(after[RULES_PATH], "CheckoutPoolUtilizationCritical")
    pool = next(p for p in json.loads(after[DASHBOARD])["panels"] if p["title"] == "Pool utilization")
    assert [s["value"] for s in pool["fieldConfig"]["defaults"]["thresholds"]["steps"]] == [None, 0.75, 0.9]
    assert "fires at 0.75 (75/100), silent one connection below" in after[TESTS_PATH]


def test_check_names_monitoring_files_a_config_change_made_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(emit_monitoring, "CONFIG_PATH", config_with(tmp_path, "/monitoring/error_rate_threshold", 0.03))
    assert codegen.main(["--only", "monitoring", "--check"]) == 1
    stale = capsys.readouterr().err
    for path in (RULES_PATH, TESTS_PATH, DASHBOARD):
        assert f"stale: {path}" in stale


def test_breaker_alert_waits_recovery_plus_one_attempt_plus_scrape_slack(tmp_path: Path) -> None:
    files = emit_monitoring.emit(
        load_schema(), config_with(tmp_path, "/payment/circuit_breaker/recovery_timeout_ms", 45_500)
    )
    # 45.5 s + 20 s + 60 s, rounded up to whole seconds.
    assert "for: 2m6s\n" in alert_block(files[RULES_PATH], "CheckoutBreakerOpenTooLong")


def test_flap_window_grows_with_a_long_recovery(tmp_path: Path) -> None:
    files = emit_monitoring.emit(
        load_schema(), config_with(tmp_path, "/payment/circuit_breaker/recovery_timeout_ms", 600_000)
    )
    # Three cycles of 10 min recovery + 20 s attempt + 1 min slack.
    assert "[34m]" in alert_block(files[RULES_PATH], "CheckoutBreakerFlapping")


def test_a_config_services_would_refuse_generates_nothing() -> None:
    with pytest.raises(ConfigError) as refused:
        emit_monitoring.emit(load_schema(), REPO / "config" / "examples" / "pre-incident.json")
    assert "/payment/timeout_ms" in str(refused.value)


def test_schema_fallback_agrees_with_the_binding_and_names_bad_fields(tmp_path: Path) -> None:
    schema = load_schema()
    text = CONFIG.read_text(encoding="utf-8")
    assert emit_monitoring.load_with_binding(text, "x") == emit_monitoring.load_with_schema(schema, text, "x")
    bad = config_with(tmp_path, "/monitoring/pool_utilization_warn", 0).read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"/monitoring/pool_utilization_warn: 0 is less than or equal to"):
        emit_monitoring.load_with_schema(schema, bad, "bad.json")


def test_output_is_deterministic_and_starts_with_the_generated_header() -> None:
    schema = load_schema()
    files = emit_monitoring.emit(schema)
    assert files == emit_monitoring.emit(schema)
    for path in (RULES_PATH, TESTS_PATH):
        assert files[path].splitlines()[:3] == [
            "# generated from config/timeout.schema.json — do not edit",
            "# regenerate: nox -s codegen",
            f"# schema-sha256: {schema.sha256}",
        ], path
    assert json.loads(files[DASHBOARD])["description"].startswith(
        "generated from config/timeout.schema.json — do not edit · regenerate: nox -s codegen"
    )


@pytest.mark.parametrize(
    ("ms", "text"), [(0, "0s"), (1500, "1s500ms"), (140_000, "2m20s"), (3_600_000, "1h"), (3_660_001, "1h1m1ms")]
)
def test_durations_are_prometheus_durations(ms: int, text: str) -> None:
    assert emit_monitoring.duration(ms) == text


def test_yaml_quotes_only_what_yaml_would_misread() -> None:
    lines = emit_monitoring.yaml_lines({"a": "yes", "b": "2m", "c": "it's", "d": "x{y}", "e": [1, 0.5], "f": []})
    assert lines == ["a: 'yes'", "b: 2m", "c: 'it''s'", "d: 'x{y}'", "e:", "  - 1", "  - 0.5", "f: []"]
