"""The error taxonomy of config/SEMANTICS.md §6 as data: one name per way a call can end."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Outcome(StrEnum):
    """What an attempt tells the circuit breaker and the retry budget."""

    SUCCESS = "success"
    FAILURE = "failure"
    IGNORED = "ignored"


class ErrorClass(StrEnum):
    """The one set of names used in errors, logs, HTTP bodies (`error.class`) and metric labels."""

    TIMEOUT = "TIMEOUT"
    CONNECTION = "CONNECTION"
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    OVERLOADED = "OVERLOADED"
    CIRCUIT_OPEN = "CIRCUIT_OPEN"
    HALF_OPEN_LIMIT = "HALF_OPEN_LIMIT"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    RETRY_BUDGET_EXHAUSTED = "RETRY_BUDGET_EXHAUSTED"
    DECLINED = "DECLINED"
    INVALID_REQUEST = "INVALID_REQUEST"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    NOT_FOUND = "NOT_FOUND"
    POOL_ACQUIRE_TIMEOUT = "POOL_ACQUIRE_TIMEOUT"
    DB_CONNECTION = "DB_CONNECTION"
    DB_STATEMENT_TIMEOUT = "DB_STATEMENT_TIMEOUT"
    DB_SERIALIZATION = "DB_SERIALIZATION"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    INVALID_CONFIG = "INVALID_CONFIG"
    INTERNAL = "INTERNAL"

    @property
    def breaker(self) -> Outcome | None:
        """The outcome recorded for an attempt that ended this way; None where the table says —."""
        return TAXONOMY[self].breaker

    @property
    def retryable(self) -> bool:
        """Whether the class is worth another attempt at a layer that may retry it (§7 decides who may)."""
        return TAXONOMY[self].retryable

    @property
    def http_status(self) -> int | None:
        """The status a raised error of the class answers with (the table's first); None for INVALID_CONFIG."""
        return TAXONOMY[self].http_status


@dataclass(frozen=True)
class ClassTraits:
    """One row of the §6 table."""

    breaker: Outcome | None
    retryable: bool
    http_status: int | None


_FAILURE, _IGNORED = Outcome.FAILURE, Outcome.IGNORED

TAXONOMY: MappingProxyType[ErrorClass, ClassTraits] = MappingProxyType(
    {
        ErrorClass.TIMEOUT: ClassTraits(_FAILURE, True, 504),
        ErrorClass.CONNECTION: ClassTraits(_FAILURE, True, 502),
        ErrorClass.UPSTREAM_UNAVAILABLE: ClassTraits(_FAILURE, True, 502),
        ErrorClass.OVERLOADED: ClassTraits(_FAILURE, False, 503),
        ErrorClass.CIRCUIT_OPEN: ClassTraits(_IGNORED, False, 503),
        ErrorClass.HALF_OPEN_LIMIT: ClassTraits(_IGNORED, False, 503),
        ErrorClass.DEADLINE_EXCEEDED: ClassTraits(_IGNORED, False, 504),
        ErrorClass.RETRY_BUDGET_EXHAUSTED: ClassTraits(_IGNORED, False, 503),
        # 200 with `status: declined` when answered as a result; 402 when raised.
        ErrorClass.DECLINED: ClassTraits(_IGNORED, False, 402),
        # 413 when the request is too large.
        ErrorClass.INVALID_REQUEST: ClassTraits(_IGNORED, False, 400),
        # 409 for a key in flight, 422 for a key reused with another payload.
        ErrorClass.IDEMPOTENCY_CONFLICT: ClassTraits(_IGNORED, False, 409),
        ErrorClass.NOT_FOUND: ClassTraits(_IGNORED, False, 404),
        ErrorClass.POOL_ACQUIRE_TIMEOUT: ClassTraits(None, True, 503),
        ErrorClass.DB_CONNECTION: ClassTraits(None, True, 503),
        ErrorClass.DB_STATEMENT_TIMEOUT: ClassTraits(None, True, 503),
        ErrorClass.DB_SERIALIZATION: ClassTraits(None, True, 503),
        ErrorClass.ALREADY_EXISTS: ClassTraits(None, False, 409),
        ErrorClass.INVALID_CONFIG: ClassTraits(None, False, None),
        ErrorClass.INTERNAL: ClassTraits(None, False, 500),
    }
)
