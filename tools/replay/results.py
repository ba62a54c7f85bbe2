"""From raw outcomes, samples, the ledger and /metrics to the figures of one run, in real-world units."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tools.replay import promtext
from tools.replay.loadgen import ANSWERED, CLIENT_TIMEOUT, FINAL, Outcome
from tools.replay.profiles import Profile
from tools.replay.sampler import Samples
from tools.replay.stats import Interval, Latencies, batch_means, quantile

# "The payment did not answer in time", whoever noticed first: the order service's attempt timeout,
# the gateway's deadline-cut attempt, or the caller giving up.
TIMEOUT_CLASSES = frozenset({"TIMEOUT", "DEADLINE_EXCEEDED", CLIENT_TIMEOUT})
# The machine counts as saturated above this share of all cores busy.
CPU_SATURATED = 0.90
# More than this share of saturated CPU samples makes the run's timings suspect.
CPU_SATURATED_SHARE_LIMIT = 0.10
# A request leaving more than this late (real-world ms, p99) means the generator could not keep up.
LAG_LIMIT_REAL_MS = 250.0
PLOT_BINS = 40
# The order service's payment keys are UUIDv5 of the client's key in this namespace (its paymentKey.ts).
PAYMENT_KEY_NAMESPACE = uuid.UUID("bea58df6-1866-4973-921d-2a0d090beab5")


def summarise(
    *,
    profile: Profile,
    k: float,
    traffic_s: float,
    batches: int,
    outcomes: Sequence[Outcome],
    final_status: dict[str, str],
    unsettled: list[str],
    samples: Samples,
    ledger: dict[str, Any],
    metrics_before: dict[str, str],
    metrics_after: dict[str, str],
    outage_window_s: dict[str, float],
    machine: dict[str, Any],
    settings_timeout_ms: int,
    seed: int = 0,
) -> dict[str, Any]:
    traffic_wall_s = traffic_s / k
    orders = len(outcomes)
    errors = Counter(o.error_class for o in outcomes if o.error_class is not None)
    timeouts = sum(count for name, count in errors.items() if name in TIMEOUT_CLASSES)
    latencies = Latencies()
    for outcome in outcomes:
        latencies.record(outcome.latency_ms * k)

    placed = [o for o in outcomes if o.order_id is not None]
    final = {o.order_id: final_status.get(o.order_id, o.status or "") for o in placed if o.order_id is not None}
    final_counts = Counter(final.values())
    paid = final_counts.get("PAID", 0)

    totals = ledger.get("totals", {})
    by_order = ledger_by_order(ledger)
    charged_not_paid = sorted(
        order_id for order_id, seen in by_order.items() if seen.authorised and final.get(order_id) != "PAID"
    )
    charged_orders = [seen for seen in by_order.values() if seen.charges]
    charged_more_than_once = sum(seen.charges > 1 for seen in charged_orders)

    pool_util = [s.utilization for s in samples.pool]
    batch = _batches(outcomes, samples, k, traffic_wall_s, batches)
    cpu_busy = [s.busy for s in samples.cpu]
    saturated_share = sum(busy > CPU_SATURATED for busy in cpu_busy) / len(cpu_busy) if cpu_busy else 0.0
    lags = [o.lag_ms * k for o in outcomes]
    lag_p99 = quantile(lags, 0.99) or 0.0

    distortions = []
    if saturated_share > CPU_SATURATED_SHARE_LIMIT:
        distortions.append(
            f"CPU above {CPU_SATURATED:.0%} busy in {saturated_share:.0%} of the samples: latencies include queueing"
            " for the CPU, not only for the provider"
        )
    if machine["throttled_sends"]:
        distortions.append(
            f"the generator's in-flight bound ({machine['max_inflight']}) was hit {machine['throttled_sends']} times:"
            " those arrivals waited (the open model was throttled)"
        )
    if lag_p99 > LAG_LIMIT_REAL_MS:
        distortions.append(f"requests left late: p99 send lag {lag_p99:.0f} ms real-world (generator overloaded)")
    if unsettled:
        distortions.append(f"{len(unsettled)} orders were still not final when the reconciliation bound ran out")

    return {
        "profile": profile.name,
        "expected_over_timeout": profile.share_slower_than(settings_timeout_ms),
        "k": k,
        "traffic_real_s": traffic_s,
        "orders": orders,
        "errors": {
            "total": sum(errors.values()),
            "rate": sum(errors.values()) / orders if orders else 0.0,
            "by_class": dict(errors.most_common()),
            "timeouts": timeouts,
            "timeout_rate": timeouts / orders if orders else 0.0,
            "ci95": {
                "rate": _json(batch_means(batch["error_rate"])),
                "timeout_rate": _json(batch_means(batch["timeout_rate"])),
            },
        },
        "answers": dict(Counter(o.status or f"no order ({o.error_class})" for o in outcomes).most_common()),
        "latency_ms": {
            **latencies.summary(),
            "ci95_p99": _json(batch_means(batch["p99_ms"])),
        },
        "pool": {
            "max": samples.pool[-1].max if samples.pool else None,
            "utilization_mean": sum(pool_util) / len(pool_util) if pool_util else None,
            "utilization_p95": quantile(pool_util, 0.95),
            "peak_in_use": max((s.in_use for s in samples.pool), default=None),
            "peak_waiting": max((s.waiting for s in samples.pool), default=None),
            "share_at_or_above_90pct": sum(u >= 0.9 for u in pool_util) / len(pool_util) if pool_util else None,
            "samples": len(pool_util),
            "sample_interval_real_ms": _sample_interval_ms(samples, k),
            "ci95_utilization_mean": _json(batch_means(batch["pool_mean"])),
        },
        "provider": {
            "attempts": totals.get("attempts"),
            "attempts_per_order": totals.get("attempts", 0) / len(placed) if placed else None,
            "keys": totals.get("keys"),
            "keys_per_order": totals.get("keys", 0) / len(placed) if placed else None,
            "charges": totals.get("charges"),
            "charges_per_paid_order": totals.get("charges", 0) / paid if paid else None,
            # Per order (its order_id, which the gateway forwards): the incident's double charges.
            "orders_charged": len(charged_orders),
            "orders_charged_twice": charged_more_than_once,
            "orders_charged_twice_share": charged_more_than_once / len(placed) if placed else None,
            "extra_charges": sum(seen.charges - 1 for seen in charged_orders),
            # Per Idempotency-Key: the provider's own idempotency (0 unless a key was charged twice).
            "keys_charged_twice": len(totals.get("double_charged", [])),
            "charged_but_not_paid": len(charged_not_paid),
            "gateway_attempts_by_result": _gateway_attempts(metrics_before, metrics_after),
        },
        "per_order": _per_order(outcomes, by_order, seed),
        "settlement": {
            "final_status": dict(final_counts.most_common()),
            "not_final": len(unsettled) + sum(1 for status in final.values() if status not in FINAL),
            "answered_without_order": orders - len(placed),
        },
        "breaker_transitions": _transitions(metrics_before, metrics_after),
        "batches": batch,
        "series": _series(outcomes, samples, k, traffic_wall_s),
        "outage_real_s": {key: value * k for key, value in outage_window_s.items()},
        "machine": {
            **machine,
            "cpu_busy_mean": sum(cpu_busy) / len(cpu_busy) if cpu_busy else None,
            "cpu_saturated_share": saturated_share,
            "send_lag_real_ms_p99": lag_p99,
            "send_lag_real_ms_max": max(lags, default=0.0),
            "distortions": distortions,
        },
    }


@dataclass
class OrderCharges:
    """What the provider's ledger saw of one order, over every key it was paid under."""

    keys: set[str] = field(default_factory=set)
    attempts: int = 0
    charges: int = 0
    authorised: int = 0


