"""The tenacity strategies of the call loop (call.py): the decision is made once, by the retry predicate.

tenacity ≥ 8.3 runs `wait` before `stop`, so a draw inside `wait` would be spent even when the call
then stops; the `retry` predicate, which runs first, makes the whole step 5–10 decision once per
finished attempt, and `wait` and `stop` only read it.
"""

from __future__ import annotations

from typing import Protocol

from tenacity import RetryCallState
from tenacity.retry import retry_base
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from checkout_payments.resilience.decision import Decision


class DecidedRun(Protocol):
    """One call in progress, as tenacity hands it to the strategies (the attempt's first argument)."""

    # None while an attempt's end is undecided.
    decision: Decision | None

    def decide(self) -> Decision:
        """Steps 5–10 for the attempt that just ended."""
        ...


def _run_of(retry_state: RetryCallState) -> DecidedRun:
    run: DecidedRun = retry_state.args[0]
    return run


class _RetryAsDecided(retry_base):
    """tenacity's retry predicate, which runs first after each attempt: the one place the decision is made."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        run = _run_of(retry_state)
        if run.decision is None:
            outcome = retry_state.outcome
            if outcome is not None and outcome.failed:
                # An exception no classifier knows: no decision to make, tenacity re-raises it.
                return False
            run.decision = run.decide()
        return run.decision.retries


class _WaitAsDecided(wait_base):
    """The decided delay, in the seconds tenacity counts in (the loop sleeps the exact integer ms)."""

    def __call__(self, retry_state: RetryCallState) -> float:
        decision = _run_of(retry_state).decision
        return 0.0 if decision is None or decision.delay_ms is None else decision.delay_ms / 1000


class _StopAsDecided(stop_base):
    """Stops when the decision ends the call; reached only after the predicate asked for a retry."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        decision = _run_of(retry_state).decision
        return decision is None or not decision.retries


RETRY = _RetryAsDecided()
WAIT = _WaitAsDecided()
STOP = _StopAsDecided()
