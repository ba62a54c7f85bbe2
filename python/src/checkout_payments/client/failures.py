"""A call that ended without an answer, turned into its typed error and the message that says what to do next.

The payment outcome rule (the same in the gateway, this client and the Lambda; docs/PYTHON_CLIENT.md):
- `failed`: nothing was charged. When the class may pass later, paying again with the **same**
  Idempotency-Key and request is safe (`safe_to_retry_same_key`), after `retry_after_ms` when given.
- `unknown`: the payment may have been charged: reconcile with `get_payment(key)` (`GET /payments/{key}`),
  never pay again under a new key.
"""

from __future__ import annotations

from urllib.parse import quote

from checkout_payments.client.errors import FAILED, UNKNOWN, PaymentError, PaymentOutcome, payment_error
from checkout_payments.client.journal import AttemptRecord, Journal
from checkout_payments.client.request import Detail
from checkout_payments.client.wire import Answered, AttemptEnd
from checkout_payments.resilience import CallResult, ErrorClass, Operation

# Failed calls of these classes may succeed when the same payment is sent again later with the same key.
_LATER_MAY_SUCCEED = frozenset(
    {
        ErrorClass.TIMEOUT,
        ErrorClass.CONNECTION,
        ErrorClass.UPSTREAM_UNAVAILABLE,
        ErrorClass.OVERLOADED,
        ErrorClass.CIRCUIT_OPEN,
        ErrorClass.HALF_OPEN_LIMIT,
        ErrorClass.BULKHEAD_FULL,
        ErrorClass.DEADLINE_EXCEEDED,
        ErrorClass.RETRY_BUDGET_EXHAUSTED,
    }
)
_IN_FLIGHT = 409


def call_failure(journal: Journal, call: CallResult[AttemptEnd], max_concurrent: int) -> PaymentError:
    """The typed error of a call that ended without a result (or, for `get_payment`, without a status);
    `max_concurrent` is the size of the operation's bulkhead (named when the bulkhead refused the call)."""
    error_class = call.error_class or ErrorClass.INTERNAL
    last = journal.last
    # The gateway's own answer, when the call ended with it (not with a limit of this client).
    answer = (
        last.end
        if last is not None and isinstance(last.end, Answered) and last.end.verdict.error_class is error_class
        else None
    )
    if journal.operation == "lookup":
        outcome = FAILED if error_class is ErrorClass.NOT_FOUND else UNKNOWN
    else:
        outcome = UNKNOWN if journal.ambiguous else FAILED
    if outcome == UNKNOWN:
        retryable = True
    elif error_class is ErrorClass.IDEMPOTENCY_CONFLICT:
        retryable = answer is not None and answer.status_code == _IN_FLIGHT
    else:
        retryable = error_class in _LATER_MAY_SUCCEED
    retry_after_ms = answer.retry_after_ms if answer is not None else call.retry_after_ms
    happened = _what_happened(error_class, journal, call, last, answer, max_concurrent)
    message = f"{_subject(journal)} {happened}: " + _advice(journal, error_class, outcome, retryable, retry_after_ms)
    return payment_error(
        error_class,
        message,
        retryable=retryable,
        outcome=outcome,
        idempotency_key=journal.idempotency_key,
        attempts=call.attempts,
        upstream_status=answer.status_code if answer is not None else None,
        details=answer.details if answer is not None else (),
        retry_after_ms=retry_after_ms if outcome == FAILED and retryable else None,
        call=call,
        secrets=journal.secrets,
    )


def invalid_request(operation: Operation, key: str, details: list[Detail], secrets: tuple[str, ...]) -> PaymentError:
    """The error of a call refused before any attempt, naming every bad argument."""
    listed = "; ".join(f"{d.pointer or '(request)'}: {d.message}" for d in details)
    what = "payment" if operation == "charge" else "the status request of payment"
    return payment_error(
        ErrorClass.INVALID_REQUEST,
        f"{what} {key} was not sent: {listed}; nothing was charged — fix the request",
        retryable=False,
        outcome=FAILED,
        idempotency_key=key,
        details=tuple(details),
        secrets=secrets,
    )


