"""Deadlines (config/SEMANTICS.md §5): absolute inside a service, relative on the wire."""

from __future__ import annotations

import re

# The header's name and syntax are config/vocabulary.json's (re-exported as the kernel's DEADLINE_HEADER).
from checkout_payments.generated.vocabulary import DEADLINE_HEADER as DEADLINE_HEADER
from checkout_payments.generated.vocabulary import DEADLINE_HEADER_PATTERN
from checkout_payments.resilience.errors import DeadlineExceededError, ResilienceError
from checkout_payments.resilience.role import Role
from checkout_payments.resilience.taxonomy import ErrorClass

# A base-10 integer of at most 10 digits, ASCII only: no '+', whitespace, '_' or other scripts' digits
# (Python's int() would take all of those). fullmatch, because '$' also matches before a final newline.
_HEADER_SYNTAX = re.compile(DEADLINE_HEADER_PATTERN)


def attempt_cap_ms(role: Role, timeout_ms: int, deadline_ms: int) -> int:
    """The most one attempt may take: `timeout_ms` for an origin, `deadline_ms` for a relay, whose
    upstream runs its own retries inside the time it is given (SEMANTICS.md §5, §7)."""
    return timeout_ms if role is Role.ORIGIN else deadline_ms


def attempt_starts(timeout_ms: int, answer_margin_ms: int, min_deadline_ms: int) -> bool:
    """Whether an attempt of `timeout_ms` may start: its `X-Deadline-Ms`, `timeout_ms - answer_margin_ms`, is at
    least the next hop's `min_deadline_ms` (a lower value would be refused with 400 INVALID_REQUEST)."""
    return timeout_ms - answer_margin_ms >= min_deadline_ms


def attempt_timeout_ms(
    now: int, deadline_at: int, timeout_ms: int, answer_margin_ms: int = 0, min_deadline_ms: int = 1
) -> int:
    """The next attempt's timeout: `timeout_ms` (the cap, see `attempt_cap_ms`), cut to what is left
    before the deadline.

    Raises `DeadlineExceededError` when the attempt does not start (SEMANTICS.md §8 step 1): its
    `X-Deadline-Ms`, the timeout minus `answer_margin_ms`, would be below `min_deadline_ms`, the floor
    below which the next hop refuses the request. Pass `payment.answer_margin_ms` and
    `payment.min_deadline_ms`; the defaults (0 and 1) refuse only when no time is left.
    """
    remaining = deadline_at - now
    if remaining <= 0:
        raise DeadlineExceededError(f"no time left for an attempt: the deadline passed {-remaining} ms ago")
    timeout = min(timeout_ms, remaining)
    if not attempt_starts(timeout, answer_margin_ms, min_deadline_ms):
        raise DeadlineExceededError(
            f"an attempt would get {timeout} ms and send {DEADLINE_HEADER} {timeout - answer_margin_ms} "
            f"(answer_margin_ms {answer_margin_ms}), below min_deadline_ms {min_deadline_ms}: it does not start"
        )
    return timeout


def deadline_header_ms(timeout_ms: int, answer_margin_ms: int) -> int:
    """The `X-Deadline-Ms` an attempt of `timeout_ms` sends: the answer needs `answer_margin_ms` to travel back."""
    return timeout_ms - answer_margin_ms


def deadline_from_header(arrival: int, header: str | None, deadline_ms: int, min_deadline_ms: int = 1) -> int:
    """`deadline_at` of a request that arrived at `arrival` with `X-Deadline-Ms: header` (None: no header).

    The header is the caller's wait for this request, capped by this service's own `deadline_ms`.
    Raises `ResilienceError(INVALID_REQUEST)` for a malformed header or a value in
    `1 .. min_deadline_ms - 1` (pass `payment.min_deadline_ms`; the default 1 refuses none), and
    `DeadlineExceededError` for a value ≤ 0, before any work is done.
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
    if wait < min_deadline_ms:
        raise ResilienceError(ErrorClass.INVALID_REQUEST, _below_floor_message(wait, min_deadline_ms))
    return arrival + min(wait, deadline_ms)


def _below_floor_message(wait: int, min_deadline_ms: int) -> str:
    """The INVALID_REQUEST message of a header value below the floor (the same text in every language)."""
    return (
        f"{DEADLINE_HEADER} is {wait} ms, below min_deadline_ms {min_deadline_ms}; "
        f"expected at least {min_deadline_ms} ms (or a value <= 0 for a deadline already spent)"
    )


def sleep_allowed(
    now: int,
    delay: int,
    deadline_at: int,
    cap_ms: int | None = None,
    answer_margin_ms: int = 0,
    min_deadline_ms: int = 1,
) -> bool:
    """Whether a backoff sleep of `delay` may be taken (SEMANTICS.md §8 step 10): only if the attempt after it
    would start, `min(cap_ms, deadline_at - now - delay) - answer_margin_ms >= min_deadline_ms`.

    Pass the call site's cap (`attempt_cap_ms`), `payment.answer_margin_ms` and `payment.min_deadline_ms`;
    the defaults (no cap, 0 and 1) allow any sleep that ends strictly before the deadline.
    """
    left = deadline_at - now - delay
    return attempt_starts(left if cap_ms is None else min(cap_ms, left), answer_margin_ms, min_deadline_ms)
