"""What every attempt sends besides its body: the idempotency key, the deadline header and its timeout."""

from __future__ import annotations

import httpx

from checkout_payments.client.wire import Unanswered
from checkout_payments.generated import PaymentSettings
from checkout_payments.resilience import Attempt, AttemptVerdict, ErrorClass

USER_AGENT = "checkout-payments-client/0.1"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class BelowDeadlineFloorError(Exception):
    """An attempt was not sent: its `X-Deadline-Ms` would be below the gateway's `min_deadline_ms`."""

    def __init__(self, header_ms: int, min_deadline_ms: int) -> None:
        super().__init__(
            f"X-Deadline-Ms would be {header_ms} ms, below the gateway's min_deadline_ms {min_deadline_ms}: not sent"
        )
        self.header_ms = header_ms
        self.min_deadline_ms = min_deadline_ms


def attempt_headers(attempt: Attempt, idempotency_key: str | None = None) -> dict[str, str]:
    """`X-Deadline-Ms` = the attempt's timeout minus `answer_margin_ms` (the kernel's, SEMANTICS.md §5), and the
    payment's key when it has one."""
    headers = attempt.headers
    if idempotency_key is not None:
        headers[IDEMPOTENCY_HEADER] = idempotency_key
    return headers


def attempt_timeout(attempt: Attempt) -> httpx.Timeout:
    """The attempt's timeout for every phase: pool wait, connect, write and each read."""
    return httpx.Timeout(attempt.timeout_ms / 1000)


def unsendable(attempt: Attempt, settings: PaymentSettings) -> Unanswered | None:
    """The end of an attempt that must not be sent, or None to send it.

    The gateway refuses an `X-Deadline-Ms` in `1 .. min_deadline_ms - 1` as `INVALID_REQUEST`: sending
    one would turn "too little time left" into "fix your request". Such an attempt is not sent and
    ends `DEADLINE_EXCEEDED`, nothing charged — the same key may pay again with more time.
    """
    header = attempt.deadline_header_ms if attempt.deadline_header_ms is not None else attempt.timeout_ms
    if header >= settings.min_deadline_ms:
        return None
    error = BelowDeadlineFloorError(header, settings.min_deadline_ms)
    return Unanswered(AttemptVerdict(ErrorClass.DEADLINE_EXCEEDED), sent=False, error=error)
