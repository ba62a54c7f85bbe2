"""Paired comparison: the same orders, meeting the same first provider fate, under two configs.

Every run of one seed sends the same orders (index i has the same arrival time and client key), and
the order service derives each payment key from the client key, so the simulator — which seeds a
charge's fate by (seed, key, attempt) — gives order i the same first provider call under every
config. The difference of two configs is then measured order by order: its interval comes from the
per-batch means of the per-order differences (batches of consecutive orders), which cancels the
luck of the draw that two independent runs would each carry.
"""

from __future__ import annotations

import math
from typing import Any

from tools.replay.stats import batch_means


def paired_rows(runs: dict[str, dict[str, Any]], baseline: str = "incident", batches: int = 10) -> list[dict[str, Any]]:
    """One row per config but `baseline`: its error rate minus the baseline's, order by order."""
    base = runs.get(baseline)
    if base is None or "per_order" not in base:
        return []
    rows = []
    for name, run in runs.items():
        if name == baseline or "per_order" not in run:
            continue
        rows.append(_paired(name, baseline, base, run, batches))
    return rows


def _paired(name: str, baseline: str, base: dict[str, Any], run: dict[str, Any], batches: int) -> dict[str, Any]:
    a, b = base["per_order"], run["per_order"]
    n = min(len(a["error"]), len(b["error"]))
    same_seed = a.get("seed") == b.get("seed")
    diffs = [b["error"][i] - a["error"][i] for i in range(n)]
    extra = [max(0, b["charges"][i] - 1) - max(0, a["charges"][i] - 1) for i in range(n)]
    both_reached = sum(1 for i in range(n) if a["first_fate"][i] and b["first_fate"][i])
    one_reached = sum(1 for i in range(n) if bool(a["first_fate"][i]) != bool(b["first_fate"][i]))
    size = max(1, math.ceil(n / batches))
    chunks = [range(start, min(n, start + size)) for start in range(0, n, size)]
    interval = batch_means([sum(diffs[i] for i in chunk) / len(chunk) for chunk in chunks if len(chunk)])
    # What two unpaired runs would claim: the half-widths of their own intervals, added in quadrature.
    unpaired = _unpaired_half_width(base, run)
    return {
        "config": name,
        "baseline": baseline,
        "orders": n,
        "same_seed": same_seed,
        "same_first_fate": both_reached,
        "reached_provider_in_one_run_only": one_reached,
        "error_rate_difference": sum(diffs) / n if n else None,
        "ci95": interval.to_json() if interval is not None else None,
        "unpaired_half_width": unpaired,
        "erred_only_under_baseline": sum(1 for d in diffs if d < 0),
        "erred_only_under_config": sum(1 for d in diffs if d > 0),
        "erred_under_both": sum(1 for i in range(n) if a["error"][i] and b["error"][i]),
        "extra_charges_difference": sum(extra),
    }


def _unpaired_half_width(base: dict[str, Any], run: dict[str, Any]) -> float | None:
    halves = []
    for one in (base, run):
        ci = one["errors"]["ci95"]["rate"]
        if not ci:
            return None
        halves.append((ci["ci95_high"] - ci["ci95_low"]) / 2)
    return math.sqrt(sum(h * h for h in halves))


def paired_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no paired comparison: the incident config was not replayed)"
    header = [
        "config",
        "orders",
        "same 1st provider fate",
        "error rate − incident's (paired 95 % CI)",
        "unpaired ±",
        "erred only under incident / only here",
        "extra charges − incident's",
    ]
    cells = [
        [
            row["config"],
            str(row["orders"]),
            f"{row['same_first_fate']} ({row['reached_provider_in_one_run_only']} reached it in one run only)",
            _diff(row),
            "-" if row["unpaired_half_width"] is None else f"±{row['unpaired_half_width']:.1%}",
            f"{row['erred_only_under_baseline']} / {row['erred_only_under_config']}",
            f"{row['extra_charges_difference']:+d}",
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]

    def line(values: list[str]) -> str:
        return "  ".join(value.ljust(width) for value, width in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(c) for c in cells)])


def _diff(row: dict[str, Any]) -> str:
    value = row["error_rate_difference"]
    if value is None:
        return "-"
    ci = row["ci95"]
    if not ci:
        return f"{value:+.1%}"
    return f"{value:+.1%} [{ci['ci95_low']:+.1%}, {ci['ci95_high']:+.1%}]"
