"""Retry at one layer (config/SEMANTICS.md §7); the roles and their retried classes are config/taxonomy.json's."""

from __future__ import annotations

from checkout_payments.generated.taxonomy import RETRIED, ErrorClass, Role

__all__ = ["RETRIED", "Role", "is_retried"]


def is_retried(error_class: ErrorClass, role: Role, downstream_retryable: bool | None) -> bool:
    """Whether a call site of `role` retries an attempt that ended with `error_class`.

    `downstream_retryable` is the `retryable` of the error answer's body (None without a body): an
    upstream that ran its own retry loop says false, and that is never overridden here.
    """
    return downstream_retryable is not False and error_class in RETRIED[role]
