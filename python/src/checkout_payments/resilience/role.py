"""Retry at one layer (config/SEMANTICS.md §7): which classes a call site of each role retries."""

from __future__ import annotations

from enum import StrEnum

from checkout_payments.resilience.taxonomy import ErrorClass


class Role(StrEnum):
    """Where a call site sits: an origin's upstream does the work, a relay's upstream retries on its own."""

    ORIGIN = "origin"
    RELAY = "relay"


# Exhaustive: a class not listed is never retried by a payment call site, retryable or not.
RETRIED: dict[Role, frozenset[ErrorClass]] = {
    Role.ORIGIN: frozenset({ErrorClass.TIMEOUT, ErrorClass.CONNECTION, ErrorClass.UPSTREAM_UNAVAILABLE}),
    # A relay's TIMEOUT is not retried: the upstream spent the attempt already and the outcome is unknown;
    # reconciliation settles it, never a second charge.
    Role.RELAY: frozenset({ErrorClass.CONNECTION}),
}


def is_retried(error_class: ErrorClass, role: Role, downstream_retryable: bool | None) -> bool:
    """Whether a call site of `role` retries an attempt that ended with `error_class`.

    `downstream_retryable` is the `retryable` of the error answer's body (None without a body): an
    upstream that ran its own retry loop says false, and that is never overridden here.
    """
    return downstream_retryable is not False and error_class in RETRIED[role]
