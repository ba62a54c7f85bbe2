"""The bulkhead of config/SEMANTICS.md §11: a counter of attempts in flight, per operation per process.

It never waits: a full bulkhead refuses at once (the call ends `BULKHEAD_FULL`, nothing sent), because
under a provider slowdown a queue would only move the pile-up of 20 s attempts somewhere else.
"""

from __future__ import annotations

import threading

from checkout_payments.generated.timeout_config import BulkheadSettings


class BulkheadSlot:
    """One attempt's place in the bulkhead; its `release()` applies once."""

    __slots__ = ("_bulkhead", "_released")

    def __init__(self, bulkhead: Bulkhead) -> None:
        self._bulkhead = bulkhead
        self._released = False

    def release(self) -> bool:
        """Give the slot back; False when it was given back already (a second release frees nothing:
        it would hand out a slot another attempt holds)."""
        return self._bulkhead._release(self)


class Bulkhead:
    """At most `max_concurrent` attempts in flight; thread-safe, shared by every call of one operation.

    `resize` changes the limit in place: attempts in flight keep their slots, and a new one is admitted
    while `in_flight < max_concurrent` (so shrinking below the attempts in flight admits nothing until
    enough of them have ended).
    """

    __slots__ = ("_in_flight", "_lock", "_max", "_settings")

    def __init__(self, settings: BulkheadSettings) -> None:
        self._settings = settings
        self._max = settings.max_concurrent
        self._in_flight = 0
        self._lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def max_concurrent(self) -> int:
        return self._max

    @property
    def settings(self) -> BulkheadSettings:
        return self._settings

    def try_acquire(self) -> BulkheadSlot | None:
        """A slot when `in_flight < max_concurrent` (then one more is in flight), otherwise None."""
        with self._lock:
            if self._in_flight >= self._max:
                return None
            self._in_flight += 1
        return BulkheadSlot(self)

    def resize(self, settings: BulkheadSettings) -> None:
        """Take up a reloaded `max_concurrent`, keeping the attempts in flight."""
        with self._lock:
            self._settings = settings
            self._max = settings.max_concurrent

    def _release(self, slot: BulkheadSlot) -> bool:
        with self._lock:
            if slot._released:
                return False
            slot._released = True
            self._in_flight -= 1
        return True