def ledger_by_order(ledger: dict[str, Any]) -> dict[str, OrderCharges]:
    """The ledger's entries grouped by the order id the gateway forwarded (one order, one or more keys)."""
    orders: dict[str, OrderCharges] = {}
    for entry in ledger.get("charges", []):
        seen = orders.setdefault(str(entry.get("order_id")), OrderCharges())
        seen.keys.add(str(entry.get("key")))
        seen.attempts += int(entry.get("attempts", 0))
        seen.charges += int(entry.get("charges", 0))
        seen.authorised += int(entry.get("charges", 0)) if entry.get("status") == "authorised" else 0
    return orders


def payment_key_of(idempotency_key: str) -> str:
    """The order service's payment key for a client key (node order-service src/orders/paymentKey.ts)."""
    return f"order-{uuid.uuid5(PAYMENT_KEY_NAMESPACE, idempotency_key)}"


def _per_order(outcomes: Sequence[Outcome], by_order: dict[str, OrderCharges], seed: int) -> dict[str, Any]:
    """Per order index (the same order in every run of one seed): what pairs runs of different configs.

    `first_fate` is 1 when the provider saw the order's payment key (derived from its client key, so
    the same in every run) — its first call then drew the fate seeded by (seed, that key, attempt 1),
    whatever the config; 0 when the order never reached the provider (e.g. no connection in time).
    """
    count = max((o.index for o in outcomes), default=-1) + 1
    error, first_fate, charges, attempts = [0] * count, [0] * count, [0] * count, [0] * count
    for outcome in outcomes:
        error[outcome.index] = int(outcome.is_error)
        seen = by_order.get(outcome.order_id or "")
        if seen is None:
            continue
        first_fate[outcome.index] = int(bool(outcome.key) and payment_key_of(outcome.key) in seen.keys)
        charges[outcome.index] = seen.charges
        attempts[outcome.index] = seen.attempts
    return {"seed": seed, "error": error, "first_fate": first_fate, "charges": charges, "attempts": attempts}


