"""config/METRICS.md as data, and what a real /metrics answer exports, in the same terms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

REPO = Path(__file__).resolve().parents[2]
METRICS_MD = REPO / "config" / "METRICS.md"
RULES = REPO / "config" / "monitoring" / "alerts.rules.yml"
DASHBOARD = REPO / "config" / "monitoring" / "grafana-dashboard.json"

ROW = re.compile(r"^\| `(checkout_[a-z0-9_]+)` \| (counter|gauge|histogram) \| ([^|]*(?:\\\|[^|]*)*) \|", re.M)
METRIC_NAME = re.compile(r"\bcheckout_[a-z0-9_]*[a-z0-9]")
HISTOGRAM_SERIES = ("_bucket", "_sum", "_count")


@dataclass(frozen=True)
class Metric:
    """One metric as a service exports it (or METRICS.md documents it): the name PromQL uses for it."""

    name: str
    type: str
    labels: frozenset[str]


def documented() -> dict[str, Metric]:
    """The table of METRICS.md: name → type and label names (the values in parentheses are not names)."""
    text = METRICS_MD.read_text(encoding="utf-8")
    metrics = {}
    for name, kind, labels in ROW.findall(text):
        names = re.findall(r"`([a-z_]+)`", re.sub(r"\([^)]*\)", "", labels))
        metrics[name] = Metric(name, kind, frozenset(names))
    return metrics


def documented_buckets() -> list[float]:
    """The histogram buckets METRICS.md prescribes (the line after "these buckets")."""
    text = METRICS_MD.read_text(encoding="utf-8")
    match = re.search(r"these buckets[^:]*:\s*([0-9., ]+)\.", text)
    assert match, "METRICS.md names no histogram buckets"
    return [float(value) for value in match.group(1).split(",")]


@dataclass(frozen=True)
class Scrape:
    """One /metrics answer: each family under the name PromQL uses, with every sample's labels."""

    service: str
    metrics: dict[str, Metric]
    samples: dict[str, list[tuple[dict[str, str], float]]]

    def value(self, name: str, **labels: str) -> float | None:
        found = [value for sample, value in self.samples.get(name, []) if sample == labels]
        return found[0] if found else None

    def label_values(self, label: str) -> set[str]:
        return {sample[label] for samples in self.samples.values() for sample, _ in samples if label in sample}


def parse(service: str, text: str) -> Scrape:
    """Parse Prometheus text with prometheus_client's parser; only `checkout_*` families are kept."""
    metrics: dict[str, Metric] = {}
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        # prometheus_client writes each counter's and histogram's creation time as a `<name>_created`
        # family of its own; OpenMetrics counts it as part of that metric, not as a concept of its own.
        if not family.name.startswith("checkout_") or family.name.endswith("_created"):
            continue
        # The parser names a counter family without `_total`; PromQL and METRICS.md use the sample name.
        name = f"{family.name}_total" if family.type == "counter" else family.name
        labels: set[str] = set()
        for sample in family.samples:
            if sample.name.endswith("_created"):
                continue
            labels |= set(sample.labels) - {"le"}
            samples.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
        metrics[name] = Metric(name, family.type, frozenset(labels))
    return Scrape(service, metrics, samples)


def buckets(scrape: Scrape, histogram: str) -> set[tuple[float, ...]]:
    """Every distinct bucket list among the series of a histogram (one per series when all agree)."""
    per_series: dict[tuple[tuple[str, str], ...], list[float]] = {}
    for labels, _ in scrape.samples.get(f"{histogram}_bucket", []):
        series = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        per_series.setdefault(series, []).append(float(labels["le"]))
    return {tuple(sorted(b for b in bounds if b != float("inf"))) for bounds in per_series.values()}


def referenced(text: str) -> set[str]:
    """`checkout_*` names a rule file or dashboard queries, histogram series folded into the histogram."""
    histograms = {name for name, metric in documented().items() if metric.type == "histogram"}
    names = set()
    for name in METRIC_NAME.findall(text):
        base = next((name.removesuffix(s) for s in HISTOGRAM_SERIES if name.endswith(s)), name)
        names.add(base if base in histograms else name)
    return names
