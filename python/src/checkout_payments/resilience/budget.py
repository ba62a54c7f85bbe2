"""The retry budget of config/SEMANTICS.md §4: a token bucket in integer milli-tokens."""

from __future__ import annotations

import math
import threading

from checkout_payments.generated.timeout_config import RetryBudgetSettings
from checkout_payments.resilience.taxonomy import Outcome

# Module constants: an enum member lookup costs more than the bucket arithmetic on the hot path.
_FAILURE, _SUCCESS = Outcome.FAILURE, Outcome.SUCCESS


def ratio_milli(token_ratio: float) -> int:
    """token_ratio × 1000 rounded half away from zero: 1.001 × 1000 is 1000.9999999999999 as a double."""
    return math.floor(token_ratio * 1000 + 0.5)


class RetryBudget:
    """One bucket per upstream, shared by every call to it; starts full; safe to use from many threads."""

    def __init__(self, settings: RetryBudgetSettings) -> None:
        self._settings = settings
        self._max_milli = settings.max_tokens * 1000
        self._ratio_milli = ratio_milli(settings.token_ratio)
        self._lock = threading.Lock()
        self._tokens_milli = self._max_milli

    @property
    def tokens_milli(self) -> int:
        return self._tokens_milli

    @property
    def settings(self) -> RetryBudgetSettings:
        return self._settings

    def record(self, outcome: Outcome) -> None:
        """A failure takes one token, a success returns `token_ratio`, an ignored outcome changes nothing."""
        if outcome is _FAILURE:
            with self._lock:
                self._tokens_milli = max(0, self._tokens_milli - 1000)
        elif outcome is _SUCCESS:
            with self._lock:
                self._tokens_milli = min(self._max_milli, self._tokens_milli + self._ratio_milli)

    def allow_retry(self) -> bool:
        """True while strictly more than half the bucket is left (exactly half refuses)."""
        return self._tokens_milli * 2 > self._max_milli
