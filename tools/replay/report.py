"""The replay's report: a terminal table, a JSON file and a self-contained HTML page with plots."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.replay.paired import paired_table

Row = tuple[str, Callable[[dict[str, Any]], str]]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _s(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:.2f} s"


def _ci(ci: dict[str, float] | None, fmt: Callable[[float], str]) -> str:
    return "" if not ci else f" ±{fmt(max(0.0, (ci['ci95_high'] - ci['ci95_low']) / 2))}"


def _classes(run: dict[str, Any]) -> str:
    by_class = run["errors"]["by_class"]
    return ", ".join(f"{name} {count}" for name, count in by_class.items()) or "none"


def _transitions(run: dict[str, Any], service: str) -> str:
    counts = run["breaker_transitions"].get(service, {})
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "none"


ROWS: list[Row] = [
    ("orders sent", lambda r: str(r["orders"])),
    ("connection held across payment", lambda r: "yes (legacy)" if r["config"]["hold_connection"] else "no"),
    (
        "timed-out payment paid again as new",
        lambda r: "yes (legacy)" if r["config"].get("retry_as_new_payment") else "no",
    ),
    ("error rate (±95 % CI)", lambda r: _pct(r["errors"]["rate"]) + _ci(r["errors"]["ci95"]["rate"], _pct)),
    (
        "timeout errors (±95 % CI)",
        lambda r: _pct(r["errors"]["timeout_rate"]) + _ci(r["errors"]["ci95"]["timeout_rate"], _pct),
    ),
    ("errors by class", _classes),
    ("provider calls over the timeout (analytic)", lambda r: _pct(r["expected_over_timeout"])),
    ("latency p50", lambda r: _s(r["latency_ms"]["p50"])),
    ("latency p95", lambda r: _s(r["latency_ms"]["p95"])),
    ("latency p99 (±95 % CI)", lambda r: _s(r["latency_ms"]["p99"]) + _ci(r["latency_ms"]["ci95_p99"], _s)),
    ("latency max", lambda r: _s(r["latency_ms"]["max"])),
    (
        "pool utilization mean",
        lambda r: _pct(r["pool"]["utilization_mean"]) + _ci(r["pool"]["ci95_utilization_mean"], _pct),
    ),
    ("pool utilization p95", lambda r: _pct(r["pool"]["utilization_p95"])),
    ("pool peak in use / max", lambda r: f"{r['pool']['peak_in_use']}/{r['pool']['max']}"),
    ("pool peak waiting clients", lambda r: str(r["pool"]["peak_waiting"])),
    ("pool time at >= 90 %", lambda r: _pct(r["pool"]["share_at_or_above_90pct"])),
    ("provider attempts per order (amplification)", lambda r: _num(r["provider"]["attempts_per_order"])),
    ("payment keys per order", lambda r: _num(r["provider"].get("keys_per_order"))),
    ("charges per paid order", lambda r: _num(r["provider"]["charges_per_paid_order"])),
    ("orders charged twice or more", lambda r: _share(r["provider"]["orders_charged_twice"], r)),
    ("extra charges (beyond one per order)", lambda r: str(r["provider"].get("extra_charges", "-"))),
    ("keys charged twice (provider idempotency)", lambda r: str(r["provider"].get("keys_charged_twice", "-"))),
    ("charged but not PAID", lambda r: str(r["provider"]["charged_but_not_paid"])),
    ("final status after reconciliation", lambda r: _dict(r["settlement"]["final_status"])),
    ("orders not final at the end", lambda r: str(r["settlement"]["not_final"])),
    ("breaker transitions, gateway", lambda r: _transitions(r, "gateway")),
    ("breaker transitions, order service", lambda r: _transitions(r, "order-service")),
    (
        "CPU busy mean / time > 90 %",
        lambda r: f"{_pct(r['machine']['cpu_busy_mean'])} / {_pct(r['machine']['cpu_saturated_share'])}",
    ),
    ("stack overhead per order (real)", lambda r: _overhead(r)),
    ("CPU ms per order by process", lambda r: _cpu_per_order(r)),
]


def _share(count: int, run: dict[str, Any]) -> str:
    share = run["provider"].get("orders_charged_twice_share")
    return str(count) if share is None else f"{count} ({share:.1%} of orders)"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _dict(values: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in values.items()) or "-"


def _cpu_per_order(run: dict[str, Any]) -> str:
    usage = run["machine"].get("cpu_s_by_process", {})
    orders = max(1, run["orders"])
    short = {"simulator": "sim", "gateway": "gw", "order-service": "os+pg", "replay (load generator)": "gen"}
    return " ".join(f"{short.get(name, name)} {seconds * 1000 / orders:.1f}" for name, seconds in usage.items())


def _overhead(run: dict[str, Any]) -> str:
    wall = run["machine"].get("stack_overhead_wall_ms_p50")
    return "-" if wall is None else f"{wall * run['k']:.0f} ms ({wall:.1f} ms wall)"


def comparison_table(runs: dict[str, dict[str, Any]]) -> str:
    """Metrics as rows, configs as columns; every figure in real-world units."""
    names = list(runs)
    cells = [[label, *(fmt(runs[name]) for name in names)] for label, fmt in ROWS]
    header = ["", *names]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    widths = [min(width, 48) for width in widths]
    lines = [_line(header, widths), "  ".join("-" * width for width in widths)]
    lines += [_line(row, widths) for row in cells]
    return "\n".join(lines)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        (cell if len(cell) <= width else cell[: width - 1] + "…").ljust(width)
        for cell, width in zip(cells, widths, strict=True)
    ).rstrip()


def verdict_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no verdict: the incident config or the fix was not replayed)"
    header = ["config", "claim", "measured", "verdict"]
    cells = [[row["config"], row["claim"], row["text"], row["status"].upper()] for row in rows]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(4)]
    return "\n".join([_line(header, widths), "  ".join("-" * w for w in widths), *(_line(r, widths) for r in cells)])


def reproduction_table(rows: list[dict[str, Any]]) -> str:
    """The incident config against the incident report's own figures."""
    header = ["config", "figure", "replayed vs reported", "closeness"]
    cells = [[row["config"], row["figure"], row["text"], row["status"].upper()] for row in rows]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(4)]
    return "\n".join([_line(header, widths), "  ".join("-" * w for w in widths), *(_line(r, widths) for r in cells)])


