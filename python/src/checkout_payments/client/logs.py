"""Structured logs: one JSON object per line, scrubbed of tokens and card numbers.

The client logs through `log_event` (fields scrubbed when the record is made, so a record is clean
whatever formatter an application installs); `JsonFormatter` scrubs the whole line again, so records
of other libraries (httpx, the Lambda runtime) cannot carry card data out either.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from checkout_payments.client.masking import scrub

LOGGER = logging.getLogger("checkout_payments.client")
# A library leaves output to the application (the logging HOWTO's advice): without a configured
# handler its records go nowhere instead of to Python's last-resort stderr handler.
LOGGER.addHandler(logging.NullHandler())
# The LogRecord attribute that carries an event's fields.
FIELDS = "fields"


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """Log `event` with its fields, scrubbed; nothing is built when the level is off."""
    if logger.isEnabledFor(level):
        logger.log(level, event, extra={FIELDS: scrub(fields)})


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "event", ...fields}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, FIELDS, None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(scrub(entry), default=str, separators=(",", ":"), ensure_ascii=False)


def use_json_lines(logger: logging.Logger | None = None) -> None:
    """Give every handler of `logger` (default: the root logger) the JSON formatter; add a stderr one if none.

    Idempotent and cheap, so an entry point may call it on every invocation.
    """
    target = logger or logging.getLogger()
    if not target.handlers:
        target.addHandler(logging.StreamHandler())
    for handler in target.handlers:
        if not isinstance(handler.formatter, JsonFormatter):
            handler.setFormatter(JsonFormatter())
