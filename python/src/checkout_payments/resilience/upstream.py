"""An upstream (config/SEMANTICS.md §11): one `ResilientCall` per operation, each with its own policy,
breaker, retry budget and bulkhead, built from the config's `payment` section and reconfigured in place."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from checkout_payments.generated.timeout_config import (
    BulkheadSettings,
    CircuitBreakerSettings,
    PaymentSettings,
    RetryBudgetSettings,
    RetrySettings,
)
from checkout_payments.resilience.attempt import Classifier
from checkout_payments.resilience.breaker import CircuitBreaker, Transition
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.bulkhead import Bulkhead
from checkout_payments.resilience.call import AsyncResilientCall, ResilientCall
from checkout_payments.resilience.loop import CallLoop
from checkout_payments.resilience.role import Role

Operation = Literal["charge", "lookup"]
# In the order services report them (metrics, stats).
OPERATIONS: tuple[Operation, ...] = ("charge", "lookup")

T = TypeVar("T")
C = TypeVar("C", bound=CallLoop[Any, Any])
S = TypeVar("S")  # the flavour's sleep: blocking, or a coroutine function
# What every operation's call is built from, in `ResilientCall`'s argument order (its classifier follows).
Parts = tuple["OperationPolicy", Role, CircuitBreaker, RetryBudget, Bulkhead]


@dataclass(frozen=True, slots=True)
class OperationPolicy:
    """One operation's policy: what its calls read (a `CallSettings`) and its breaker, budget and bulkhead settings."""

    timeout_ms: int
    deadline_ms: int
    provider_expected_p99_ms: int
    min_deadline_ms: int
    answer_margin_ms: int
    retry: RetrySettings
    circuit_breaker: CircuitBreakerSettings
    retry_budget: RetryBudgetSettings
    bulkhead: BulkheadSettings

    @classmethod
    def of(cls, payment: PaymentSettings, operation: Operation) -> OperationPolicy:
        """The charge's policy is `payment`'s own fields, the lookup's `payment.lookup`; the hop's
        `min_deadline_ms` and `answer_margin_ms` are shared (the same next hop receives both)."""
        own = payment if operation == "charge" else payment.lookup
        return cls(
            own.timeout_ms,
            own.deadline_ms,
            own.provider_expected_p99_ms,
            payment.min_deadline_ms,
            payment.answer_margin_ms,
            own.retry,
            own.circuit_breaker,
            own.retry_budget,
            own.bulkhead,
        )


class UpstreamBase(ABC, Generic[T, C, S]):
    """What `Upstream` and `AsyncUpstream` share: the operations' calls, built once and reconfigured.

    `on_transition(operation, transition)` receives every transition of either breaker (also of a
    breaker a reconfigure put in place). Thread-safe: `reconfigure` publishes each new call by one
    assignment, so a call reads either the old one or the new one, and one in progress keeps its own.
    """

    def __init__(
        self,
        payment: PaymentSettings,
        role: Role,
        classifiers: Mapping[Operation, Classifier[T]],
        *,
        clock: Callable[[], int],
        random: Callable[[], float],
        sleep: S,
        on_transition: Callable[[Operation, Transition], None] | None = None,
    ) -> None:
        self.role = role
        self._classifiers = dict(classifiers)
        self._clock = clock
        self._random = random
        self._sleep = sleep
        self._on_transition = on_transition
        self._lock = threading.Lock()
        self._payment = payment
        self._calls: dict[Operation, C] = {}
        for operation in OPERATIONS:
            policy = OperationPolicy.of(payment, operation)
            breaker = self._new_breaker(operation, policy.circuit_breaker)
            budget = RetryBudget(policy.retry_budget)
            self._calls[operation] = self._build(operation, (policy, role, breaker, budget, Bulkhead(policy.bulkhead)))

    @property
    def payment(self) -> PaymentSettings:
        """The `payment` section in force."""
        return self._payment

    @property
    def charge(self) -> C:
        """The charge's call in force (`POST /payments`)."""
        return self._calls["charge"]

    @property
    def lookup(self) -> C:
        """The lookup's call in force (`GET /payments/{key}`)."""
        return self._calls["lookup"]

    def operation(self, name: Operation) -> C:
        """The call in force of operation `name`."""
        return self._calls[name]

    def reconfigure(self, payment: PaymentSettings) -> None:
        """Take up a reloaded `payment` section (§11): per operation, a breaker and a budget whose settings are
        unchanged are kept (an open breaker stays open), others start anew; the bulkhead is resized in place;
        the next call of each operation runs on a new call with the new policy."""
        with self._lock:
            calls = dict(self._calls)
            for operation in OPERATIONS:
                old, policy = calls[operation], OperationPolicy.of(payment, operation)
                breaker = old.breaker
                if breaker.settings != policy.circuit_breaker:
                    breaker = self._new_breaker(operation, policy.circuit_breaker)
                budget = old.budget
                if budget.settings != policy.retry_budget:
                    budget = RetryBudget(policy.retry_budget)
                old.bulkhead.resize(policy.bulkhead)
                calls[operation] = self._build(operation, (policy, self.role, breaker, budget, old.bulkhead))
            # One assignment publishes both operations' calls together.
            self._calls, self._payment = calls, payment

    def _new_breaker(self, operation: Operation, settings: CircuitBreakerSettings) -> CircuitBreaker:
        listener = self._on_transition
        if listener is None:
            return CircuitBreaker(settings)
        return CircuitBreaker(settings, on_transition=lambda transition: listener(operation, transition))

    @abstractmethod
    def _build(self, operation: Operation, parts: Parts) -> C:
        """One operation's call over these parts, with the flavour's sleep."""


class Upstream(UpstreamBase[T, ResilientCall[T], Callable[[int], None]]):
    """An upstream called from threads: `sleep` blocks for integer ms."""

    def _build(self, operation: Operation, parts: Parts) -> ResilientCall[T]:
        classifier = self._classifiers[operation]
        return ResilientCall(*parts, classifier, clock=self._clock, random=self._random, sleep=self._sleep)


class AsyncUpstream(UpstreamBase[T, AsyncResilientCall[T], Callable[[int], Awaitable[None]]]):
    """An upstream called from coroutines: `sleep` awaits integer ms; the rest is `Upstream`'s."""

    def _build(self, operation: Operation, parts: Parts) -> AsyncResilientCall[T]:
        classifier = self._classifiers[operation]
        return AsyncResilientCall(*parts, classifier, clock=self._clock, random=self._random, sleep=self._sleep)
