"""Backoff (SEMANTICS.md §2) beyond the vectors."""

from __future__ import annotations

import pytest
from kernel_support import RETRY, retry_settings

from checkout_payments.resilience import backoff_delay_ms


def test_the_incident_fix_backs_off_two_four_eight_seconds_plus_jitter() -> None:
    assert [backoff_delay_ms(n, RETRY, 0.0) for n in (1, 2, 3, 4)] == [2000, 4000, 8000, 8000]
    assert backoff_delay_ms(4, RETRY, 0.9999999999999999) == 8499


def test_a_huge_retry_number_is_cheap_and_capped() -> None:
    settings = retry_settings(backoff_multiplier=1.0000000000000002, max_delay_ms=3600000)
    assert backoff_delay_ms(10**9, settings, 0.0) == 2000
    assert backoff_delay_ms(10**9, RETRY, 0.0) == 8000


def test_retry_numbers_start_at_one() -> None:
    with pytest.raises(ValueError, match="retry must be at least 1, but was 0"):
        backoff_delay_ms(0, RETRY, 0.5)
