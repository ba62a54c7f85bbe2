"""Optional Prometheus metrics, named and labelled as config/METRICS.md says.

prometheus-client (`pip install "checkout-payments[metrics]"`) is imported only when a registry is
given, so the client runs without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from checkout_payments.config import LoadedConfig
from checkout_payments.resilience import BreakerState, CircuitBreaker, RetryBudget, Transition

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

SERVICE = "payment-client"
UPSTREAM = "gateway"
# METRICS.md: the same buckets everywhere, so dashboards compare like with like.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60)
# SEMANTICS §3's four transitions and METRICS.md's four payment statuses: labels known up front.
TRANSITIONS = (
    (BreakerState.CLOSED, BreakerState.OPEN),
    (BreakerState.OPEN, BreakerState.HALF_OPEN),
    (BreakerState.HALF_OPEN, BreakerState.CLOSED),
    (BreakerState.HALF_OPEN, BreakerState.OPEN),
)
PAYMENT_STATUSES = ("authorised", "declined", "unknown", "failed")


class ClientMetrics:
    """Hooks the client calls; this base records nothing (no registry given)."""

    def attempt(self, result: str, duration_s: float) -> None:
        """One HTTP attempt ended with `result` (success, DECLINED or an error class) after `duration_s`."""

    def retry(self) -> None:
        """A backoff sleep begins."""

    def transition(self, event: Transition) -> None:
        """The breaker changed state."""

    def outcome(self, status: str) -> None:
        """A payment ended: authorised, declined, unknown or failed."""

    def inflight(self, delta: int) -> None:
        """A payment started (+1) or ended (-1)."""

    def config_changed(self, previous: LoadedConfig, current: LoadedConfig) -> None:
        """A reloaded config replaced `previous`."""


class PrometheusMetrics(ClientMetrics):
    """The client's part of METRICS.md, in `registry`; gauges read the breaker and budget when scraped.

    `breaker` and `budget` return the ones in force (a reloaded config may rebuild them).
    One client per registry: a second client registering the same names raises ValueError.
    """

    def __init__(
        self,
        registry: CollectorRegistry,
        breaker: Callable[[], CircuitBreaker],
        budget: Callable[[], RetryBudget],
        config: LoadedConfig,
    ) -> None:
        from prometheus_client import Counter, Gauge, Histogram

        upstream = ("service", "upstream")
        self._attempts = Counter(
            "checkout_upstream_attempts_total",
            "attempts made to the upstream",
            [*upstream, "result"],
            registry=registry,
        )
        self._latency = Histogram(
            "checkout_upstream_latency_seconds",
            "duration of each upstream attempt",
            upstream,
            buckets=BUCKETS,
            registry=registry,
        )
        self._retries = Counter(
            "checkout_retries_total", "retries scheduled (backoff sleeps begun)", upstream, registry=registry
        )
        self._transitions = Counter(
            "checkout_breaker_transitions_total",
            "breaker transitions",
            [*upstream, "from", "to"],
            registry=registry,
        )
        self._outcomes = Counter(
            "checkout_payment_outcomes_total",
            "payment outcomes as first reported",
            ["service", "status"],
            registry=registry,
        )
        self._inflight = Gauge(
            "checkout_inflight_requests", "requests being handled now", ["service"], registry=registry
        ).labels(SERVICE)
        state = Gauge(
            "checkout_breaker_state",
            "1 for the current state, 0 for the others",
            [*upstream, "state"],
            registry=registry,
        )
        for name in BreakerState:
            state.labels(SERVICE, UPSTREAM, name.value).set_function(_is_state(breaker, name))
        Gauge("checkout_retry_budget_tokens", "tokens left (milli-tokens / 1000)", upstream, registry=registry).labels(
            SERVICE, UPSTREAM
        ).set_function(lambda: budget().tokens_milli / 1000)
        Gauge("checkout_retry_budget_max_tokens", "bucket size", upstream, registry=registry).labels(
            SERVICE, UPSTREAM
        ).set_function(lambda: budget().settings.max_tokens)
        self._config_info = Gauge(
            "checkout_config_info",
            "always 1: the active config",
            ["service", "version", "fingerprint"],
            registry=registry,
        )
        self._config_info.labels(SERVICE, config.settings.version, config.fingerprint).set(1)
        # Every series whose labels are known up front exists at 0 from the start, as in the gateway:
        # Prometheus' increase() needs a sample before the first event, or the first breaker trip,
        # retry or unknown payment is invisible to the alerts.
        self._latency.labels(SERVICE, UPSTREAM)
        self._retries.labels(SERVICE, UPSTREAM)
        for from_state, to_state in TRANSITIONS:
            self._transitions.labels(SERVICE, UPSTREAM, from_state.value, to_state.value)
        for status in PAYMENT_STATUSES:
            self._outcomes.labels(SERVICE, status)

    def attempt(self, result: str, duration_s: float) -> None:
        self._attempts.labels(SERVICE, UPSTREAM, result).inc()
        self._latency.labels(SERVICE, UPSTREAM).observe(duration_s)

    def retry(self) -> None:
        self._retries.labels(SERVICE, UPSTREAM).inc()

    def transition(self, event: Transition) -> None:
        self._transitions.labels(SERVICE, UPSTREAM, event.from_state.value, event.to_state.value).inc()

    def outcome(self, status: str) -> None:
        self._outcomes.labels(SERVICE, status).inc()

    def inflight(self, delta: int) -> None:
        self._inflight.inc(delta)

    def config_changed(self, previous: LoadedConfig, current: LoadedConfig) -> None:
        # One series, the config in force: the old one goes, or a dashboard would show two configs.
        self._config_info.remove(SERVICE, previous.settings.version, previous.fingerprint)
        self._config_info.labels(SERVICE, current.settings.version, current.fingerprint).set(1)


def _is_state(breaker: Callable[[], CircuitBreaker], state: BreakerState) -> Callable[[], float]:
    return lambda: 1.0 if breaker().state is state else 0.0
