"""How one HTTP attempt at the gateway ended, classified per config/SEMANTICS.md §6 "At a call site".

Every attempt ends in a value — `Answered` (an HTTP answer) or `Unanswered` (no answer) — so the kernel
sees every attempt's class through `EndClassifier`, and the client keeps what it needs to tell an
`unknown` outcome from a `failed` one: whether the attempt may have reached the gateway (`ambiguous`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeGuard

import httpx

from checkout_payments.client.masking import scrub
from checkout_payments.client.request import Detail
from checkout_payments.client.results import RESULT_STATUSES, STATUS_VALUES, PaymentResult, PaymentStatus
from checkout_payments.resilience import OPERATIONS, AttemptVerdict, Classifier, ErrorClass, Operation, classify_answer

OK = AttemptVerdict()
# Body `status` of a gateway error: whether the payment may have been charged.
BODY_UNKNOWN, BODY_FAILED = "unknown", "failed"


@dataclass(frozen=True)
class Answered:
    """The gateway answered with `status_code`; `payload` is the parsed 2xx answer, when there is one.

    `retry_after_ms` is the answer's `Retry-After` (delta-seconds or an HTTP date), in ms, when it had one.
    """

    status_code: int
    verdict: AttemptVerdict
    ambiguous: bool
    payload: PaymentResult | PaymentStatus | None = None
    message: str | None = None
    details: tuple[Detail, ...] = ()
    retry_after_ms: int | None = None

    @property
    def label(self) -> str:
        """The attempt's `result` label (METRICS.md): success, DECLINED or an error class."""
        return "success" if self.verdict.error_class is None else self.verdict.error_class.value


@dataclass(frozen=True)
class Unanswered:
    """No answer: `sent` says whether the request may have reached the gateway (then the outcome is unknown)."""

    verdict: AttemptVerdict
    sent: bool
    error: BaseException

    @property
    def ambiguous(self) -> bool:
        return self.sent

    @property
    def label(self) -> str:
        assert self.verdict.error_class is not None
        return self.verdict.error_class.value


AttemptEnd = Answered | Unanswered


class EndClassifier:
    """The kernel's classifier: every attempt returns its end, already classified; nothing else is an outcome."""

    def classify_result(self, result: AttemptEnd) -> AttemptVerdict:
        return result.verdict

    def classify_error(self, error: Exception) -> AttemptVerdict | None:
        # Anything an attempt raises is a bug (httpx errors became `Unanswered`): the kernel re-raises it.
        return None


CLASSIFIER = EndClassifier()
# Both operations' attempts end the same way: in their `AttemptEnd`.
CLASSIFIERS: dict[Operation, Classifier[AttemptEnd]] = dict.fromkeys(OPERATIONS, CLASSIFIER)

# Exception types that show the request never left this process: safe to send again, nothing charged.
_NOT_SENT: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
# The request may have been (partly) sent and no answer came in time (TimeoutError: the async client's
# hard bound on the whole attempt): the outcome is unknown.
_TIMED_OUT: tuple[type[Exception], ...] = (httpx.ReadTimeout, httpx.WriteTimeout, TimeoutError)


