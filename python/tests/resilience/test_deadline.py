"""Deadlines (SEMANTICS.md §5) beyond the vectors: typed errors and what Python's int() would wrongly accept."""

from __future__ import annotations

import pytest

from checkout_payments.resilience import (
    DeadlineExceededError,
    ErrorClass,
    ResilienceError,
    Role,
    attempt_cap_ms,
    attempt_starts,
    attempt_timeout_ms,
    deadline_from_header,
    deadline_header_ms,
    sleep_allowed,
)


@pytest.mark.parametrize("header", ["١٥٠٠", "1_500", " 1500", "1500\n", "+1500", "１５００", "12345678901"])
def test_headers_python_int_would_take_are_invalid_requests(header: str) -> None:
    with pytest.raises(ResilienceError) as raised:
        deadline_from_header(0, header, 70000)
    assert raised.value.error_class is ErrorClass.INVALID_REQUEST
    assert raised.value.http_status == 400
    assert "X-Deadline-Ms" in raised.value.message


def test_a_header_at_or_below_zero_is_deadline_exceeded() -> None:
    for header in ("0", "-0", "-15", "0000000000"):
        with pytest.raises(DeadlineExceededError):
            deadline_from_header(0, header, 70000)


def test_the_header_is_capped_by_the_own_deadline() -> None:
    assert deadline_from_header(10, "9999999999", 70000) == 70010
    assert deadline_from_header(10, None, 70000) == 70010
    assert deadline_from_header(10, "0000001500", 70000) == 1510


def test_an_attempt_without_time_left_is_refused_with_a_typed_error() -> None:
    assert attempt_timeout_ms(0, 15000, 20000) == 15000
    with pytest.raises(DeadlineExceededError) as raised:
        attempt_timeout_ms(70000, 70000, 20000)
    assert raised.value.http_status == 504


def test_without_margin_and_floor_a_sleep_must_end_strictly_before_the_deadline() -> None:
    assert sleep_allowed(0, 999, 1000)
    assert not sleep_allowed(0, 1000, 1000)


def test_a_sleep_must_leave_an_attempt_whose_header_reaches_the_floor() -> None:
    # min(cap, deadline_at - now - delay) - answer_margin_ms >= min_deadline_ms (SEMANTICS.md §8 step 9).
    assert sleep_allowed(64500, 4000, 70000, 20000, 500, 1000)
    assert not sleep_allowed(64501, 4000, 70000, 20000, 500, 1000)
    assert not sleep_allowed(65999, 4000, 70000, 20000, 500, 1000)
    # The cap counts too: an origin whose full attempt would send less than the floor never sleeps.
    assert not sleep_allowed(0, 1000, 70000, 1000, 500, 600)
    assert sleep_allowed(0, 1000, 70000, 70000, 500, 600)


def test_a_header_below_the_floor_is_an_invalid_request_naming_header_value_and_floor() -> None:
    with pytest.raises(ResilienceError) as raised:
        deadline_from_header(0, "0200", 70000, min_deadline_ms=1000)
    assert raised.value.error_class is ErrorClass.INVALID_REQUEST
    assert raised.value.http_status == 400
    assert raised.value.message == (
        "X-Deadline-Ms is 200 ms, below min_deadline_ms 1000; "
        "expected at least 1000 ms (or a value <= 0 for a deadline already spent)"
    )
    assert deadline_from_header(0, "1000", 70000, 1000) == 1000


def test_the_old_three_argument_parse_accepts_every_positive_value() -> None:
    assert deadline_from_header(0, "1", 70000) == 1
    with pytest.raises(DeadlineExceededError):
        deadline_from_header(0, "0", 70000, min_deadline_ms=1000)


def test_the_cap_is_the_timeout_for_an_origin_and_the_deadline_for_a_relay() -> None:
    assert attempt_cap_ms(Role.ORIGIN, 20000, 70000) == 20000
    assert attempt_cap_ms(Role.RELAY, 20000, 70000) == 70000


def test_an_attempt_within_the_answer_margin_does_not_start() -> None:
    # Without a floor (the default 1) the shortest attempt is answer_margin_ms + 1.
    assert attempt_timeout_ms(0, 501, 20000, 500) == 501
    with pytest.raises(DeadlineExceededError) as raised:
        attempt_timeout_ms(0, 500, 20000, 500)
    assert "answer_margin_ms 500" in raised.value.message
    assert deadline_header_ms(501, 500) == 1


def test_an_attempt_whose_header_would_be_below_the_floor_does_not_start() -> None:
    assert attempt_timeout_ms(0, 1500, 20000, 500, 1000) == 1500
    assert deadline_header_ms(1500, 500) == 1000
    with pytest.raises(DeadlineExceededError) as raised:
        attempt_timeout_ms(0, 1499, 20000, 500, 1000)
    assert raised.value.http_status == 504
    assert raised.value.message == (
        "an attempt would get 1499 ms and send X-Deadline-Ms 999 (answer_margin_ms 500), "
        "below min_deadline_ms 1000: it does not start"
    )
    assert attempt_starts(1500, 500, 1000)
    assert not attempt_starts(1499, 500, 1000)
