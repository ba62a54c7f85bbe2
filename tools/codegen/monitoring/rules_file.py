"""config/monitoring/alerts.rules.yml: the alerts as one Prometheus rule group."""

from __future__ import annotations

from typing import Any

from tools.codegen.model import Schema
from tools.codegen.monitoring.alerts import alerts
from tools.codegen.monitoring.config import Monitored
from tools.codegen.monitoring.header import header
from tools.codegen.monitoring.yaml_text import duration, yaml_lines

RULES_PATH = "config/monitoring/alerts.rules.yml"


def rules_file(schema: Schema, config: Monitored, scale: float = 1) -> str:
    """The rule file; `scale` below 1 shortens the fixed windows for an end-to-end run (see alerts.scaled)."""
    rules = []
    for alert in alerts(config, scale):
        rule: dict[str, Any] = {"alert": alert.name, "expr": alert.expr}
        if alert.for_ms:
            rule["for"] = duration(alert.for_ms)
        rule["labels"] = {"severity": alert.severity}
        rule["annotations"] = {
            "summary": alert.summary,
            "description": alert.description,
            "runbook_url": alert.anchor,
        }
        rules.append(rule)
    body = yaml_lines({"groups": [{"name": "checkout-timeouts", "rules": rules}]})
    lines = header(schema, config) + ([] if scale == 1 else [f"fixed windows scaled by {scale!r}: not for production"])
    return "".join(f"# {line}\n" for line in lines) + "\n".join(body) + "\n"
