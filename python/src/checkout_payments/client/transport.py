"""What every attempt sends besides its body: the idempotency key, the deadline header and its timeout."""

from __future__ import annotations

import httpx

from checkout_payments.resilience import AttemptContext

USER_AGENT = "checkout-payments-client/0.1"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def attempt_headers(attempt: AttemptContext, idempotency_key: str | None = None) -> dict[str, str]:
    """`X-Deadline-Ms` = the attempt's timeout minus `answer_margin_ms` (the kernel's, SEMANTICS.md §5), and the
    payment's key when it has one."""
    headers = attempt.headers
    if idempotency_key is not None:
        headers[IDEMPOTENCY_HEADER] = idempotency_key
    return headers


def attempt_timeout(attempt: AttemptContext) -> httpx.Timeout:
    """The attempt's timeout for every phase: pool wait, connect, write and each read."""
    return httpx.Timeout(attempt.timeout_ms / 1000)
