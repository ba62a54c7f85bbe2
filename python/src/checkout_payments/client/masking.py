"""The one rule that keeps card data out of logs and messages: every log line of the client and the Lambda goes
through `scrub`, and every error message through `redact` (`scrub` plus the call's own secrets)."""

from __future__ import annotations

import re
from typing import Any

from checkout_payments.generated.vocabulary import CARD_LIKE_PATTERN, FINGERPRINT_PATTERN, LAST_DIGITS_SHOWN

# The rule is config/vocabulary.json's (`masking`), generated alike into the gateway's Masking.java and the
# order service's mask.ts: 13–19 digits, optionally grouped by single spaces or dashes (every card number
# length in use), outside a config fingerprint (a sha256: exactly 64 lowercase hex characters, standing
# alone), whose digit runs look card-like but never are a card number.
_CARD_LIKE = re.compile(CARD_LIKE_PATTERN)
_FINGERPRINT = re.compile(f"({FINGERPRINT_PATTERN})")
# Fields whose whole value is secret, whatever it looks like (a token need not look like a card number).
SECRET_FIELDS = frozenset({"payment_token", "token", "card_number", "pan", "cvv", "cvc"})
# Fewer characters than this and even the last four would give too much away.
_SHOW_LAST_FOUR_FROM = 12
# A secret this short is no real token; replacing it everywhere would garble a message, not protect it.
_REDACT_FROM = 4


def mask_secret(value: str) -> str:
    """`****` plus, for a long value, its last four characters (what a support agent may see of a card)."""
    return "****" + value[-4:] if len(value) >= _SHOW_LAST_FOUR_FROM else "****"


def scrub(value: Any) -> Any:
    """`value` with every secret field masked and every card-like number masked, however deeply nested."""
    if isinstance(value, str):
        return _mask_cards(value)
    if isinstance(value, dict):
        return {
            key: mask_secret(str(item)) if str(key).lower() in SECRET_FIELDS and item is not None else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` with every one of `secrets` (a payment token the call carries) masked, then `scrub`bed.

    For messages built from someone else's words (the gateway's error text, an echoed field): a token
    need not look like a card number, so the call's own token is replaced wherever it appears.
    """
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _REDACT_FROM:
            text = text.replace(secret, mask_secret(secret))
    return _mask_cards(text)


def _mask_cards(text: str) -> str:
    # split() with a capturing group alternates text, fingerprint, text, …: only the text is masked.
    parts = _FINGERPRINT.split(text)
    return "".join(part if index % 2 else _CARD_LIKE.sub(_mask_card, part) for index, part in enumerate(parts))


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"[^0-9]", "", match.group(0))
    return "*" * (len(digits) - LAST_DIGITS_SHOWN) + digits[-LAST_DIGITS_SHOWN:]
