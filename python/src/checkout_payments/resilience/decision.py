"""Steps 5–10 of one call (config/SEMANTICS.md §8): after an attempt ended, end the call or sleep and retry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checkout_payments.generated.timeout_config import RetrySettings
from checkout_payments.resilience.backoff import backoff_delay_ms
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.deadline import sleep_allowed
from checkout_payments.resilience.role import Role, is_retried
from checkout_payments.resilience.taxonomy import ErrorClass


@dataclass(frozen=True, slots=True)
class Decision:
    """Sleep `delay_ms` and retry, or (`delay_ms` None) end the call with `ends_with` (None: success)."""

    delay_ms: int | None
    ends_with: ErrorClass | None

    @property
    def retries(self) -> bool:
        return self.delay_ms is not None


SUCCEEDED = Decision(None, None)


def decide(
    attempt: int,
    ended_with: ErrorClass | None,
    downstream_retryable: bool | None,
    now: int,
    deadline_at: int,
    role: Role,
    retry: RetrySettings,
    budget: RetryBudget,
    rand: Callable[[], float],
    *,
    cap_ms: int | None = None,
    answer_margin_ms: int = 0,
    min_deadline_ms: int = 1,
) -> Decision:
    """The decision after attempt `attempt` ended at `now` with `ended_with` (None: success).

    Made once per finished attempt: it draws from `rand` exactly when it computes a delay (step 9),
    so whoever asks it must not ask twice. A delay is slept only if the attempt after it would start
    (step 10, `sleep_allowed`): pass the call site's cap, `answer_margin_ms` and `min_deadline_ms`
    (the defaults allow any sleep that ends before the deadline).
    """
    if ended_with is None or ended_with is ErrorClass.DECLINED:
        return Decision(None, ended_with)
    if not is_retried(ended_with, role, downstream_retryable) or attempt >= retry.max_attempts:
        return Decision(None, ended_with)
    if not budget.allow_retry():
        return Decision(None, ErrorClass.RETRY_BUDGET_EXHAUSTED)
    delay = backoff_delay_ms(attempt, retry, rand())
    if not sleep_allowed(now, delay, deadline_at, cap_ms, answer_margin_ms, min_deadline_ms):
        return Decision(None, ErrorClass.DEADLINE_EXCEEDED)
    return Decision(delay, None)
