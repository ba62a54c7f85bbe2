"""The call's deadline: a relay attempt gets what is left of it, sends it less answer_margin_ms, and starts only
when there is time (config/SEMANTICS.md §5)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from gateway_fake import FakeGateway, Step
from manual_clock import ManualClock

from checkout_payments.client import PaymentClient, PaymentDeadlineExceededError

TOKEN = "tok_visa_4242"
MARGIN_MS = 50  # the shortened config's payment.answer_margin_ms


def test_the_deadline_header_is_the_remaining_deadline_less_the_answer_margin(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway
) -> None:
    client = make_client(gateway.url, clock=ManualClock())

    client.pay("order-d1", 100, "EUR", TOKEN)
    client.pay("order-d2", 100, "EUR", TOKEN, deadline_ms=250)
    # A caller's deadline only shortens the config's (2000 ms), never lengthens it.
    client.pay("order-d3", 100, "EUR", TOKEN, deadline_ms=10_000_000)

    assert [seen.deadline_ms for seen in gateway.posts()] == ["1950", "200", "1950"]


def test_the_deadline_header_never_exceeds_the_attempt_timeout_on_a_real_clock(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    client.pay("order-d4", 100, "EUR", TOKEN, deadline_ms=250)
    [seen] = gateway.posts()
    assert seen.deadline_ms is not None
    assert 0 < int(seen.deadline_ms) <= 250 - MARGIN_MS


def test_an_attempt_cut_by_the_deadline_ends_deadline_exceeded_with_an_unknown_outcome(
    client: PaymentClient, gateway: FakeGateway
) -> None:
    gateway.script_post(Step(charge=True, hang=True))

    with pytest.raises(PaymentDeadlineExceededError) as raised:
        client.pay("order-d5", 100, "EUR", TOKEN, idempotency_key="idem-cut-5", deadline_ms=150)

    assert (raised.value.outcome, raised.value.attempts) == ("unknown", 1)
    assert "ran out of its 150 ms deadline during attempt 1" in raised.value.message
    # 150 ms is less than min(timeout_ms, provider_expected_p99_ms) = 300 ms: a caller's short deadline is
    # no evidence against the gateway (§5's evidence rule), so no budget token is taken.
    assert client.stats.budget_tokens == 10.0


def test_no_time_for_an_attempt_fails_without_calling_the_gateway(client: PaymentClient, gateway: FakeGateway) -> None:
    with pytest.raises(PaymentDeadlineExceededError) as raised:
        client.pay("order-d6", 100, "EUR", TOKEN, deadline_ms=0)

    assert (raised.value.outcome, raised.value.attempts) == ("failed", 0)
    assert gateway.posts() == []
