"""What the call loop (config/SEMANTICS.md §8) hands an attempt, what it needs back, and how a call ended."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, NamedTuple, Protocol, TypeVar, cast

from checkout_payments.generated.timeout_config import RetrySettings
from checkout_payments.resilience.deadline import DEADLINE_HEADER
from checkout_payments.resilience.errors import (
    BulkheadFullError,
    CircuitOpenError,
    DeadlineExceededError,
    HalfOpenLimitError,
    ResilienceError,
    RetryBudgetExhaustedError,
)
from checkout_payments.resilience.taxonomy import ErrorClass

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)


class AttemptContext(NamedTuple):
    """What one attempt gets: its number (1 = the first), its timeout (wait that long for the answer)
    and the `X-Deadline-Ms` it sends, `timeout_ms - answer_margin_ms` (SEMANTICS.md §5)."""

    number: int
    timeout_ms: int
    deadline_header_ms: int

    @property
    def headers(self) -> dict[str, str]:
        """The headers every outgoing request of this attempt sets (a new dict: the caller may add to it)."""
        return {DEADLINE_HEADER: str(self.deadline_header_ms)}


@dataclass(frozen=True, slots=True)
class AttemptVerdict:
    """How an attempt ended: `error_class` None for success; `downstream_retryable` from the error body, if any.

    `timed_out` says the attempt's own timeout ran out (no answer came in time), which only a
    `TIMEOUT` verdict can say; the loop then applies §5's evidence rule. A `TIMEOUT` verdict that
    does not say so counts as timed out when the attempt took its whole timeout, and as an upstream's
    `TIMEOUT` answer otherwise.
    """

    error_class: ErrorClass | None = None
    downstream_retryable: bool | None = None
    timed_out: bool = False

    def __post_init__(self) -> None:
        if self.timed_out and self.error_class is not ErrorClass.TIMEOUT:
            raise ValueError(f"timed_out is true with error_class {self.error_class}; expected TIMEOUT")


class Classifier(Protocol[T_contra]):
    """Tells the loop how an attempt ended, from what the attempt returned or raised."""

    def classify_result(self, result: T_contra) -> AttemptVerdict:
        """A returned result: success, DECLINED, or an error answer's class."""
        ...

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        """A raised exception's class; None for one that is no attempt outcome (a bug): the call re-raises it."""
        ...


class CallSettings(Protocol):
    """The settings one call reads; the generated `PaymentSettings` is one."""

    @property
    def timeout_ms(self) -> int: ...

    @property
    def deadline_ms(self) -> int: ...

    @property
    def provider_expected_p99_ms(self) -> int: ...

    @property
    def answer_margin_ms(self) -> int: ...

    @property
    def min_deadline_ms(self) -> int: ...

    @property
    def retry(self) -> RetrySettings: ...


@dataclass(frozen=True)
class CallResult(Generic[T]):
    """How a call ended: `error_class` None for success (DECLINED is an answer too), the attempts run
    (an allow the breaker rejected is none), the backoff sleeps taken, and the last attempt's result
    or exception. `retry_after_ms` is set when the breaker rejected the call (CIRCUIT_OPEN).

    Whether this service's caller may retry is no property of the result: once this loop ran, a
    service answers `"retryable": false` (§7), and `to_error()` says so.
    """

    error_class: ErrorClass | None
    attempts: int
    sleeps_ms: tuple[int, ...]
    value: T | None = None
    error: Exception | None = None
    retry_after_ms: int | None = None

    @property
    def outcome(self) -> str:
        """`success` or the class: the label logs and metrics use."""
        return "success" if self.error_class is None else self.error_class.value

    def unwrap(self) -> T:
        """The answer (success or DECLINED) the last attempt returned; otherwise raises `to_error()`."""
        if self.error_class in (None, ErrorClass.DECLINED) and self.error is None:
            # An answer is whatever the operation returned, None included.
            return cast(T, self.value)
        raise self.to_error() from self.error

    def to_error(self) -> ResilienceError:
        """The typed error of an end that is no answer, with `retryable` false and this result as `call`."""
        error_class = self.error_class or ErrorClass.INTERNAL
        text = f"after {self.attempts} attempt(s) and {len(self.sleeps_ms)} backoff sleep(s)"
        if error_class is ErrorClass.CIRCUIT_OPEN:
            return CircuitOpenError(self.retry_after_ms, f"circuit breaker is open {text}", call=self)
        if error_class is ErrorClass.BULKHEAD_FULL:
            return BulkheadFullError(f"every bulkhead slot of the operation is taken {text}", call=self)
        if error_class is ErrorClass.HALF_OPEN_LIMIT:
            return HalfOpenLimitError(f"half-open trial slots are taken {text}", call=self)
        if error_class is ErrorClass.DEADLINE_EXCEEDED:
            return DeadlineExceededError(f"the deadline left no time for another attempt {text}", call=self)
        if error_class is ErrorClass.RETRY_BUDGET_EXHAUSTED:
            return RetryBudgetExhaustedError(f"the retry budget refused a retry {text}", call=self)
        return ResilienceError(error_class, f"the call ended {error_class} {text}", False, call=self)
