"""Config fingerprints survive the card-number mask; card numbers next to them do not."""

from __future__ import annotations

import json
import logging

from checkout_payments.client import JsonFormatter
from checkout_payments.client.masking import scrub

# A sha256 config fingerprint whose digits include a 19-digit run: card-like on its own.
FINGERPRINT = "e3b0c4fa9876543210987654321afbf4c8996fb92427ae41e4649b934ca49599"
CARD = "4111111111111111"
MASKED = "************1111"


def test_a_fingerprint_is_left_whole_and_a_card_number_next_to_it_is_masked() -> None:
    assert len(FINGERPRINT) == 64
    assert "9876543210987654321" not in scrub(f"x{FINGERPRINT}"), "the fingerprint holds a card-like run"
    assert scrub(FINGERPRINT) == FINGERPRINT
    assert scrub(f"sha256:{FINGERPRINT}") == f"sha256:{FINGERPRINT}"
    assert scrub(f"{FINGERPRINT} 4111 1111 1111 1111") == f"{FINGERPRINT} {MASKED}"
    assert scrub(f"card {CARD} config {FINGERPRINT}") == f"card {MASKED} config {FINGERPRINT}"
    assert scrub({"fingerprint": FINGERPRINT, "note": CARD}) == {"fingerprint": FINGERPRINT, "note": MASKED}


def test_only_64_hex_characters_standing_alone_are_a_fingerprint() -> None:
    # A PAN glued onto a fingerprint makes an 81-character hex run: no sha256, so masked.
    assert CARD not in scrub(FINGERPRINT + "f" + CARD)
    assert "9876543210987654321" not in scrub("x" + FINGERPRINT)
    assert "9876543210987654321" not in scrub(FINGERPRINT[1:])


def test_a_json_log_line_keeps_the_fingerprint_and_masks_the_card() -> None:
    record = logging.LogRecord("checkout_payments.client", logging.INFO, __file__, 1, "loaded", None, None)
    record.fields = {"config": {"fingerprint": FINGERPRINT}, "note": f"card {CARD}"}

    line = json.loads(JsonFormatter().format(record))

    assert line["config"]["fingerprint"] == FINGERPRINT
    assert line["note"] == f"card {MASKED}"
