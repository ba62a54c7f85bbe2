"""An SQS batch of payment requests, with partial batch failures reported in the standard shape.

A record is reported (and so delivered again, or after maxReceiveCount moved to the queue's DLQ)
unless its payment got an answer, authorised or declined (a decline is final: not redelivered):
an unknown outcome, a failure and an invalid message alike. Redelivery reuses the record's
Idempotency-Key (the body's, the attribute's, or `payment-{order_id}`), and by the payment outcome
rule (lambda_/outcomes.py) that is what lets it succeed: a payment that failed without a charge
(`safe_to_retry_same_key`: breaker open, bulkhead full, load shed, …) runs again under the same key, and an unknown
one is answered or reconciled by the gateway — never charged twice. A failure that resending cannot
fix (an invalid message, a key reused for another payment) stays so and reaches the DLQ — nothing is
dropped silently. SQS redelivers after the queue's visibility timeout; a `Retry-After` of the
gateway is logged with the record (`retry_after_ms`), not applied per message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from checkout_payments.client import PaymentError
from checkout_payments.client.logs import log_event
from checkout_payments.lambda_.events import Rejected, sqs_command
from checkout_payments.lambda_.outcomes import Settlement, is_done, settlement
from checkout_payments.lambda_.runtime import LambdaContext, Runtime

LOGGER = logging.getLogger("checkout_payments.lambda")
# Payments of one standard-queue batch run concurrently, this many at a time (a batch holds up to 10
# records by default); FIFO batches run in order.
MAX_CONCURRENT_RECORDS = 10
# AWS treats an empty itemIdentifier as a failure of the whole batch: the way to say "all of it again".
WHOLE_BATCH = ""


def batch_failures(item_ids: Sequence[str]) -> dict[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": item_id} for item_id in item_ids]}


def message_ids(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every record's messageId; `[WHOLE_BATCH]` when one has none (it could not be reported alone)."""
    ids = [record.get("messageId") for record in records]
    if all(isinstance(item, str) and item for item in ids):
        return [str(item) for item in ids]
    return [WHOLE_BATCH]


async def process_batch(runtime: Runtime, records: Sequence[Mapping[str, Any]], context: LambdaContext) -> list[str]:
    """The messageIds to report as failed."""
    ids = message_ids(records)
    if ids == [WHOLE_BATCH]:
        log_event(LOGGER, logging.ERROR, "sqs_batch_unreadable", records=len(records))
        return ids
    if any(str(record.get("eventSourceARN", "")).endswith(".fifo") for record in records):
        return await _in_order(runtime, records, ids, context)
    gate = asyncio.Semaphore(MAX_CONCURRENT_RECORDS)

    async def one(record: Mapping[str, Any], message_id: str) -> bool:
        async with gate:
            return await _process(runtime, record, message_id, context)

    done = await asyncio.gather(*(one(record, message_id) for record, message_id in zip(records, ids, strict=True)))
    return [message_id for message_id, ok in zip(ids, done, strict=True) if not ok]


async def _in_order(
    runtime: Runtime, records: Sequence[Mapping[str, Any]], ids: list[str], context: LambdaContext
) -> list[str]:
    # FIFO: after the first failure the rest must not run ahead of it; all of them come back in order.
    for index, (record, message_id) in enumerate(zip(records, ids, strict=True)):
        if not await _process(runtime, record, message_id, context):
            skipped = ids[index + 1 :]
            if skipped:
                log_event(LOGGER, logging.WARNING, "sqs_fifo_held_back", after=message_id, held_back=skipped)
            return ids[index:]
    return []


async def _process(runtime: Runtime, record: Mapping[str, Any], message_id: str, context: LambdaContext) -> bool:
    """True when the record's payment got an answer (authorised or declined)."""
    try:
        command = sqs_command(record)
        if isinstance(command, Rejected):
            log_event(
                LOGGER,
                logging.ERROR,
                "sqs_record_invalid",
                message_id=message_id,
                message=command.message,
                details=[detail.to_json() for detail in command.details],
            )
            return False
        outcome = await runtime.pay(command, context)
        kind = settlement(outcome)
        fields: dict[str, object] = {
            "message_id": message_id,
            "idempotency_key": command.idempotency_key,
            "key_source": command.key_source,
            "order_id": command.request.order_id,
            "settlement": kind.value,
        }
        if isinstance(outcome, PaymentError):
            fields["error_class"] = outcome.error_class.value
            fields["safe_to_retry_same_key"] = outcome.safe_to_retry_same_key
            fields["retry_after_ms"] = outcome.retry_after_ms
            fields["message"] = outcome.message
        log_event(LOGGER, logging.INFO if kind is Settlement.ANSWERED else logging.WARNING, "sqs_record", **fields)
        return is_done(outcome)
    except Exception:
        # One record's bug must not lose the batch: it is logged with its trace and reported.
        LOGGER.exception("sqs_record_crashed", extra={"fields": {"message_id": message_id}})
        return False
