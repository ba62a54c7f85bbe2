"""One call, step by step (config/SEMANTICS.md §8): deadline ⊃ retry ⊃ bulkhead ⊃ breaker ⊃ attempt timeout.

The first attempt runs directly; a call that needs a retry goes on in tenacity's `Retrying` (sync) or
`AsyncRetrying` (async), driven by three kernel strategies (strategies.py) that read the step 5–10
decision made once per finished attempt (`decision.decide`). Most calls succeed at once, and building
tenacity's loop for them cost more than the rest of the call (python/benchmarks). The steps around
each attempt are loop.py's; the attempt types live in attempt.py and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import AsyncRetrying, Retrying

from checkout_payments.resilience.attempt import AttemptContext, AttemptVerdict, CallResult, CallSettings, Classifier
from checkout_payments.resilience.loop import CallLoop, CallRun
from checkout_payments.resilience.strategies import RETRY, STOP, WAIT

# Re-exported: the attempt types were defined here first.
__all__ = [
    "AsyncResilientCall",
    "AttemptContext",
    "AttemptVerdict",
    "CallResult",
    "CallSettings",
    "Classifier",
    "ResilientCall",
]

T = TypeVar("T")


class ResilientCall(CallLoop[T, Callable[[int], None]]):
    """The §8 loop for blocking operations: one per operation of an upstream (§11), shared by its calls.

    `clock` is a monotonic clock in integer ms, `random` draws u in [0, 1), `sleep` sleeps integer ms:
    the kernel reads no clock and no global random source of its own.
    """

    def call(self, attempt: Callable[[AttemptContext], T], deadline_at: int | None = None) -> CallResult[T]:
        """Run `attempt` until it answers or the loop ends; `deadline_at` defaults to now + deadline_ms.

        Returns the result for every classified end; re-raises what the classifier does not know.
        """
        run = self._begin(deadline_at)
        self._attempt(run, attempt)
        if self._first_decided(run).retries:

            def sleep(_seconds: float) -> None:
                self._sleep(self._slept(run))

            Retrying(sleep=sleep, retry=RETRY, wait=WAIT, stop=STOP)(self._retry, run, attempt)
        return run.result()

    def _retry(self, run: CallRun[T], attempt: Callable[[AttemptContext], T]) -> None:
        """tenacity's attempt: first the decided sleep (nothing runs), then attempts 2, 3, …"""
        if not self._resumed(run):
            self._attempt(run, attempt)

    def _attempt(self, run: CallRun[T], attempt: Callable[[AttemptContext], T]) -> None:
        started = self._start(run)
        if started is None:
            return
        context, permit, slot = started
        try:
            value = attempt(context)
        except Exception as error:  # noqa: BLE001 - the classifier knows it, or _raised re-raises it
            self._raised(run, context, permit, slot, error)
        except BaseException:
            self._abandon(permit, slot)
            raise
        else:
            self._answered(run, context, permit, slot, value)


class AsyncResilientCall(CallLoop[T, Callable[[int], Awaitable[None]]]):
    """The §8 loop for coroutines (httpx.AsyncClient), with the same decisions as `ResilientCall`.

    The breaker, budget and bulkhead are changed only between awaits, so concurrent calls never see them torn.
    """

    async def call(
        self, attempt: Callable[[AttemptContext], Awaitable[T]], deadline_at: int | None = None
    ) -> CallResult[T]:
        """Await `attempt` until it answers or the loop ends; `deadline_at` defaults to now + deadline_ms.

        Returns the result for every classified end; re-raises what the classifier does not know
        (and a cancellation, after giving the slot and the breaker permit back).
        """
        run = self._begin(deadline_at)
        await self._attempt(run, attempt)
        if self._first_decided(run).retries:

            async def sleep(_seconds: float) -> None:
                await self._sleep(self._slept(run))

            await AsyncRetrying(sleep=sleep, retry=RETRY, wait=WAIT, stop=STOP)(self._retry, run, attempt)
        return run.result()

    async def _retry(self, run: CallRun[T], attempt: Callable[[AttemptContext], Awaitable[T]]) -> None:
        """tenacity's attempt: first the decided sleep (nothing runs), then attempts 2, 3, …"""
        if not self._resumed(run):
            await self._attempt(run, attempt)

    async def _attempt(self, run: CallRun[T], attempt: Callable[[AttemptContext], Awaitable[T]]) -> None:
        started = self._start(run)
        if started is None:
            return
        context, permit, slot = started
        try:
            value = await attempt(context)
        except Exception as error:  # noqa: BLE001 - the classifier knows it, or _raised re-raises it
            self._raised(run, context, permit, slot, error)
        except BaseException:
            self._abandon(permit, slot)
            raise
        else:
            self._answered(run, context, permit, slot, value)
