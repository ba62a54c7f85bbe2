"""The retry budget (SEMANTICS.md §4) beyond the vectors: rounding and threads."""

from __future__ import annotations

import threading

import pytest
from kernel_support import budget_settings

from checkout_payments.resilience import Outcome, RetryBudget
from checkout_payments.resilience.budget import ratio_milli


@pytest.mark.parametrize(
    ("token_ratio", "milli"), [(0.001, 1), (0.1, 100), (0.125, 125), (1.001, 1001), (0.057, 57), (1000.0, 1000000)]
)
def test_the_ratio_is_rounded_to_whole_milli_tokens(token_ratio: float, milli: int) -> None:
    assert ratio_milli(token_ratio) == milli


def test_ignored_outcomes_leave_the_bucket_alone() -> None:
    budget = RetryBudget(budget_settings(max_tokens=2))
    budget.record(Outcome.FAILURE)
    budget.record(Outcome.IGNORED)
    assert (budget.tokens_milli, budget.allow_retry()) == (1000, False)


def test_concurrent_outcomes_are_all_counted() -> None:
    budget = RetryBudget(budget_settings(max_tokens=1000, token_ratio=1))
    start = threading.Barrier(8)

    def churn(outcome: Outcome) -> None:
        start.wait()
        for _ in range(2000):
            budget.record(outcome)

    threads = [threading.Thread(target=churn, args=(Outcome.FAILURE,)) for _ in range(4)]
    threads += [threading.Thread(target=churn, args=(Outcome.SUCCESS,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 0 <= budget.tokens_milli <= 1_000_000
    assert budget.tokens_milli % 1000 == 0
