"""An upstream's HTTP answer classified at a call site (config/SEMANTICS.md §6 "At a call site")."""

from __future__ import annotations

from checkout_payments.resilience.attempt import AttemptVerdict
from checkout_payments.resilience.taxonomy import ErrorClass

_SUCCESS = AttemptVerdict()
_BY_NAME = {error_class.value: error_class for error_class in ErrorClass}


def classify_answer(
    status: int, body_error_class: str | None, body_retryable: bool | None, has_retry_after: bool
) -> AttemptVerdict:
    """The verdict of an answer with HTTP `status`, its body's `error.class` and `error.retryable` (None
    when the body has none) and whether it carried `Retry-After`.

    The body's class wins when it has a breaker outcome (an upstream's own `CIRCUIT_OPEN`,
    `BULKHEAD_FULL`, …); any other class (a database class, `INTERNAL`, a name this kernel does not
    know) falls back to the status: 429, or 503 with `Retry-After` → `OVERLOADED`; any other 5xx →
    `UPSTREAM_UNAVAILABLE`; any other 4xx → `INVALID_REQUEST`; a 1xx or 3xx is no answer of an API →
    `INTERNAL`. A 2xx is an answer, whatever its body: success (the caller reads a decline from it).
    `body_retryable` is passed on as `downstream_retryable` (§7: false is never retried).
    """
    if 200 <= status < 300:
        # A 2xx body is a result, whatever it says (a status answer may describe a failed payment).
        return _SUCCESS
    named = _BY_NAME.get(body_error_class) if body_error_class is not None else None
    if named is not None and named.breaker is not None:
        return AttemptVerdict(named, body_retryable)
    if status == 429 or (status == 503 and has_retry_after):
        error_class = ErrorClass.OVERLOADED
    elif status >= 500:
        error_class = ErrorClass.UPSTREAM_UNAVAILABLE
    elif status >= 400:
        error_class = ErrorClass.INVALID_REQUEST
    else:
        error_class = ErrorClass.INTERNAL
    return AttemptVerdict(error_class, body_retryable)
