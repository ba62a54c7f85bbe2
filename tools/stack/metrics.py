"""Reading a service's `GET /metrics` (Prometheus text format) — enough for sums over labelled samples."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Sample:
    name: str
    labels: dict[str, str]
    value: float


def parse(text: str) -> Iterator[Sample]:
    """The samples of a Prometheus text exposition (comments skipped; label values without commas)."""
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        name, _, label_text = head.partition("{")
        labels: dict[str, str] = {}
        for pair in label_text.rstrip("}").split(","):
            key, found, raw = pair.partition("=")
            if found:
                labels[key.strip()] = raw.strip().strip('"')
        yield Sample(name, labels, float(value))


def total(samples: list[Sample], name: str, **labels: str) -> float:
    """The sum of every sample called `name` whose labels include `labels` (0 when there is none)."""
    return sum(s.value for s in samples if s.name == name and labels.items() <= s.labels.items())


def scrape(base_url: str, client: httpx.Client | None = None) -> list[Sample]:
    getter = client or httpx
    response = getter.get(f"{base_url}/metrics", timeout=10.0)
    response.raise_for_status()
    return list(parse(response.text))
