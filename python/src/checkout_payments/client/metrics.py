"""Optional Prometheus metrics, named and labelled as config/vocabulary.json (config/METRICS.md) says.

prometheus-client (`pip install "checkout-payments[metrics]"`) is imported only when a registry is
given, so the client runs without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from checkout_payments.config import LoadedConfig
from checkout_payments.generated import vocabulary
from checkout_payments.resilience import (
    OPERATIONS,
    BreakerState,
    Bulkhead,
    CircuitBreaker,
    Operation,
    RetryBudget,
    Transition,
)

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

    def attempt(self, operation: Operation, result: str, duration_s: float) -> None:
        """One HTTP attempt ended with `result` (success, DECLINED or an error class) after `duration_s`."""

    def retry(self, operation: Operation) -> None:
        """A backoff sleep begins."""

    def transition(self, operation: Operation, event: Transition) -> None:
        """The operation's breaker changed state."""

    def outcome(self, status: str) -> None:
        """A payment ended: authorised, declined, unknown or failed."""

    def inflight(self, delta: int) -> None:
        """A payment started (+1) or ended (-1)."""

    def config_changed(self, previous: LoadedConfig, current: LoadedConfig) -> None:
        """A reloaded config replaced `previous`."""


class OperationState(Protocol):
    """What the gauges read of one operation's call in force (the kernel's `ResilientCall` is one)."""

    @property
    def breaker(self) -> CircuitBreaker: ...

    @property
    def budget(self) -> RetryBudget: ...

    @property
    def bulkhead(self) -> Bulkhead: ...


class PrometheusMetrics(ClientMetrics):
    """The client's part of METRICS.md, in `registry`, per operation (`charge`: `pay`, `lookup`: `get_payment`);
    gauges read the breaker, budget and bulkhead of `operation(name)`, the call in force, when scraped (a
    reloaded config may replace the breaker and the budget).

    One client per registry: a second client registering the same names raises ValueError.
    """

    def __init__(
        self, registry: CollectorRegistry, operation: Callable[[Operation], OperationState], config: LoadedConfig
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
        readings: list[tuple[vocabulary.MetricSpec, Callable[[OperationState], float]]] = [
            (vocabulary.RETRY_BUDGET_TOKENS, lambda current: current.budget.tokens_milli / 1000),
            (vocabulary.RETRY_BUDGET_MAX_TOKENS, lambda current: current.budget.settings.max_tokens),
            (vocabulary.BULKHEAD_IN_FLIGHT, lambda current: current.bulkhead.in_flight),
            (vocabulary.BULKHEAD_MAX_CONCURRENT, lambda current: current.bulkhead.max_concurrent),
        ]
        gauges = [(Gauge(*_family(spec), registry=registry), read) for spec, read in readings]
        self._config_info = Gauge(*_family(vocabulary.CONFIG_INFO), registry=registry)
        self._config_info.labels(SERVICE, config.settings.version, config.fingerprint).set(1)
        for name in OPERATIONS:
            labels = (SERVICE, UPSTREAM, name)
            for breaker_state in BreakerState:
                state.labels(*labels, breaker_state.value).set_function(_reading(operation, name, _is(breaker_state)))
            for gauge, read in gauges:
                gauge.labels(*labels).set_function(_reading(operation, name, read))
            # Every series whose labels are known up front exists at 0 from the start, as in the gateway:
            # Prometheus' increase() needs a sample before the first event, or the first breaker trip,
            # retry or unknown payment is invisible to the alerts.
            self._latency.labels(*labels)
            self._retries.labels(*labels)
            for from_state, to_state in TRANSITIONS:
                self._transitions.labels(*labels, from_state.value, to_state.value)
        for status in PAYMENT_STATUSES:
            self._outcomes.labels(SERVICE, status)

    def attempt(self, operation: Operation, result: str, duration_s: float) -> None:
        self._attempts.labels(SERVICE, UPSTREAM, operation, result).inc()
        self._latency.labels(SERVICE, UPSTREAM, operation).observe(duration_s)

    def retry(self, operation: Operation) -> None:
        self._retries.labels(SERVICE, UPSTREAM, operation).inc()

    def transition(self, operation: Operation, event: Transition) -> None:
        labels = (SERVICE, UPSTREAM, operation, event.from_state.value, event.to_state.value)
        self._transitions.labels(*labels).inc()

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


def _is(state: BreakerState) -> Callable[[OperationState], float]:
    return lambda current: 1.0 if current.breaker.state is state else 0.0


def _reading(
    operation: Callable[[Operation], OperationState], name: Operation, read: Callable[[OperationState], float]
) -> Callable[[], float]:
    """What a gauge of operation `name` shows when scraped: `read` of its call in force then."""
    return lambda: read(operation(name))