def _batches(
    outcomes: Sequence[Outcome], samples: Samples, k: float, traffic_wall_s: float, count: int
) -> dict[str, list[float]]:
    """Per batch of arrival time: error rate, timeout rate, p99 latency (real ms), mean pool utilization."""
    width = traffic_wall_s / count
    result: dict[str, list[float]] = {"error_rate": [], "timeout_rate": [], "p99_ms": [], "pool_mean": []}
    for index in range(count):
        low, high = index * width, (index + 1) * width
        inside = [o for o in outcomes if low <= o.scheduled_s < high]
        pool = [s.utilization for s in samples.pool if low <= s.t_s < high]
        nan = float("nan")
        result["error_rate"].append(sum(o.is_error for o in inside) / len(inside) if inside else nan)
        result["timeout_rate"].append(
            sum(o.error_class in TIMEOUT_CLASSES for o in inside) / len(inside) if inside else nan
        )
        result["p99_ms"].append((quantile([o.latency_ms * k for o in inside], 0.99) or nan) if inside else nan)
        result["pool_mean"].append(sum(pool) / len(pool) if pool else nan)
    return result


def _series(outcomes: Sequence[Outcome], samples: Samples, k: float, traffic_wall_s: float) -> dict[str, Any]:
    """Time series for the plots, x in real-world minutes."""
    width = traffic_wall_s / PLOT_BINS
    bins: dict[str, list[float | None]] = {"t_min": [], "error_rate": [], "p50_ms": [], "p95_ms": [], "p99_ms": []}
    for index in range(PLOT_BINS):
        low, high = index * width, (index + 1) * width
        inside = [o for o in outcomes if low <= o.scheduled_s < high]
        latency = [o.latency_ms * k for o in inside]
        bins["t_min"].append((low + width / 2) * k / 60)
        bins["error_rate"].append(sum(o.is_error for o in inside) / len(inside) if inside else None)
        for name, q in (("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99)):
            bins[name].append(quantile(latency, q))
    step = max(1, len(samples.pool) // 800)
    pool = samples.pool[::step]
    return {
        "bins": bins,
        "pool": {
            "t_min": [s.t_s * k / 60 for s in pool],
            "utilization": [s.utilization for s in pool],
            "waiting": [s.waiting for s in pool],
            "order_service_breaker": [s.order_service_breaker for s in pool],
            "gateway_breaker": [s.gateway_breaker for s in pool],
        },
        "cpu": {"t_min": [s.t_s * k / 60 for s in samples.cpu], "busy": [s.busy for s in samples.cpu]},
    }


def _transitions(before: dict[str, str], after: dict[str, str]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for service, text in after.items():
        name = "checkout_breaker_transitions_total"
        changed = promtext.delta(promtext.parse(text, name), promtext.parse(before.get(service, ""), name))
        counts: dict[str, int] = {}
        for labels, value in changed.items():
            found = dict(labels)
            if value:
                key = f"{found.get('from')}->{found.get('to')}"
                counts[key] = counts.get(key, 0) + int(value)
        result[service] = counts
    return result


def _gateway_attempts(before: dict[str, str], after: dict[str, str]) -> dict[str, int]:
    name = "checkout_upstream_attempts_total"
    changed = promtext.delta(
        promtext.parse(after.get("gateway", ""), name), promtext.parse(before.get("gateway", ""), name)
    )
    return {key: int(value) for key, value in promtext.by_label(changed, "result").items() if value}


def _sample_interval_ms(samples: Samples, k: float) -> float | None:
    if len(samples.pool) < 2:
        return None
    span = samples.pool[-1].t_s - samples.pool[0].t_s
    return span / (len(samples.pool) - 1) * 1000 * k


def _json(interval: Interval | None) -> dict[str, float] | None:
    return None if interval is None else interval.to_json()


__all__ = ["ANSWERED", "TIMEOUT_CLASSES", "summarise"]
