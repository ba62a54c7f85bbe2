"""Deadlines (config/SEMANTICS.md §5): absolute inside a service, relative on the wire."""

from __future__ import annotations

import re

from checkout_payments.resilience.errors import DeadlineExceededError, ResilienceError
from checkout_payments.resilience.taxonomy import ErrorClass

DEADLINE_HEADER = "X-Deadline-Ms"
# A base-10 integer of at most 10 digits, ASCII only: no '+', whitespace, '_' or other scripts' digits
# (Python's int() would take all of those). fullmatch, because '$' also matches before a final newline.
_HEADER_SYNTAX = re.compile(r"-?[0-9]{1,10}")


def attempt_timeout_ms(now: int, deadline_at: int, timeout_ms: int) -> int:
    """The next attempt's timeout: `timeout_ms`, cut to what is left before the deadline.

    Raises `DeadlineExceededError` when nothing is left: the attempt does not start.
    """
    remaining = deadline_at - now
    if remaining <= 0:
        raise DeadlineExceededError(f"no time left for an attempt: the deadline passed {-remaining} ms ago")
    return min(timeout_ms, remaining)


def deadline_from_header(arrival: int, header: str | None, deadline_ms: int) -> int:
    """`deadline_at` of a request that arrived at `arrival` with `X-Deadline-Ms: header` (None: no header).

    The header is the caller's wait for this request, capped by this service's own `deadline_ms`.
    Raises `ResilienceError(INVALID_REQUEST)` for a malformed header and `DeadlineExceededError` for a
    value ≤ 0, before any work is done.
    """
    if header is None:
        return arrival + deadline_ms
    if _HEADER_SYNTAX.fullmatch(header) is None:
        shown = header if len(header) <= 40 else header[:40] + "…"
        raise ResilienceError(
            ErrorClass.INVALID_REQUEST,
            f"{DEADLINE_HEADER} must be a base-10 integer of at most 10 digits, but was {shown!r}",
        )
    wait = int(header)
    if wait <= 0:
        raise DeadlineExceededError(f"{DEADLINE_HEADER} is {header}: the caller has stopped waiting")
    return arrival + min(wait, deadline_ms)


def sleep_allowed(now: int, delay: int, deadline_at: int) -> bool:
    """Whether a backoff sleep of `delay` ends strictly before the deadline (a sleep that cannot is not taken)."""
    return now + delay < deadline_at
