"""Backoff before a retry (config/SEMANTICS.md §2), bit for bit the same in every language."""

from __future__ import annotations

import math

from checkout_payments.generated.timeout_config import RetrySettings


def backoff_delay_ms(retry: int, settings: RetrySettings, u: float) -> int:
    """The delay before retry `retry` (1 = the sleep after the first attempt failed), for the draw `u` in [0, 1).

    The base is multiplied step by step and floored at every step (never `pow`: the vectors pin the
    floors), capped at `max_delay_ms`; jitter is added after the cap, so a capped delay still varies.
    """
    if retry < 1:
        raise ValueError(f"retry must be at least 1, but was {retry}")
    cap = settings.max_delay_ms
    base = min(cap, settings.base_delay_ms)
    for _ in range(retry - 1):
        grown = min(cap, math.floor(base * settings.backoff_multiplier))
        # A base that no longer moves (capped, or a multiplier too close to 1 to change it) never will.
        if grown == base:
            break
        base = grown
    return base + math.floor(u * settings.jitter_ms)