def deadline_details(deadline_ms: object) -> list[Detail]:
    if deadline_ms is None or (isinstance(deadline_ms, int) and not isinstance(deadline_ms, bool)):
        return []
    return [Detail("/deadline_ms", f"deadline_ms must be an integer number of milliseconds, but was {deadline_ms!r}")]


def _subject(journal: Journal) -> str:
    key = journal.idempotency_key
    return f"payment {key}" if journal.operation == "charge" else f"the status of payment {key}"


def _what_happened(
    error_class: ErrorClass,
    journal: Journal,
    call: CallResult[AttemptEnd],
    last: AttemptRecord | None,
    answer: Answered | None,
    max_concurrent: int,
) -> str:
    tries = f" after {call.attempts} attempts" if call.attempts > 1 else ""
    again = " again" if call.attempts else ""
    if answer is not None:
        said = f" ({answer.message})" if answer.message else ""
        return f"was answered {answer.status_code} {error_class.value} by the gateway{tries}{said}"
    end = last.end if last is not None else None
    if error_class is ErrorClass.TIMEOUT and last is not None:
        return f"timed out after {last.timeout_ms} ms{tries}"
    if error_class is ErrorClass.DEADLINE_EXCEEDED:
        if last is not None and end is not None and end.verdict.error_class is ErrorClass.TIMEOUT:
            return (
                f"ran out of its {journal.deadline_ms} ms deadline during attempt {last.number}, "
                f"cut to {last.timeout_ms} ms"
            )
        which = "another attempt" if call.attempts else "an attempt"
        return f"had no time left in its {journal.deadline_ms} ms deadline for {which}{tries}"
    operation = journal.operation
    if error_class is ErrorClass.CIRCUIT_OPEN:
        return (
            f"was not sent{again}: the client's circuit breaker for the gateway is open "
            f"for its {operation} calls (next trial in {call.retry_after_ms} ms)"
        )
    if error_class is ErrorClass.HALF_OPEN_LIMIT:
        return (
            f"was not sent{again}: the client's circuit breaker for the gateway's {operation} calls is half-open "
            "and its trial calls are taken"
        )
    if error_class is ErrorClass.BULKHEAD_FULL:
        return (
            f"was not sent{again}: the client's bulkhead for the gateway's {operation} calls is full "
            f"(max_concurrent {max_concurrent} attempts in flight in this process)"
        )
    if error_class is ErrorClass.RETRY_BUDGET_EXHAUSTED:
        return (
            f"failed{tries} and the client's retry budget for the gateway's {operation} calls refused another attempt"
        )
    if isinstance(end, Answered):
        said = f" ({end.message})" if end.message else ""
        return f"got an answer {end.status_code} from the gateway it could not read{tries}{said}"
    if end is not None and error_class is ErrorClass.CONNECTION:
        how = "lost its connection to the gateway before an answer" if end.sent else "could not connect to the gateway"
        return f"{how}{tries} ({type(end.error).__name__})"
    if end is not None:
        return f"ended {error_class.value}{tries} ({type(end.error).__name__}: {end.error})"
    return f"ended {error_class.value}"


def _advice(
    journal: Journal, error_class: ErrorClass, outcome: PaymentOutcome, retryable: bool, retry_after_ms: int | None
) -> str:
    key = journal.idempotency_key
    if journal.operation == "lookup":
        if error_class is ErrorClass.NOT_FOUND:
            return "neither the gateway nor the provider has a payment with this key: it was never charged"
        return "the payment's outcome is still unknown; ask again later, never pay again under a new key"
    if outcome == UNKNOWN:
        return (
            f"the outcome is unknown — do not charge again; reconcile with get_payment({key!r}) "
            f"(GET /payments/{quote(key, safe='')}), never with a new key"
        )
    if retryable:
        if retry_after_ms is not None:
            return f"nothing was charged; retrying with the same Idempotency-Key is safe after {retry_after_ms} ms"
        return "nothing was charged; retrying later with the same Idempotency-Key is safe"
    return "nothing was charged; sending the same request again will not succeed"
