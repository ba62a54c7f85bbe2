"""The fix's own claims, each checked against the measured numbers (with their 95 % intervals).

A claim *holds* when even the unfavourable end of the interval meets it, *fails* when even the
favourable end misses it, and is *borderline* when the interval straddles the threshold.
"""

from __future__ import annotations

from typing import Any

TIMEOUT_REDUCTION_CLAIM = 0.80
ERROR_RATE_CLAIM = 0.02
POOL_CLAIM = 0.80
REPORTED_INCIDENT_ERROR_RATE = 0.085
REPORTED_INCIDENT_POOL = (0.95, 0.98)


def evaluate(runs: dict[str, dict[str, Any]], baseline: str = "incident") -> list[dict[str, Any]]:
    """One row per (config, claim) for every run but the baseline (the incident config)."""
    incident = runs.get(baseline)
    rows: list[dict[str, Any]] = []
    for name, run in runs.items():
        if name == baseline:
            continue
        if incident is not None:
            rows.append(_timeout_reduction(name, run, incident))
        rows.append(_error_rate(name, run))
        rows.append(_pool(name, run))
    return rows


def _timeout_reduction(name: str, run: dict[str, Any], incident: dict[str, Any]) -> dict[str, Any]:
    fix_rate, incident_rate = run["errors"]["timeout_rate"], incident["errors"]["timeout_rate"]
    measured = 1 - fix_rate / incident_rate if incident_rate else None
    fix_ci, incident_ci = run["errors"]["ci95"]["timeout_rate"], incident["errors"]["ci95"]["timeout_rate"]
    low = high = None
    if fix_ci and incident_ci and incident_ci["ci95_low"] > 0:
        low = 1 - max(0.0, fix_ci["ci95_high"]) / incident_ci["ci95_low"]
        high = 1 - max(0.0, fix_ci["ci95_low"]) / incident_ci["ci95_high"]
    return {
        "config": name,
        "claim": "timeout errors −80 % vs the incident config",
        "measured": measured,
        "interval": [low, high] if low is not None else None,
        "text": (
            f"{_pct(incident_rate)} → {_pct(fix_rate)} of orders: "
            + (f"−{measured:.1%}" if measured is not None else "n/a (no timeouts in the incident run)")
        ),
        "status": _status(low, high, measured, TIMEOUT_REDUCTION_CLAIM, higher_is_better=True),
    }


def _error_rate(name: str, run: dict[str, Any]) -> dict[str, Any]:
    rate = run["errors"]["rate"]
    ci = run["errors"]["ci95"]["rate"]
    low, high = (ci["ci95_low"], ci["ci95_high"]) if ci else (None, None)
    return {
        "config": name,
        "claim": "error rate < 2 % (incident reported 8.5 %)",
        "measured": rate,
        "interval": [low, high] if ci else None,
        "text": f"{_pct(rate)} of orders" + (f" (95 % CI {_pct(low)}–{_pct(high)})" if ci else ""),
        "status": _status(low, high, rate, ERROR_RATE_CLAIM, higher_is_better=False),
    }


def _pool(name: str, run: dict[str, Any]) -> dict[str, Any]:
    pool = run["pool"]
    p95 = pool["utilization_p95"]
    return {
        "config": name,
        "claim": "pool utilization < 80 % (p95 of samples)",
        "measured": p95,
        "interval": None,
        "text": (
            f"p95 {_pct(p95)}, mean {_pct(pool['utilization_mean'])}, peak {pool['peak_in_use']}/{pool['max']}"
            f" in use, {pool['peak_waiting']} waiting at most"
        ),
        "status": _status(None, None, p95, POOL_CLAIM, higher_is_better=False),
    }


def _status(
    low: float | None, high: float | None, value: float | None, threshold: float, *, higher_is_better: bool
) -> str:
    if value is None:
        return "n/a"
    if low is None or high is None:
        low = high = value
    if higher_is_better:
        return "holds" if low >= threshold else "fails" if high < threshold else "borderline"
    return "holds" if high < threshold else "fails" if low >= threshold else "borderline"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def reproduction(runs: dict[str, dict[str, Any]], name: str = "incident") -> list[dict[str, Any]]:
    """How close the `incident` config, on the incident's code path, comes to what the incident report says.

    The report gave an error rate (8.5 %) and a pool utilization range (95–98 %); the replay's figures
    come with their 95 % intervals. `inside` when the reported figure (or range) and the interval
    overlap, otherwise the gap from the nearer end of the interval, in percentage points.
    """
    run = runs.get(name)
    if run is None:
        return []
    rows = []
    error_ci = run["errors"]["ci95"]["rate"]
    rows.append(
        _closeness(
            name,
            "error rate",
            run["errors"]["rate"],
            error_ci,
            (REPORTED_INCIDENT_ERROR_RATE, REPORTED_INCIDENT_ERROR_RATE),
        )
    )
    pool = run["pool"]
    rows.append(
        _closeness(
            name,
            "pool utilization (mean)",
            pool["utilization_mean"],
            pool["ci95_utilization_mean"],
            REPORTED_INCIDENT_POOL,
        )
    )
    return rows


def _closeness(
    name: str, what: str, value: float | None, ci: dict[str, float] | None, reported: tuple[float, float]
) -> dict[str, Any]:
    low, high = (ci["ci95_low"], ci["ci95_high"]) if ci else (value, value)
    shown = "-" if value is None else _pct(value) + (f" (95 % CI {_pct(low)}–{_pct(high)})" if ci else "")
    target = _pct(reported[0]) if reported[0] == reported[1] else f"{_pct(reported[0])}–{_pct(reported[1])}"
    if value is None or low is None or high is None:
        status, gap = "n/a", None
    elif high < reported[0]:
        status, gap = "below", reported[0] - high
    elif low > reported[1]:
        status, gap = "above", low - reported[1]
    else:
        status, gap = "inside", 0.0
    return {
        "config": name,
        "figure": what,
        "measured": value,
        "interval": [low, high] if ci else None,
        "reported": list(reported),
        "status": status,
        "gap": gap,
        "text": f"{shown} vs reported {target}"
        + ("" if gap in (None, 0.0) else f"; the interval lies {gap * 100:.1f} pp {status} it"),
    }
