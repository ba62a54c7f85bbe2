"""Keep payment tokens and card numbers out of logs: only the last four characters survive.

The card-like rule is config/vocabulary.json's (`masking`), generated into
`checkout_payments.generated.vocabulary` — the one the client, the Lambda, the gateway and the order
service mask with — never a copy of it: a card-like run of 13–19 ASCII digits, optionally grouped by
single spaces or dashes, outside a config fingerprint (a sha256 standing alone, never a card number).
"""

from __future__ import annotations

import re
from typing import Any

from checkout_payments.generated.vocabulary import CARD_LIKE_PATTERN, FINGERPRINT_PATTERN, LAST_DIGITS_SHOWN

_CARD_LIKE = re.compile(CARD_LIKE_PATTERN)
_FINGERPRINT = re.compile(f"({FINGERPRINT_PATTERN})")


def mask_token(token: str) -> str:
    shown = LAST_DIGITS_SHOWN
    return "*" * max(len(token) - shown, shown) + token[-shown:] if len(token) > shown else "*" * shown


def scrub(value: Any) -> Any:
    """Mask anything that looks like a card number, in any string nested anywhere in `value`."""
    if isinstance(value, str):
        return _mask_cards(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def _mask_cards(text: str) -> str:
    # split() with a capturing group alternates text, fingerprint, text, …: only the text is masked.
    parts = _FINGERPRINT.split(text)
    return "".join(part if index % 2 else _CARD_LIKE.sub(_mask_match, part) for index, part in enumerate(parts))


def _mask_match(match: re.Match[str]) -> str:
    digits = re.sub(r"[^0-9]", "", match.group(0))
    return "*" * (len(digits) - LAST_DIGITS_SHOWN) + digits[-LAST_DIGITS_SHOWN:]
