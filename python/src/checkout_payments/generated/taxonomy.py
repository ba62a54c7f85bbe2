# generated from config/taxonomy.json — do not edit
# regenerate: nox -s codegen
# taxonomy-sha256: a8b4ba3f6042ae5b7c0424d4442965614d6c13d6ff78b8139d2c9827e5434515
"""The error taxonomy (config/SEMANTICS.md §6) and the call-site roles (§7): the enums and their tables."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Outcome(StrEnum):
    """What an attempt tells the circuit breaker and the retry budget."""

    SUCCESS = "success"
    """the upstream answered as it should; resets the failure streak, adds to the retry budget"""

    FAILURE = "failure"
    """the upstream failed; counts towards opening the breaker, takes a retry-budget token"""

    IGNORED = "ignored"
    """the attempt proved nothing about the upstream's health; changes no count"""


class ErrorClass(StrEnum):
    """The one set of names used in errors, logs, HTTP bodies (`error.class`) and metric labels."""

    TIMEOUT = "TIMEOUT"
    """no answer within the attempt timeout: the outcome is unknown (§5: ignored when the attempt was shorter than
    min(timeout_ms, provider_expected_p99_ms))
    """

    CONNECTION = "CONNECTION"
    """connect refused/failed, or the connection broke before an answer"""

    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    """the upstream answered 5xx (other than overload)"""

    OVERLOADED = "OVERLOADED"
    """the upstream answered 429, or 503 saying it sheds load"""

    CIRCUIT_OPEN = "CIRCUIT_OPEN"
    """the breaker rejected the call; upstream not called"""

    HALF_OPEN_LIMIT = "HALF_OPEN_LIMIT"
    """half-open trial slots are taken; upstream not called"""

    BULKHEAD_FULL = "BULKHEAD_FULL"
    """the operation's concurrency limit (bulkhead.max_concurrent) is reached in this process; upstream not called
    (§11)
    """

    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    """the deadline left no time for (another) attempt, or a cut attempt ran out (§5: its outcome is the evidence
    rule's)
    """

    RETRY_BUDGET_EXHAUSTED = "RETRY_BUDGET_EXHAUSTED"
    """the retry budget refused a retry"""

    DECLINED = "DECLINED"
    """the provider declined the payment (an answer, not a fault: POST /payments answers 200 with status: declined)"""

    INVALID_REQUEST = "INVALID_REQUEST"
    """the request is malformed or invalid (a too-large body answers 413)"""

    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    """same key in flight (409) or reused with a different payload (answers 422)"""

    NOT_FOUND = "NOT_FOUND"
    """no such order or payment"""

    POOL_ACQUIRE_TIMEOUT = "POOL_ACQUIRE_TIMEOUT"
    """no database connection within acquire_timeout_ms"""

    DB_CONNECTION = "DB_CONNECTION"
    """the database refused, reset or terminated the connection"""

    DB_STATEMENT_TIMEOUT = "DB_STATEMENT_TIMEOUT"
    """a statement was cancelled by its timeout"""

    DB_SERIALIZATION = "DB_SERIALIZATION"
    """serialization failure or deadlock (SQLSTATE 40001/40P01)"""

    ALREADY_EXISTS = "ALREADY_EXISTS"
    """a unique constraint (SQLSTATE 23505) — e.g. a duplicate idempotency key"""

    INVALID_CONFIG = "INVALID_CONFIG"
    """a config file failed the schema or the lint"""

    INTERNAL = "INTERNAL"
    """a bug; never expected"""

    @property
    def breaker(self) -> Outcome | None:
        """The outcome recorded for an attempt that ended this way; None where no breaker sees the class."""
        return TAXONOMY[self].breaker

    @property
    def retryable(self) -> bool:
        """Whether the class is worth another attempt at a layer that may retry it (§7 decides who may)."""
        return TAXONOMY[self].retryable

    @property
    def http_status(self) -> int | None:
        """The status a raised error of the class answers with in its common case; None if never HTTP."""
        return TAXONOMY[self].http_status


@dataclass(frozen=True)
class ClassTraits:
    """One row of the §6 table."""

    breaker: Outcome | None
    retryable: bool
    http_status: int | None


TAXONOMY: MappingProxyType[ErrorClass, ClassTraits] = MappingProxyType(
    {
        ErrorClass.TIMEOUT: ClassTraits(Outcome.FAILURE, True, 504),
        ErrorClass.CONNECTION: ClassTraits(Outcome.FAILURE, True, 502),
        ErrorClass.UPSTREAM_UNAVAILABLE: ClassTraits(Outcome.FAILURE, True, 502),
        ErrorClass.OVERLOADED: ClassTraits(Outcome.FAILURE, False, 503),
        ErrorClass.CIRCUIT_OPEN: ClassTraits(Outcome.IGNORED, False, 503),
        ErrorClass.HALF_OPEN_LIMIT: ClassTraits(Outcome.IGNORED, False, 503),
        ErrorClass.BULKHEAD_FULL: ClassTraits(Outcome.IGNORED, False, 503),
        ErrorClass.DEADLINE_EXCEEDED: ClassTraits(Outcome.IGNORED, False, 504),
        ErrorClass.RETRY_BUDGET_EXHAUSTED: ClassTraits(Outcome.IGNORED, False, 503),
        ErrorClass.DECLINED: ClassTraits(Outcome.IGNORED, False, 402),
        ErrorClass.INVALID_REQUEST: ClassTraits(Outcome.IGNORED, False, 400),
        ErrorClass.IDEMPOTENCY_CONFLICT: ClassTraits(Outcome.IGNORED, False, 409),
        ErrorClass.NOT_FOUND: ClassTraits(Outcome.IGNORED, False, 404),
        ErrorClass.POOL_ACQUIRE_TIMEOUT: ClassTraits(None, True, 503),
        ErrorClass.DB_CONNECTION: ClassTraits(None, True, 503),
        ErrorClass.DB_STATEMENT_TIMEOUT: ClassTraits(None, True, 503),
        ErrorClass.DB_SERIALIZATION: ClassTraits(None, True, 503),
        ErrorClass.ALREADY_EXISTS: ClassTraits(None, False, 409),
        ErrorClass.INVALID_CONFIG: ClassTraits(None, False, None),
        ErrorClass.INTERNAL: ClassTraits(None, False, 500),
    }
)


class Role(StrEnum):
    """Where a call site sits (§7); it decides which classes the call site retries."""

    ORIGIN = "origin"
    """the upstream does the work itself (the gateway calling the payment provider); the same Idempotency-Key makes a
    retried charge safe
    """

    RELAY = "relay"
    """the upstream retries its own upstream (the order service and the Python client calling the gateway); a TIMEOUT
    is not retried: the gateway has spent the attempt's whole time already, the outcome is unknown and is settled by
    reconciliation, never by a second charge
    """


# Exhaustive: a class not listed is never retried by a call site of the role, retryable or not.
RETRIED: MappingProxyType[Role, frozenset[ErrorClass]] = MappingProxyType(
    {
        Role.ORIGIN: frozenset({ErrorClass.TIMEOUT, ErrorClass.CONNECTION, ErrorClass.UPSTREAM_UNAVAILABLE}),
        Role.RELAY: frozenset({ErrorClass.CONNECTION}),
    }
)
