"""One edit of the config file while everything runs reaches all three — the gateway, the order service
and the Python client — and an invalid edit is refused by all three, each keeping its last good config.

The stack reads a copy of config/timeout.json (tests/e2e/e2e_stack.py); editing that copy is the
edit. Each side polls: the services every --reload-interval-ms, the client on use (ReloadingConfig).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_stack import RELOAD_INTERVAL_MS, SERVICES, Surfaces, wait_until

from checkout_payments.client import PaymentClient
from checkout_payments.config import load_config
from tools.stack.configs import read_config, value_at, write_config

# "Within a few seconds": a poll interval, plus a busy machine.
PICKED_UP_S = 5.0
REFUSAL_EVENTS = {"gateway": "config_reload_refused", "order-service": "config_reload_rejected"}


@pytest.fixture
def config_path(e2e: Surfaces) -> Iterator[Path]:
    """The running stack's config file, put back as it was (and seen by everyone) after the test."""
    path = e2e.stack.options.config_path
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")
    fingerprint = load_config(path).fingerprint
    wait_until("the original config back everywhere", lambda: fingerprints(e2e, None) == {fingerprint}, PICKED_UP_S)


def fingerprints(e2e: Surfaces, client: PaymentClient | None) -> set[str]:
    found = {e2e.fingerprint(service) for service in SERVICES}
    if client is not None:
        found.add(client.config.fingerprint)
    return found


def edited(path: Path, pointer: str, value: Any) -> dict[str, Any]:
    document = read_config(path)
    parent_pointer, _, name = pointer.rpartition("/")
    value_at(document, parent_pointer)[name] = value
    return document


def logged_refusal(e2e: Surfaces, service: str, pointer: str) -> bool:
    """Whether the service's log has a refusal naming `pointer` that keeps the last good config."""
    for line in e2e.stack.services[service].log_text().splitlines():
        if REFUSAL_EVENTS[service] in line and pointer in line:
            return True
    return False


def test_one_edit_reaches_all_three_within_seconds(e2e: Surfaces, config_path: Path) -> None:
    with e2e.client() as client:
        before = client.config.fingerprint
        assert fingerprints(e2e, client) == {before}
        new_timeout = value_at(read_config(config_path), "/payment/timeout_ms") - 100

        started = time.monotonic()
        write_config(edited(config_path, "/payment/timeout_ms", new_timeout), config_path)
        expected = load_config(config_path).fingerprint
        wait_until("the new fingerprint everywhere", lambda: fingerprints(e2e, client) == {expected}, PICKED_UP_S)
        took_s = time.monotonic() - started

        assert expected != before
        assert client.config.settings.payment.timeout_ms == new_timeout
        assert client.pay("order-reloaded", 1999, "EUR", "tok_visa_4242").status == "authorised"
    print(f"\nconfig edit seen by gateway, order service and Python client after {took_s:.2f} s")
    assert took_s < PICKED_UP_S
    for service in SERVICES:
        assert e2e.metric(service, "checkout_config_reloads_total", result="success") >= 1
        assert e2e.metric(service, "checkout_config_info", fingerprint=expected) == 1


def test_an_invalid_edit_is_refused_by_all_three_and_the_last_good_config_stays(
    e2e: Surfaces, config_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, "checkout_payments.client")
    pointer = "/payment/retry/max_attempts"
    with e2e.client() as client:
        good = client.config.fingerprint
        failures_before = {s: e2e.metric(s, "checkout_config_reloads_total", result="failure") for s in SERVICES}

        write_config(edited(config_path, pointer, "three"), config_path)
        for service in SERVICES:
            wait_until(f"{service} logs the refusal", lambda s=service: logged_refusal(e2e, s, pointer), PICKED_UP_S)
        time.sleep(RELOAD_INTERVAL_MS / 1000)  # the client looks on use, once its interval has passed
        assert client.config.fingerprint == good

        refusals = [r.__dict__["fields"] for r in caplog.records if r.getMessage() == "config_reload_refused"]
        assert [v["pointer"] for v in refusals[0]["violations"]] == [pointer]
        assert fingerprints(e2e, client) == {good}
        assert client.pay("order-kept-config", 1999, "EUR", "tok_visa_4242").status == "authorised"
    for service in SERVICES:
        after = e2e.metric(service, "checkout_config_reloads_total", result="failure")
        assert after == failures_before[service] + 1, service
        assert e2e.health(service)["config"]["fingerprint"] == good
    assert json.loads(config_path.read_text(encoding="utf-8"))["payment"]["retry"]["max_attempts"] == "three"
