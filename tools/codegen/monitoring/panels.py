"""Grafana panel builders: time series with threshold lines, rows, the breaker timeline and the config panels."""

from __future__ import annotations

from typing import Any

from tools.codegen.monitoring.config import CONFIG_REL, Monitored

DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def _thresholds(*steps: tuple[str, float]) -> dict[str, Any]:
    return {
        "mode": "absolute",
        "steps": [{"color": "green", "value": None}, *({"color": c, "value": v} for c, v in steps)],
    }


def timeseries(
    title: str, description: str, targets: list[tuple[str, str]], unit: str, lines: tuple[tuple[str, float], ...] = ()
) -> dict[str, Any]:
    custom: dict[str, Any] = {"thresholdsStyle": {"mode": "line" if lines else "off"}}
    return {
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {"unit": unit, "custom": custom, "thresholds": _thresholds(*lines)},
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "table", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": [
            {"refId": chr(ord("A") + i), "datasource": DATASOURCE, "expr": expr, "legendFormat": legend}
            for i, (expr, legend) in enumerate(targets)
        ],
    }


def row(title: str) -> dict[str, Any]:
    return {"type": "row", "title": title, "collapsed": False, "panels": []}


def breaker_states() -> dict[str, Any]:
    states = {"0": ("closed", "green"), "1": ("half_open", "yellow"), "2": ("open", "red")}
    return {
        "type": "state-timeline",
        "title": "Breaker state",
        "description": "Per service and upstream: closed, half_open or open.",
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {
                "mappings": [
                    {
                        "type": "value",
                        "options": {
                            value: {"text": text, "color": color, "index": i}
                            for i, (value, (text, color)) in enumerate(states.items())
                        },
                    }
                ],
                "thresholds": _thresholds(),
            },
            "overrides": [],
        },
        "options": {"showValue": "never", "legend": {"displayMode": "list", "placement": "bottom"}},
        "targets": [
            {
                "refId": "A",
                "datasource": DATASOURCE,
                "expr": 'max by (service, upstream, operation) (checkout_breaker_state{state="half_open"})\n'
                '  + 2 * max by (service, upstream, operation) (checkout_breaker_state{state="open"})',
                "legendFormat": "{{service}} → {{upstream}} {{operation}}",
            }
        ],
    }


def fingerprints(config: Monitored) -> dict[str, Any]:
    return {
        "type": "table",
        "title": "Config fingerprint per service",
        "description": f"The config each instance runs. {CONFIG_REL} in the repo: version {config.version}, "
        f"fingerprint {config.fingerprint} (marked green).",
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {},
            "overrides": [
                {
                    "matcher": {"id": "byName", "options": "fingerprint"},
                    "properties": [
                        {
                            "id": "mappings",
                            "value": [
                                {"type": "value", "options": {config.fingerprint: {"color": "green", "index": 0}}}
                            ],
                        },
                        {"id": "custom.cellOptions", "value": {"type": "color-text"}},
                    ],
                }
            ],
        },
        "targets": [
            {"refId": "A", "datasource": DATASOURCE, "expr": "checkout_config_info", "format": "table", "instant": True}
        ],
        "transformations": [
            {
                "id": "organize",
                "options": {
                    "excludeByName": {"Time": True, "Value": True, "__name__": True},
                    "indexByName": {"service": 0, "instance": 1, "version": 2, "fingerprint": 3},
                },
            }
        ],
    }


def distinct_fingerprints() -> dict[str, Any]:
    return {
        "type": "stat",
        "title": "Distinct config fingerprints",
        "description": "1 when the whole fleet runs one config; the drift alert fires when it stays above 1.",
        "datasource": DATASOURCE,
        "fieldConfig": {"defaults": {"unit": "none", "thresholds": _thresholds(("red", 2))}, "overrides": []},
        "options": {"colorMode": "background", "reduceOptions": {"calcs": ["lastNotNull"]}},
        "targets": [
            {"refId": "A", "datasource": DATASOURCE, "expr": "count(count by (fingerprint) (checkout_config_info))"}
        ],
    }
