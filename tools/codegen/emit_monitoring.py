"""Monitoring from the one config: Prometheus alert rules, their promtool tests and a Grafana dashboard.

Unlike the language bindings this emitter also reads config/timeout.json: the thresholds of the
monitoring checklist live there, so changing one and running `nox -s codegen` changes the rule, the
dashboard line and the test that proves the rule fires at it; `nox -s codegen -- --check` names the
stale files when someone forgets. The work is done in tools/codegen/monitoring/; this module is the
emitter entry point `python -m tools.codegen` imports by name.
"""

from __future__ import annotations

from pathlib import Path

from tools.codegen.model import Schema
from tools.codegen.monitoring.config import CONFIG_PATH, load_monitored, load_with_binding, load_with_schema
from tools.codegen.monitoring.dashboard import DASHBOARD_PATH, dashboard_file
from tools.codegen.monitoring.rule_tests import TESTS_PATH, tests_file
from tools.codegen.monitoring.rules_file import RULES_PATH, rules_file
from tools.codegen.monitoring.yaml_text import duration, yaml_lines

# Re-exported: callers and tests use these through this module (tests patch CONFIG_PATH here).
__all__ = [
    "CONFIG_PATH",
    "DASHBOARD_PATH",
    "RULES_PATH",
    "TESTS_PATH",
    "duration",
    "emit",
    "load_with_binding",
    "load_with_schema",
    "rules",
    "yaml_lines",
]


def emit(schema: Schema, config_path: Path | None = None) -> dict[str, str]:
    config = load_monitored(schema, config_path or CONFIG_PATH)
    return {
        RULES_PATH: rules_file(schema, config),
        TESTS_PATH: tests_file(schema, config),
        DASHBOARD_PATH: dashboard_file(schema, config),
    }


def rules(schema: Schema, config_path: Path, scale: float = 1) -> str:
    """Only the rule file, from any valid config, its fixed windows multiplied by `scale` (end-to-end runs)."""
    return rules_file(schema, load_monitored(schema, config_path), scale)
