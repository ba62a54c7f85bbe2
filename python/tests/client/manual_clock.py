"""A clock for the client's `clock=` that moves only when a test says so (monotonic integer ms)."""

from __future__ import annotations


class ManualClock:
    """Starts at 1 000 000 ms; a test moves `now` (e.g. past a breaker's recovery time)."""

    def __init__(self) -> None:
        self.now = 1_000_000

    def __call__(self) -> int:
        return self.now