def verdict_markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| config | claim | measured | verdict |", "|---|---|---|---|"]
    lines += [f"| {r['config']} | {r['claim']} | {r['text']} | **{r['status']}** |" for r in rows]
    return "\n".join(lines)


def write_json(path: Path, report: dict[str, Any]) -> None:
    path.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")


STYLE = """body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.holds{color:#070}.fails{color:#b00}.borderline{color:#a60}img{max-width:100%}pre{background:#f6f6f6;padding:1em}"""


def write_html(path: Path, report: dict[str, Any]) -> None:
    runs: dict[str, dict[str, Any]] = report["runs"]
    meta = report["meta"]
    esc = html.escape
    plots = "".join(
        f'<h3>{esc(title)}</h3><img alt="{esc(title)}" src="data:image/png;base64,{png}">'
        for title, png in _plots(runs)
    )
    distortions = [f"{name}: {text}" for name, run in runs.items() for text in run["machine"]["distortions"]]
    adjustments = [f"{name}: {text}" for name, run in runs.items() for text in run["config"]["scaling_adjustments"]]
    wall_s = meta["traffic_real_min"] * 60 / meta["k"]
    parts = [
        f'<!doctype html><html><head><meta charset="utf-8"><title>Incident replay — {esc(meta["profile"])}</title>',
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Incident replay: profile <code>{esc(meta['profile'])}</code></h1>",
        f"<p>{esc(meta['profile_description'])}. Command: <code>{esc(meta['command'])}</code>, {esc(meta['date'])}.",
        f" Time compression k = {meta['k']:g}: {meta['traffic_real_min']:g} real-world minutes of traffic per config",
        f" ran in {wall_s:.0f} s; every figure below is in real-world units. Seed {meta['seed']}.",
        f" Machine: {meta['cpus']} CPUs, load average {esc(meta['load_average_start'])} at the start,",
        f" {esc(meta.get('load_average_end', '?'))} at the end.</p>",
        f"<h2>Verdict against the fix's claims</h2>{_verdict_html(report['verdict'])}",
        "<h2>The incident, replayed, against its report</h2>",
        f"<pre>{esc(reproduction_table(report.get('reproduction') or []))}</pre>",
        f"<h2>Side by side</h2><pre>{esc(comparison_table(runs))}</pre>",
        "<h2>Paired with the incident config (same orders, same first provider fate)</h2>",
        f"<pre>{esc(paired_table(report.get('paired') or []))}</pre>",
        "<h2>Distortions</h2>",
        _list(distortions) or "<p>None detected (CPU, generator lag, in-flight bound, reconciliation).</p>",
        "<h2>Scaling adjustments</h2>",
        _list(adjustments) or "<p>None: every scaled config passed the lint as rounded.</p>",
        f"<h2>Over time</h2>{plots}",
        f"<h2>Method</h2><p>{esc(meta['method'])}</p>",
        "</body></html>",
    ]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def _verdict_html(rows: list[dict[str, Any]]) -> str:
    cells = "".join(
        f"<tr><td>{html.escape(r['config'])}</td><td>{html.escape(r['claim'])}</td><td>{html.escape(r['text'])}</td>"
        f'<td class="{r["status"]}"><b>{r["status"]}</b></td></tr>'
        for r in rows
    )
    return f"<table><tr><th>config</th><th>claim</th><th>measured</th><th>verdict</th></tr>{cells}</table>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>" if items else ""