def unanswered(error: Exception) -> Unanswered | None:
    """The end of an attempt that raised `error`; None for an error that is no attempt outcome (a bug)."""
    if isinstance(error, _NOT_SENT):
        return Unanswered(AttemptVerdict(ErrorClass.CONNECTION), sent=False, error=error)
    if isinstance(error, _TIMED_OUT):
        # This client's own timeout fired: the evidence rule (SEMANTICS §5) decides what it tells the breaker.
        return Unanswered(AttemptVerdict(ErrorClass.TIMEOUT, timed_out=True), sent=True, error=error)
    if isinstance(error, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        # This process could not even form the request: a bug or a bad base URL, never the gateway's fault.
        return Unanswered(AttemptVerdict(ErrorClass.INTERNAL), sent=False, error=error)
    if isinstance(error, httpx.TransportError):
        # Read/write/close errors and a server that hung up without answering: the request was sent.
        return Unanswered(AttemptVerdict(ErrorClass.CONNECTION), sent=True, error=error)
    if isinstance(error, httpx.HTTPError):
        # An answer came but could not be decoded: it may have been an authorisation.
        return Unanswered(AttemptVerdict(ErrorClass.INTERNAL), sent=True, error=error)
    return None


def payment_answer(response: httpx.Response, idempotency_key: str) -> Answered:
    """The end of `POST /payments`: a 200 PaymentResult, or an error answer."""
    body = _json(response)
    if not response.is_success:
        return error_answer(response.status_code, response.headers, body)
    try:
        result = _payment_result(body, idempotency_key)
    except ValueError as broken:
        # A 2xx we cannot read may be an authorisation: the outcome is unknown, never failed.
        return Answered(response.status_code, AttemptVerdict(ErrorClass.INTERNAL), True, message=str(broken))
    verdict = OK if result.authorised else AttemptVerdict(ErrorClass.DECLINED)
    return Answered(response.status_code, verdict, False, payload=result)


def status_answer(response: httpx.Response, idempotency_key: str) -> Answered:
    """The end of `GET /payments/{key}`: a 200 PaymentStatus, or an error answer (404 NOT_FOUND among them)."""
    body = _json(response)
    if not response.is_success:
        return error_answer(response.status_code, response.headers, body)
    try:
        status = _payment_status(body, idempotency_key)
    except ValueError as broken:
        return Answered(response.status_code, AttemptVerdict(ErrorClass.INTERNAL), True, message=str(broken))
    return Answered(response.status_code, OK, False, payload=status)


def error_answer(status_code: int, headers: httpx.Headers, body: Any) -> Answered:
    """An error answer (not 2xx): its body's class when that class has a breaker outcome, else its status
    (the kernel's `classify_answer`, §6)."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    named, retryable = error.get("class"), error.get("retryable")
    verdict = classify_answer(
        status_code,
        named if isinstance(named, str) else None,
        retryable if isinstance(retryable, bool) else None,
        "retry-after" in headers,
    )
    # Only a 2xx is classified a success, and a 2xx is no error answer.
    error_class = verdict.error_class or ErrorClass.INTERNAL
    message = error.get("message")
    # The gateway's words travel on into exception messages and logs: scrubbed of card numbers here.
    return Answered(
        status_code,
        verdict,
        _answer_ambiguous(status_code, error_class, body),
        message=scrub(message) if isinstance(message, str) else None,
        details=_details(error.get("details")),
        retry_after_ms=retry_after_ms(headers.get("retry-after")),
    )


def retry_after_ms(value: str | None, now: datetime | None = None) -> int | None:
    """A `Retry-After` header in ms (RFC 9110 §10.2.3: delta-seconds or an HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return int(text) * 1000
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0, math.ceil((when - (now or datetime.now(UTC))).total_seconds() * 1000))


def _answer_ambiguous(status_code: int, error_class: ErrorClass, body: Any) -> bool:
    """Whether an error answer leaves open that the payment was charged.

    The gateway says so in the body's `status`; without it, a 5xx other than load shedding may
    have charged (the gateway's own rule), and a 409 means the key is in flight elsewhere.
    """
    stated = body.get("status") if isinstance(body, dict) else None
    if stated in (BODY_UNKNOWN, BODY_FAILED):
        return bool(stated == BODY_UNKNOWN)
    if error_class is ErrorClass.IDEMPOTENCY_CONFLICT and status_code == 409:
        return True
    return status_code >= 500 and error_class is not ErrorClass.OVERLOADED


def _json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content) if response.content else None
    except ValueError:
        return None


def _details(raw: object) -> tuple[Detail, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Detail(str(item.get("pointer", "")), scrub(str(item.get("message", ""))))
        for item in raw
        if isinstance(item, dict)
    )


def _payment_result(body: Any, idempotency_key: str) -> PaymentResult:
    if not isinstance(body, dict):
        raise ValueError("the 200 answer to POST /payments is not a JSON object")
    status = body.get("status")
    if status not in RESULT_STATUSES:
        raise ValueError(f"the 200 answer to POST /payments has status {status!r}, not authorised or declined")
    _same_key(body, idempotency_key)
    charge_id, amount, currency = body.get("charge_id"), body.get("amount_minor"), body.get("currency")
    if not isinstance(charge_id, str) or not _is_int(amount) or not isinstance(currency, str):
        raise ValueError("the 200 answer to POST /payments lacks charge_id, amount_minor or currency")
    return PaymentResult(
        idempotency_key=idempotency_key,
        status=status,
        charge_id=charge_id,
        amount_minor=amount,
        currency=currency,
        attempts=0,
        decline_reason=_optional_str(body, "decline_reason"),
        order_id=_optional_str(body, "order_id"),
    )


def _payment_status(body: Any, idempotency_key: str) -> PaymentStatus:
    if not isinstance(body, dict):
        raise ValueError("the 200 answer to GET /payments/{key} is not a JSON object")
    status = body.get("status")
    if status not in STATUS_VALUES:
        raise ValueError(f"the 200 answer to GET /payments/{{key}} has an unknown status {status!r}")
    _same_key(body, idempotency_key)
    amount = body.get("amount_minor")
    raw_error = body.get("error")
    error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
    message = error.get("message")
    return PaymentStatus(
        idempotency_key=idempotency_key,
        status=status,
        order_id=_optional_str(body, "order_id"),
        charge_id=_optional_str(body, "charge_id"),
        amount_minor=amount if _is_int(amount) else None,
        currency=_optional_str(body, "currency"),
        decline_reason=_optional_str(body, "decline_reason"),
        error_class=_any_class(error.get("class")),
        message=message if isinstance(message, str) else None,
    )


def _same_key(body: dict[str, Any], idempotency_key: str) -> None:
    if body.get("idempotency_key") != idempotency_key:
        raise ValueError(f"the answer is for idempotency key {body.get('idempotency_key')!r}, not {idempotency_key!r}")


def _any_class(name: object) -> ErrorClass | None:
    try:
        return ErrorClass(name) if isinstance(name, str) else None
    except ValueError:
        return None


def _optional_str(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    return value if isinstance(value, str) else None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
