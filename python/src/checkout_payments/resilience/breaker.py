"""The circuit breaker of config/SEMANTICS.md §3: time is a parameter, every transition goes through one door."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from checkout_payments.generated.timeout_config import CircuitBreakerSettings
from checkout_payments.resilience.errors import CircuitOpenError, HalfOpenLimitError
from checkout_payments.resilience.taxonomy import Outcome


class BreakerState(StrEnum):
    """The wire and label names of the three states."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class Transition:
    """The event of one state change; `generation` is the value after the change."""

    from_state: BreakerState
    to_state: BreakerState
    generation: int
    at_ms: int


# Per-state data and nothing else, so no state can carry another's leftovers.
@dataclass(frozen=True)
class _Closed:
    consecutive_failures: int = 0


@dataclass(frozen=True)
class _Open:
    opened_at: int


@dataclass(frozen=True)
class _HalfOpen:
    admitted: int = 0
    successes: int = 0


_StateData = _Closed | _Open | _HalfOpen
_NAMES: dict[type[_StateData], BreakerState] = {
    _Closed: BreakerState.CLOSED,
    _Open: BreakerState.OPEN,
    _HalfOpen: BreakerState.HALF_OPEN,
}


_SUCCESS, _FAILURE = Outcome.SUCCESS, Outcome.FAILURE


class Permit:
    """Leave to make one attempt, granted in one generation; its result is recorded once."""

    __slots__ = ("_breaker", "_recorded", "generation")

    def __init__(self, breaker: CircuitBreaker, generation: int) -> None:
        self._breaker = breaker
        self.generation = generation
        self._recorded = False

    def record(self, outcome: Outcome, now: int) -> bool:
        """Record the attempt's outcome at `now`; False when repeated, stale (another generation) or disabled."""
        return self._breaker._record(self, outcome, now)


class CircuitBreaker:
    """One breaker per upstream, shared by every call to it; safe to use from many threads.

    `on_transition` receives every transition, after the breaker's lock is released (so it may read
    the breaker), in the order the transitions happened within one `allow` or `record`.
    """

    def __init__(
        self, settings: CircuitBreakerSettings, on_transition: Callable[[Transition], None] | None = None
    ) -> None:
        self._settings = settings
        self._enabled = settings.enabled
        self._on_transition = on_transition
        self._lock = threading.Lock()
        self._data: _StateData = _Closed()
        self._generation = 0

    @property
    def state(self) -> BreakerState:
        return _NAMES[type(self._data)]

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def settings(self) -> CircuitBreakerSettings:
        return self._settings

    def allow(self, now: int) -> Permit:
        """A permit for one attempt at `now`; raises `CircuitOpenError` or `HalfOpenLimitError` when rejected."""
        if not self._enabled:
            return Permit(self, self._generation)
        events: list[Transition] = []
        with self._lock:
            admitted = self._admit(now, events)
        if events:
            self._emit(events)
        if isinstance(admitted, Permit):
            return admitted
        raise admitted

    def _admit(self, now: int, events: list[Transition]) -> Permit | CircuitOpenError | HalfOpenLimitError:
        data = self._data
        if isinstance(data, _Open):
            waited = now - data.opened_at
            if waited < self._settings.recovery_timeout_ms:
                return CircuitOpenError(self._settings.recovery_timeout_ms - waited)
            data = self._transition(_HalfOpen(), now, events)
        if isinstance(data, _HalfOpen):
            if data.admitted >= self._settings.half_open_max_calls:
                return HalfOpenLimitError()
            self._data = _HalfOpen(data.admitted + 1, data.successes)
        return Permit(self, self._generation)

    def _record(self, permit: Permit, outcome: Outcome, now: int) -> bool:
        if not self._enabled:
            return False
        events: list[Transition] = []
        with self._lock:
            if permit._recorded or permit.generation != self._generation:
                return False
            permit._recorded = True
            self._apply(outcome, now, events)
        if events:
            self._emit(events)
        return True

    def _apply(self, outcome: Outcome, now: int, events: list[Transition]) -> None:
        data = self._data
        if isinstance(data, _Closed):
            if outcome is _SUCCESS:
                if data.consecutive_failures:
                    self._data = _Closed()
            elif outcome is _FAILURE:
                failures = data.consecutive_failures + 1
                if failures >= self._settings.failure_threshold:
                    self._transition(_Open(now), now, events)
                else:
                    self._data = _Closed(failures)
        elif isinstance(data, _HalfOpen):
            if outcome is _SUCCESS:
                if data.successes + 1 >= self._settings.half_open_max_calls:
                    self._transition(_Closed(), now, events)
                else:
                    self._data = _HalfOpen(data.admitted, data.successes + 1)
            elif outcome is _FAILURE:
                self._transition(_Open(now), now, events)
            else:
                # The trial proved nothing: its slot goes back, or a breaker whose trials are all
                # declined would never close.
                self._data = _HalfOpen(data.admitted - 1, data.successes)
        # OPEN: no permit of the current generation exists, so nothing reaches here.

    def _transition(self, to: _StateData, now: int, events: list[Transition]) -> _StateData:
        """The one door: fresh state data, the next generation, one event. Called with the lock held."""
        before = self.state
        self._data = to
        self._generation += 1
        events.append(Transition(before, _NAMES[type(to)], self._generation, now))
        return to

    def _emit(self, events: list[Transition]) -> None:
        if self._on_transition is not None:
            for event in events:
                self._on_transition(event)