def _nan(value: float | None, factor: float) -> float:
    """A gap in a plotted line where a bin had no value."""
    return float("nan") if value is None else value * factor


def _plots(runs: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def png(figure: Any) -> str:
        buffer = io.BytesIO()
        figure.tight_layout()
        figure.savefig(buffer, format="png", dpi=90)
        plt.close(figure)
        return base64.b64encode(buffer.getvalue()).decode("ascii")

    def shade_outage(axis: Any, run: dict[str, Any]) -> None:
        window = run.get("outage_real_s") or {}
        if "down_s" in window:
            axis.axvspan(window["down_s"] / 60, window.get("up_s", window["down_s"]) / 60, color="#fdd", zorder=0)

    result: list[tuple[str, str]] = []
    figure, axis = plt.subplots(figsize=(10, 3.5))
    for name, run in runs.items():
        bins = run["series"]["bins"]
        axis.plot(bins["t_min"], [_nan(v, 100) for v in bins["error_rate"]], label=name)
        shade_outage(axis, run)
    axis.set(xlabel="real-world minutes", ylabel="errors, % of orders", title="Error rate")
    axis.legend()
    result.append(("Error rate over time", png(figure)))

    figure, axis = plt.subplots(figsize=(10, 3.5))
    for name, run in runs.items():
        pool = run["series"]["pool"]
        axis.plot(pool["t_min"], [u * 100 for u in pool["utilization"]], label=name, linewidth=0.8)
        shade_outage(axis, run)
    axis.axhline(80, color="grey", linestyle="--", linewidth=0.8)
    axis.set(xlabel="real-world minutes", ylabel="in use / max, %", title="Pool utilization", ylim=(0, 105))
    axis.legend()
    result.append(("Pool utilization over time", png(figure)))

    figure, axes = plt.subplots(1, len(runs), figsize=(10, 3.5), sharey=True, squeeze=False)
    for axis, (name, run) in zip(axes[0], runs.items(), strict=True):
        bins = run["series"]["bins"]
        for key in ("p50_ms", "p95_ms", "p99_ms"):
            axis.plot(bins["t_min"], [_nan(v, 0.001) for v in bins[key]], label=key[:3])
        shade_outage(axis, run)
        axis.set(title=name, xlabel="real-world minutes")
    axes[0][0].set_ylabel("latency, s")
    axes[0][0].legend()
    result.append(("Latency percentiles over time", png(figure)))

    figure, axes = plt.subplots(len(runs), 1, figsize=(10, 1.2 + 1.1 * len(runs)), sharex=True, squeeze=False)
    for axis, (name, run) in zip(axes[:, 0], runs.items(), strict=True):
        pool = run["series"]["pool"]
        axis.step(pool["t_min"], pool["gateway_breaker"], where="post", label="gateway")
        axis.step(pool["t_min"], [v + 0.05 for v in pool["order_service_breaker"]], where="post", label="order service")
        shade_outage(axis, run)
        axis.set_yticks([0, 1, 2], ["closed", "half-open", "open"])
        axis.set_title(name, fontsize=9, loc="left")
    axes[-1][0].set_xlabel("real-world minutes")
    axes[0][0].legend(fontsize=8)
    result.append(("Breaker state over time", png(figure)))
    return result
