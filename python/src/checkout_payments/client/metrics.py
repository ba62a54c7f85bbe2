"""Optional Prometheus metrics, named and labelled as config/vocabulary.json (config/METRICS.md) says.

prometheus-client (`pip install "checkout-payments[metrics]"`) is imported only when a registry is
given, so the client runs without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from checkout_payments.config import LoadedConfig
from checkout_payments.generated import vocabulary
from checkout_payments.resilience import BreakerState, CircuitBreaker, RetryBudget, Transition

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

SERVICE = "payment-client"
UPSTREAM = "gateway"
# config/vocabulary.json (METRICS.md): the same buckets everywhere, so dashboards compare like with like.
BUCKETS = vocabulary.HISTOGRAM_BUCKETS_SECONDS
# SEMANTICS §3's four transitions and METRICS.md's four payment statuses: labels known up front.
TRANSITIONS = (
    (BreakerState.CLOSED, BreakerState.OPEN),
    (BreakerState.OPEN, BreakerState.HALF_OPEN),
    (BreakerState.HALF_OPEN, BreakerState.CLOSED),
    (BreakerState.HALF_OPEN, BreakerState.OPEN),
)
PAYMENT_STATUSES = vocabulary.PAYMENT_OUTCOMES_TOTAL.values["status"]


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

        # Names, help texts and label names are config/vocabulary.json's (generated, the same in every service).
        self._attempts = Counter(*_family(vocabulary.UPSTREAM_ATTEMPTS_TOTAL), registry=registry)
        self._latency = Histogram(*_family(vocabulary.UPSTREAM_LATENCY_SECONDS), buckets=BUCKETS, registry=registry)
        self._retries = Counter(*_family(vocabulary.RETRIES_TOTAL), registry=registry)
        self._transitions = Counter(*_family(vocabulary.BREAKER_TRANSITIONS_TOTAL), registry=registry)
        self._outcomes = Counter(*_family(vocabulary.PAYMENT_OUTCOMES_TOTAL), registry=registry)
        self._inflight = Gauge(*_family(vocabulary.INFLIGHT_REQUESTS), registry=registry).labels(SERVICE)
        state = Gauge(*_family(vocabulary.BREAKER_STATE), registry=registry)
        for name in BreakerState:
            state.labels(SERVICE, UPSTREAM, name.value).set_function(_is_state(breaker, name))
        Gauge(*_family(vocabulary.RETRY_BUDGET_TOKENS), registry=registry).labels(SERVICE, UPSTREAM).set_function(
            lambda: budget().tokens_milli / 1000
        )
        Gauge(*_family(vocabulary.RETRY_BUDGET_MAX_TOKENS), registry=registry).labels(SERVICE, UPSTREAM).set_function(
            lambda: budget().settings.max_tokens
        )
        self._config_info = Gauge(*_family(vocabulary.CONFIG_INFO), registry=registry)
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


def _family(spec: vocabulary.MetricSpec) -> tuple[str, str, tuple[str, ...]]:
    """A metric family's name, help text and label names, as prometheus_client takes them."""
    return spec.name, spec.help, spec.labels


def _is_state(breaker: Callable[[], CircuitBreaker], state: BreakerState) -> Callable[[], float]:
    return lambda: 1.0 if breaker().state is state else 0.0
