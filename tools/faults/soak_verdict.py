"""The soak's verdict from its samples (pure), and its plot.

- RSS: each long-lived process's high-water mark over the last fifth of the traffic is < 10 % above its
  high-water mark over the fifth just after the warm-up (the first fifth of the traffic, at least a minute).
  Peaks, not medians: a collector's sawtooth (V8 gives pages back, then grows again) moves a window's
  median with the phase the window happens to catch, while a leak raises every peak;
- descriptors: after the idle time that ends the run, each process holds at most 10 % (+ 10) more than
  just after the warm-up;
- database connections: never above the fleet's pools (`fleet` × pool sizes), and after the idle time no more
  than just after the warm-up (+ 4): a leak only grows;
- payment records: bounded — the last quarter's peak at most 25 % above the second quarter's (the run is
  longer than two retention periods, so the reaper has been at work for half of it).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

RSS_GROWTH = 0.10
FD_GROWTH = 0.10
FD_SLACK = 10
CONNECTION_SLACK = 4
TABLE_GROWTH = 0.25
DATABASES = ("orders", "gateway")
# Processes whose memory is judged: the replicas (the simulator and the harness are test equipment).
JUDGED = ("gateway-1", "gateway-2", "order-service-1", "order-service-2", "haproxy")


def verdict(
    samples: Sequence[dict[str, Any]], traffic_s: float, pools: dict[str, int], leftovers: Sequence[str] = ()
) -> dict[str, Any]:
    """`pools`: the most connections each database may see (pool size × replicas)."""
    checks: list[tuple[str, bool, str]] = []
    warm = max(60.0, traffic_s / 5)
    window = max(60.0, traffic_s / 5)
    after_warmup = [x for x in samples if warm <= x["t"] < warm + window]
    last = [x for x in samples if traffic_s - window <= x["t"] <= traffic_s]
    idle = [x for x in samples if x["t"] > traffic_s + 5]
    if not (after_warmup and last and idle):
        return {"ok": False, "checks": [("enough samples", False, f"{len(samples)} samples over {traffic_s:.0f} s")]}
    growth = {
        name: _peak(last, name) / _peak(after_warmup, name) - 1 for name in JUDGED if _peak(after_warmup, name) > 0
    }
    worst = max(growth.items(), key=lambda item: item[1])
    # Not judged, shown: the trend over the traffic's second half, to tell a heap that stepped up and
    # stayed (a plateau) from one that keeps climbing (a leak).
    half = [x for x in samples if traffic_s / 2 <= x["t"] <= traffic_s]
    trend = {name: _slope_mb_per_min(half, name) for name in growth}
    checks.append(
        (
            f"RSS growth after warm-up < {RSS_GROWTH:.0%}",
            worst[1] < RSS_GROWTH,
            ", ".join(
                f"{name} {value:+.1%} ({trend[name]:+.2f} MB/min late)" for name, value in sorted(growth.items())
            ),
        )
    )
    fd_bad = {
        name: (int(_median(after_warmup, "fds", name)), int(idle[-1]["fds"].get(name, 0)))
        for name in JUDGED
        if idle[-1]["fds"].get(name, 0) > _median(after_warmup, "fds", name) * (1 + FD_GROWTH) + FD_SLACK
    }
    fds_now = {name: idle[-1]["fds"].get(name, 0) for name in JUDGED}
    checks.append(
        ("no leaked descriptors (after the idle time)", not fd_bad, f"now {fds_now}; grew {fd_bad or 'none'}")
    )
    peak = {db: max(x["db_connections"].get(db, 0) for x in samples) for db in pools}
    base = {db: max(x["db_connections"].get(db, 0) for x in after_warmup) for db in pools}
    end = {db: idle[-1]["db_connections"].get(db, 0) for db in pools}
    leaked = {db: end[db] for db in pools if end[db] > base[db] + CONNECTION_SLACK or peak[db] > pools[db]}
    checks.append(
        (
            "no leaked database connections (within the pools; back down when idle)",
            not leaked,
            f"peak {peak} of pools {pools}; after warm-up {base}; idle {end}",
        )
    )
    quarter = traffic_s / 4
    second = [x["payment_records"] for x in samples if quarter <= x["t"] < 2 * quarter]
    fourth = [x["payment_records"] for x in samples if 3 * quarter <= x["t"] <= traffic_s]
    bounded = bool(second and fourth) and max(fourth) <= max(second) * (1 + TABLE_GROWTH)
    checks.append(
        (
            "retention keeps payment_records bounded",
            bounded,
            f"rows peak {max(second, default=0)} in the 2nd quarter, {max(fourth, default=0)} in the 4th",
        )
    )
    checks.append(("nothing left running", not leftovers, "; ".join(leftovers) or "-"))
    return {"ok": all(ok for _, ok, _ in checks), "checks": checks, "rss_growth": growth}


def _slope_mb_per_min(samples: Sequence[dict[str, Any]], name: str) -> float:
    points = [(float(x["t"]), float(x["rss_mb"][name])) for x in samples if x["rss_mb"].get(name)]
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(t for t, _ in points)
    mean_v = statistics.fmean(v for _, v in points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return 60 * sum((t - mean_t) * (v - mean_v) for t, v in points) / spread if spread else 0.0


def _peak(samples: Sequence[dict[str, Any]], name: str) -> float:
    return max((float(x["rss_mb"].get(name, 0)) for x in samples), default=0.0)


def _median(samples: Sequence[dict[str, Any]], field: str, name: str) -> float:
    values = [float(x[field].get(name, 0)) for x in samples if x[field].get(name)]
    return statistics.median(values) if values else 0.0


def plot(samples: Sequence[dict[str, Any]], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(4, 1, figsize=(12, 11), sharex=True)
    ts = [x["t"] for x in samples]
    names = sorted({name for x in samples for name in x["rss_mb"]})
    for name in names:
        axes[0].plot(ts, [x["rss_mb"].get(name) for x in samples], label=name)
        axes[1].plot(ts, [x["fds"].get(name) for x in samples], label=name)
    for db in DATABASES:
        axes[2].plot(ts, [x["db_connections"].get(db, 0) for x in samples], label=f"{db} database")
    axes[3].plot(ts, [x["payment_records"] for x in samples], label="payment_records rows")
    for ax, label in zip(axes, ("RSS MB", "open descriptors", "DB connections", "rows"), strict=True):
        ax.set_ylabel(label)
        ax.legend(fontsize=7, loc="upper left")
    axes[3].set_xlabel("seconds since the traffic started (wall)")
    fig.suptitle("soak: memory, descriptors, connections and the payment-record table")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
