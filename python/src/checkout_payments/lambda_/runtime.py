"""What a Lambda container keeps between invocations: its config, one event loop and one pooled client.

Every payment is bounded by the invocation's remaining time minus `lambda.safety_margin_ms`: the
client's deadline is that budget, so the kernel cuts each attempt to fit (and starts none when nothing
is left), and the async client bounds each attempt as a whole. The handler answers before the
runtime would kill it: with an unknown outcome when an attempt was cut short, or a failure that is
safe to retry with the same key when no attempt could start.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from typing import Any, Protocol, TypeVar

from checkout_payments.client import AsyncPaymentClient, PaymentError
from checkout_payments.config import LoadedConfig, load_config
from checkout_payments.lambda_.events import PaymentCommand
from checkout_payments.lambda_.outcomes import Outcome

GATEWAY_URL_ENV = "PAYMENT_GATEWAY_URL"
T = TypeVar("T")


class LambdaContext(Protocol):
    """The part of the Lambda context object the handler reads."""

    def get_remaining_time_in_millis(self) -> int: ...


class SetupError(Exception):
    """The container cannot serve: the config or the gateway's address is missing or invalid."""


class Runtime:
    """One per container, made on the first invocation and reused by every later one."""

    def __init__(self, gateway_url: str, config: LoadedConfig) -> None:
        self.config = config
        self.safety_margin_ms = config.settings.lambda_.safety_margin_ms
        self._loop = asyncio.new_event_loop()
        self.client = AsyncPaymentClient(gateway_url, config=config)

    @classmethod
    def from_environment(cls) -> Runtime:
        """The gateway from $PAYMENT_GATEWAY_URL; the config as config/LOADING.md resolves it ($CHECKOUT_CONFIG, …)."""
        gateway_url = os.environ.get(GATEWAY_URL_ENV, "").strip()
        if not gateway_url:
            raise SetupError(f"{GATEWAY_URL_ENV} is not set: the handler does not know the payment gateway")
        return cls(gateway_url, load_config())

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run one invocation's work on the container's loop (the client's pooled connections live on it)."""
        return self._loop.run_until_complete(work)

    def budget_ms(self, context: LambdaContext) -> int:
        """What this invocation may still spend on a payment: remaining time minus the safety margin (≥ 0)."""
        return max(0, context.get_remaining_time_in_millis() - self.safety_margin_ms)

    async def pay(self, command: PaymentCommand, context: LambdaContext) -> Outcome:
        """Pay within the invocation's budget; every way it can end is a value, never an exception."""
        request = command.request
        try:
            return await self.client.pay(
                request.order_id,
                request.amount_minor,
                request.currency,
                request.payment_token,
                idempotency_key=command.idempotency_key,
                deadline_ms=self.budget_ms(context),
            )
        except PaymentError as error:
            return error

    def close(self) -> None:
        self._loop.run_until_complete(self.client.aclose())
        self._loop.close()
