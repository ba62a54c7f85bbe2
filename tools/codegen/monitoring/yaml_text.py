"""Deterministic text: YAML without a YAML library, PromQL numbers, percentages and Prometheus durations."""

from __future__ import annotations

import re
from typing import Any

MINUTE_MS = 60_000


def number(value: float) -> str:
    """The shortest spelling that parses back to the same double in Go (PromQL) and Python."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def percent(value: float) -> str:
    return f"{value * 100:g} %"


def duration(ms: int) -> str:
    """A Prometheus duration: 140000 → 2m20s."""
    if ms == 0:
        return "0s"
    parts = []
    for unit, size in (("h", 3_600_000), ("m", MINUTE_MS), ("s", 1000), ("ms", 1)):
        count, ms = divmod(ms, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


# Scalars YAML reads back as the same string without quotes: names and durations, minus YAML 1.1's booleans.
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*|([0-9]+(ms|[smhdwy]))+")
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _quote(text: str) -> str:
    if PLAIN.fullmatch(text) and text.lower() not in YAML_WORDS:
        return text
    return "'" + text.replace("'", "''") + "'"


def yaml_lines(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML of dicts, lists, strings and numbers, in insertion order (so the text is deterministic)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines: list[str] = []
        for key, item in value.items():
            if isinstance(item, str) and "\n" in item:
                lines.append(f"{pad}{key}: |-")
                lines.extend(f"{pad}  {line}" for line in item.split("\n"))
            elif isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines
    lines = []
    for item in value:
        if isinstance(item, dict):
            inner = yaml_lines(item, indent + 2)
            lines.append(f"{pad}- {inner[0][indent + 2 :]}")
            lines.extend(inner[1:])
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | dict):
        return "{}" if isinstance(value, dict) else "[]"  # only empty ones get here
    return _quote(str(value))
