"""Just enough of the Prometheus text format to read counters by name and labels."""

from __future__ import annotations

import re
from collections.abc import Mapping

Series = dict[tuple[tuple[str, str], ...], float]

_LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text: str, name: str) -> Series:
    """Every sample of metric `name`: {sorted label pairs: value}."""
    series: Series = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None or match.group(1) != name:
            continue
        labels = tuple(sorted(_LABEL.findall(match.group(2) or "")))
        series[labels] = float(match.group(3))
    return series


def delta(after: Series, before: Series) -> Series:
    return {labels: value - before.get(labels, 0.0) for labels, value in after.items()}


def by_label(series: Series, label: str, **where: str) -> dict[str, float]:
    """Sum of the samples per value of `label`, over the samples whose labels match `where`."""
    totals: dict[str, float] = {}
    for labels, value in series.items():
        found: Mapping[str, str] = dict(labels)
        if all(found.get(key) == wanted for key, wanted in where.items()):
            key = found.get(label, "")
            totals[key] = totals.get(key, 0.0) + value
    return totals
