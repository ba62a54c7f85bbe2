"""The generated alert rules and dashboard: promtool accepts and tests them, and they speak METRICS.md only."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import rfc8785

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "config" / "monitoring" / "alerts.rules.yml"
DASHBOARD = REPO / "config" / "monitoring" / "grafana-dashboard.json"
UNIT_TESTS = sorted((REPO / "tests" / "monitoring").glob("*.test.yml"))
METRICS = REPO / "config" / "METRICS.md"
RUNBOOK = REPO / "docs" / "RUNBOOK.md"
CONFIG: dict[str, Any] = json.loads((REPO / "config" / "timeout.json").read_text(encoding="utf-8"))

METRIC_NAME = re.compile(r"\bcheckout_[a-z0-9_]*[a-z0-9]")
HISTOGRAM_SERIES = ("_bucket", "_sum", "_count")
ALERT = re.compile(r"^ *- alert: (\S+)$", re.MULTILINE)


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    assert binary, "promtool is not on PATH: `nox -s monitoring` installs it (Debian package `prometheus`)"
    return subprocess.run([binary, *args], cwd=REPO, capture_output=True, text=True, check=False)


def vocabulary() -> dict[str, str]:
    """metric name → type, from the table of config/METRICS.md."""
    rows = re.findall(r"^\| `(checkout_[a-z0-9_]+)` \| (counter|gauge|histogram) \|", METRICS.read_text("utf-8"), re.M)
    return dict(rows)


def used_metrics(text: str) -> set[str]:
    names = vocabulary()
    used = set()
    for name in METRIC_NAME.findall(text):
        base = next((name.removesuffix(s) for s in HISTOGRAM_SERIES if name.endswith(s)), name)
        used.add(base if names.get(base) == "histogram" else name)
    return used


def alert_blocks() -> dict[str, str]:
    text = RULES.read_text(encoding="utf-8")
    starts = [(m.group(1), m.start()) for m in ALERT.finditer(text)]
    ends = [start for _, start in starts[1:]] + [len(text)]
    return {name: text[start:end] for (name, start), end in zip(starts, ends, strict=True)}


def thresholds(panel_title: str) -> list[float | None]:
    panels = json.loads(DASHBOARD.read_text(encoding="utf-8"))["panels"]
    panel = next(p for p in panels if p["title"] == panel_title)
    return [step["value"] for step in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]]


def test_promtool_accepts_the_generated_rules() -> None:
    result = promtool("check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_blocks())} rules found" in result.stdout


def test_each_alert_fires_at_its_threshold_and_not_on_the_near_side() -> None:
    assert UNIT_TESTS, "no tests/monitoring/*.test.yml"
    result = promtool("test", "rules", *map(str, UNIT_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr
    tested = set(re.findall(r"^ *alertname: (\S+)$", "".join(t.read_text("utf-8") for t in UNIT_TESTS), re.M))
    assert tested == set(alert_blocks())


def test_promtool_unit_tests_catch_a_moved_threshold(tmp_path: Path) -> None:
    # The unit tests must fail when the rule's threshold is not the config's: a test that cannot fail proves nothing.
    warn = CONFIG["monitoring"]["pool_utilization_warn"]
    (tmp_path / "config" / "monitoring").mkdir(parents=True)
    (tmp_path / "tests" / "monitoring").mkdir(parents=True)
    moved = RULES.read_text(encoding="utf-8").replace(f">= {warn}\n", f"> {warn}\n")
    assert moved != RULES.read_text(encoding="utf-8")
    (tmp_path / "config" / "monitoring" / RULES.name).write_text(moved, encoding="utf-8")
    for unit_test in UNIT_TESTS:
        shutil.copy(unit_test, tmp_path / "tests" / "monitoring" / unit_test.name)
    result = promtool("test", "rules", *(str(tmp_path / "tests" / "monitoring" / t.name) for t in UNIT_TESTS))
    assert result.returncode != 0
    assert "CheckoutPoolUtilizationWarning" in result.stdout + result.stderr


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    # promtool parses PromQL only inside rule files: each query becomes a recording rule of a scratch file.
    panels = json.loads(DASHBOARD.read_text(encoding="utf-8"))["panels"]
    queries = [target["expr"] for panel in panels for target in panel.get("targets", [])]
    rules = "".join(
        f"      - record: dashboard_query_{i}\n        expr: {json.dumps(q)}\n" for i, q in enumerate(queries)
    )
    scratch = tmp_path / "dashboard.rules.yml"
    scratch.write_text(f"groups:\n  - name: dashboard\n    rules:\n{rules}", encoding="utf-8")
    result = promtool("check", "rules", str(scratch))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(queries)} rules found" in result.stdout


@pytest.mark.parametrize("path", [RULES, DASHBOARD, *UNIT_TESTS], ids=lambda p: p.name)
def test_every_metric_used_is_in_the_one_vocabulary(path: Path) -> None:
    used = used_metrics(path.read_text(encoding="utf-8"))
    assert used, f"no metric found in {path.name}"
    assert sorted(used - set(vocabulary())) == []


def test_vocabulary_is_read_from_metrics_md() -> None:
    names = vocabulary()
    assert names["checkout_upstream_latency_seconds"] == "histogram"
    assert used_metrics("rate(checkout_upstream_latency_seconds_bucket[5m])") == {"checkout_upstream_latency_seconds"}
    assert used_metrics("checkout_requests_bucket") == {"checkout_requests_bucket"}  # not a histogram: unknown


def test_every_alert_has_severity_summary_description_and_a_runbook_section() -> None:
    headings = set(re.findall(r"^## (\S+)$", RUNBOOK.read_text(encoding="utf-8"), re.M))
    blocks = alert_blocks()
    assert len(blocks) == 9
    for name, block in blocks.items():
        assert re.search(r"^ *severity: (warning|critical)$", block, re.M), name
        assert re.search(r"^ *summary: '.+'$", block, re.M), name
        assert re.search(r"^ *description: '.+'$", block, re.M), name
        # GitHub's anchor of "## CheckoutErrorRateHigh" is #checkouterrorratehigh.
        assert f"runbook_url: docs/RUNBOOK.md#{name.lower()}" in block.replace("'", ""), name
        assert name in headings, f"docs/RUNBOOK.md has no section {name}"


def test_rule_thresholds_are_the_configs() -> None:
    monitoring = CONFIG["monitoring"]
    blocks = alert_blocks()
    assert f"> {monitoring['error_rate_threshold']}\n" in blocks["CheckoutErrorRateHigh"]
    assert f"> {monitoring['payment_timeout_rate_threshold']}\n" in blocks["CheckoutPaymentTimeoutRateHigh"]
    assert f">= {monitoring['pool_utilization_warn']}\n" in blocks["CheckoutPoolUtilizationWarning"]
    assert f">= {monitoring['pool_utilization_critical']}\n" in blocks["CheckoutPoolUtilizationCritical"]


def test_dashboard_lines_are_the_configs() -> None:
    monitoring, payment = CONFIG["monitoring"], CONFIG["payment"]
    assert thresholds("Pool utilization") == [
        None,
        monitoring["pool_utilization_warn"],
        monitoring["pool_utilization_critical"],
    ]
    assert thresholds("Error rate by class") == [None, monitoring["error_rate_threshold"]]
    assert thresholds("Payment timeout rate") == [None, monitoring["payment_timeout_rate_threshold"]]
    assert thresholds("Payment latency percentiles") == [
        None,
        payment["provider_expected_p99_ms"] / 1000,
        payment["timeout_ms"] / 1000,
    ]
    assert thresholds("Retry budget") == [None, payment["retry_budget"]["max_tokens"] / 2]


def test_generated_files_name_the_config_they_follow() -> None:
    fingerprint = hashlib.sha256(rfc8785.dumps(CONFIG)).hexdigest()
    line = f"config: config/timeout.json version {CONFIG['version']} fingerprint {fingerprint}"
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert "generated from config/timeout.schema.json — do not edit" in dashboard["description"]
    assert line in dashboard["description"]
    for path in (RULES, *UNIT_TESTS):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "# generated from config/timeout.schema.json — do not edit", path.name
        assert lines[3] == f"# {line}", path.name
