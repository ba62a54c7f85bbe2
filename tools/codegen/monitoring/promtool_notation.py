"""promtool's test-file notation: synthetic series, expanding values and the alerts expected to fire."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

from tools.codegen.monitoring.alerts import Alert
from tools.codegen.monitoring.yaml_text import MINUTE_MS, duration, number

TEST_END_MS = 30 * MINUTE_MS  # value tests evaluate here, long after every `for` of a value threshold
SERIES_MS = MINUTE_MS  # the synthetic scrape interval
# A threshold with more decimals than this cannot be put exactly on synthetic counters (2^53 limit).
MAX_THRESHOLD_DENOMINATOR = 10**9


def exact_threshold(threshold: float) -> Fraction:
    """The threshold as the exact decimal written in the config: n/d of counts hits the same double."""
    fraction = Fraction(repr(threshold))
    if fraction.denominator > MAX_THRESHOLD_DENOMINATOR:
        raise ValueError(f"threshold {threshold} has too many decimals to test exactly (at most 9)")
    return fraction


def counter(per_minute: int) -> str:
    # Counters start high so Prometheus never extrapolates them back towards zero at a window's start.
    return f"{per_minute * 100}+{per_minute}x{TEST_END_MS // SERIES_MS + 10}"


def expanding(values: Sequence[float]) -> str:
    """promtool's expanding notation for a list of samples: runs of equal values as `vxN`."""
    runs: list[tuple[float, int]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    return " ".join(f"{number(value)}x{count - 1}" if count > 1 else number(value) for value, count in runs)


def input_series(metric: str, labels: dict[str, str], values: str) -> dict[str, str]:
    inner = ",".join(f'{key}="{value}"' for key, value in labels.items())
    return {"series": f"{metric}{{{inner}}}", "values": values}


def _expected(alert: Alert, labels: dict[str, str]) -> dict[str, Any]:
    def expand(template: str) -> str:
        for key, label in labels.items():
            template = template.replace(f"{{{{ $labels.{key} }}}}", label)
        return template

    return {
        "exp_labels": {**labels, "severity": alert.severity},
        "exp_annotations": {
            "summary": expand(alert.summary),
            "description": expand(alert.description),
            "runbook_url": alert.anchor,
        },
    }


def check(alert: Alert, eval_ms: int, firing: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "eval_time": duration(eval_ms),
        "alertname": alert.name,
        "exp_alerts": [_expected(alert, labels) for labels in firing],
    }


def ratio_cases(threshold: float) -> Iterator[tuple[str, int, int]]:
    """(case, bad per minute, all per minute) just below, exactly at and, if possible, just above the ratio."""
    exact = exact_threshold(threshold)
    scale = 100  # one more bad request per minute is then 1 % of the threshold past it
    bad, total = exact.numerator * scale, exact.denominator * scale
    yield "below", bad - 1, total
    yield "at", bad, total
    if bad < total:  # a threshold of 1 can never be exceeded
        yield "above", bad + 1, total
