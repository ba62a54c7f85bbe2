"""Keep payment tokens and card numbers out of logs: only the last four characters survive."""

from __future__ import annotations

import re
from typing import Any

# 13–19 digits, optionally grouped by single spaces or dashes: every PAN length in use.
_CARD_LIKE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")


def mask_token(token: str) -> str:
    return "*" * max(len(token) - 4, 4) + token[-4:] if len(token) > 4 else "****"


def scrub(value: Any) -> Any:
    """Mask anything that looks like a card number, in any string nested anywhere in `value`."""
    if isinstance(value, str):
        return _CARD_LIKE.sub(_mask_match, value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def _mask_match(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "*" * (len(digits) - 4) + digits[-4:]
