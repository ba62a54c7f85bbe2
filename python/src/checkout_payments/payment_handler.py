"""The payment Lambda: `handler(event, context)` for API Gateway (REST v1, HTTP API v2) and SQS events.

Configure it with $PAYMENT_GATEWAY_URL (the gateway's base URL) and the config as config/LOADING.md
resolves it ($CHECKOUT_CONFIG, or config/timeout.json bundled next to the code); $LOG_LEVEL (default
INFO) for the JSON logs. Nothing is ever raised to the Lambda runtime: every event gets an answer.

- HTTP: 200 authorised or declined; 202 `{"status": "unknown", "idempotency_key"}` when the payment
  may have been charged (reconcile with `GET /payments/{key}`); 503 `{"status": "failed"}` (+ Retry-After
  when known) when nothing was charged and the same Idempotency-Key may pass later; 400/405/413 for a
  bad request (naming the field); 409/422 for a key conflict; 500 when the container cannot serve.
- SQS: `{"batchItemFailures": [...]}` — see `checkout_payments.lambda_.sqs`.

The Idempotency-Key is the request's header (HTTP), the body's `idempotency_key` or the message's
`Idempotency-Key` attribute (SQS); without one it is `payment-{order_id}`: one payment per order, so a
redelivered or repeated event never charges twice.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from checkout_payments.client.logs import log_event, use_json_lines
from checkout_payments.config import ConfigError
from checkout_payments.lambda_.events import EventKind, Rejected, event_kind, http_command
from checkout_payments.lambda_.outcomes import settlement
from checkout_payments.lambda_.responses import internal_response, outcome_response, rejected_response
from checkout_payments.lambda_.runtime import LambdaContext, Runtime, SetupError
from checkout_payments.lambda_.sqs import batch_failures, message_ids, process_batch
from checkout_payments.resilience import ErrorClass

LOGGER = logging.getLogger("checkout_payments.lambda")
_PACKAGE_LOGGER = logging.getLogger("checkout_payments")
if _PACKAGE_LOGGER.level == logging.NOTSET:
    _PACKAGE_LOGGER.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())

# Made by the first invocation of a container and reused by every later one (warm starts).
_runtime: Runtime | None = None


def handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    """The Lambda entry point."""
    use_json_lines()
    kind = event_kind(event)
    try:
        if kind is EventKind.SQS:
            return _sqs(event["Records"], context)
        if kind in (EventKind.HTTP_V1, EventKind.HTTP_V2):
            return _http(event, kind, context)
    except Exception:
        # Nothing reaches the runtime: the bug is logged with its trace and the event still answered.
        LOGGER.exception("handler_crashed", extra={"fields": {"event_kind": kind.value}})
        if kind is EventKind.SQS:
            return batch_failures(message_ids(event["Records"]))
        return internal_response(ErrorClass.INTERNAL, "the payment handler failed; see its log")
    log_event(LOGGER, logging.ERROR, "event_unsupported", event_type=type(event).__name__)
    return rejected_response(
        Rejected(400, "the event is neither an API Gateway proxy request (REST or HTTP API) nor an SQS batch")
    )


def close_runtime() -> None:
    """Close the container's client and loop; the next invocation makes new ones (also for tests)."""
    global _runtime
    if _runtime is not None:
        runtime, _runtime = _runtime, None
        runtime.close()


def _warm_runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        _runtime = Runtime.from_environment()
    return _runtime


def _http(event: Mapping[str, Any], kind: EventKind, context: LambdaContext) -> dict[str, Any]:
    command = http_command(event, kind)
    if isinstance(command, Rejected):
        log_event(
            LOGGER,
            logging.WARNING,
            "payment_request_rejected",
            event_kind=kind.value,
            status_code=command.status,
            details=[detail.to_json() for detail in command.details],
        )
        return rejected_response(command)
    try:
        runtime = _warm_runtime()
    except (ConfigError, SetupError) as broken:
        _log_setup_failure(broken)
        error_class = ErrorClass.INVALID_CONFIG if isinstance(broken, ConfigError) else ErrorClass.INTERNAL
        return internal_response(error_class, "the payment handler is misconfigured; see its log")
    outcome = runtime.run(runtime.pay(command, context))
    response = outcome_response(outcome, command.idempotency_key)
    log_event(
        LOGGER,
        logging.INFO,
        "payment_response",
        event_kind=kind.value,
        idempotency_key=command.idempotency_key,
        key_source=command.key_source,
        order_id=command.request.order_id,
        settlement=settlement(outcome).value,
        status_code=response["statusCode"],
        remaining_ms=context.get_remaining_time_in_millis(),
    )
    return response


def _sqs(records: list[Mapping[str, Any]], context: LambdaContext) -> dict[str, Any]:
    try:
        runtime = _warm_runtime()
    except (ConfigError, SetupError) as broken:
        _log_setup_failure(broken)
        return batch_failures(message_ids(records))
    failed = runtime.run(process_batch(runtime, records, context))
    log_event(
        LOGGER,
        logging.INFO if not failed else logging.WARNING,
        "sqs_batch",
        records=len(records),
        reported=len(failed),
        remaining_ms=context.get_remaining_time_in_millis(),
    )
    return batch_failures(failed)


def _log_setup_failure(broken: Exception) -> None:
    fields: dict[str, object] = {"error": str(broken)}
    if isinstance(broken, ConfigError):
        fields["violations"] = [{"pointer": v.pointer, "message": v.message, "rule": v.rule} for v in broken.violations]
    log_event(LOGGER, logging.ERROR, "handler_setup_failed", **fields)
