"""`ReloadingConfig`: edits of the config file are taken up on use; an invalid edit keeps the last good config."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gateway_fake import FakeGateway, Step, error_body
from prometheus_client import CollectorRegistry
from short_config import short_config_file

from checkout_payments.client import PaymentClient, PaymentUpstreamUnavailableError, ReloadingConfig
from checkout_payments.client.masking import scrub
from checkout_payments.config import ConfigError, load_config
from checkout_payments.resilience import BreakerState

INTERVAL_MS = 500


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000

    def __call__(self) -> int:
        return self.now


def edit(path: Path, pointer: str, value: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    *parents, last = pointer.strip("/").split("/")
    target = document
    for part in parents:
        target = target[part]
    target[last] = value
    path.write_text(json.dumps(document), encoding="utf-8")


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [dict(record.__dict__["fields"]) for record in caplog.records if record.getMessage() == name]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return short_config_file(tmp_path)


@pytest.fixture
def source(path: Path, clock: FakeClock) -> ReloadingConfig:
    return ReloadingConfig(path, interval_ms=INTERVAL_MS, clock=clock)


def test_an_edit_is_taken_up_once_the_interval_has_passed(
    source: ReloadingConfig, path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "checkout_payments.client")
    first = source.fingerprint
    edit(path, "/version", "edited")

    clock.now += INTERVAL_MS - 1
    assert source.current().fingerprint == first  # not looked at yet
    clock.now += 1
    reloaded = source.current()

    assert reloaded.settings.version == "edited"
    assert reloaded.fingerprint == load_config(path).fingerprint != first
    assert source.fingerprint == reloaded.fingerprint
    assert source.reloads == 1
    [logged] = events(caplog, "config_reloaded")
    # Log fields go through the card mask, which also hits a hex fingerprint's long runs of digits.
    assert (logged["previous_fingerprint"], logged["fingerprint"]) == (scrub(first), scrub(reloaded.fingerprint))


def test_an_invalid_edit_keeps_the_last_good_config_and_logs_every_violation_once(
    source: ReloadingConfig, path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    good = source.current()
    edit(path, "/payment/timeout_ms", -1)
    edit(path, "/payment/retry/max_attempts", "three")

    for _ in range(3):
        clock.now += INTERVAL_MS
        assert source.current() is good

    [refused] = events(caplog, "config_reload_refused")
    pointers = {violation["pointer"] for violation in refused["violations"]}
    assert pointers == {"/payment/timeout_ms", "/payment/retry/max_attempts"}
    assert refused["kept_fingerprint"] == scrub(good.fingerprint)
    assert refused["error_class"] == "INVALID_CONFIG"
    assert source.refusals == 1

    edit(path, "/payment/timeout_ms", 500)
    edit(path, "/payment/retry/max_attempts", 3)
    clock.now += INTERVAL_MS
    assert source.current().settings.payment.timeout_ms == 500
    assert source.reloads == 1


def test_a_lint_error_is_refused_like_a_schema_error(
    source: ReloadingConfig, path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    good = source.current()
    edit(path, "/payment/timeout_ms", 200)  # below provider_expected_p99_ms (300): the incident's mistake

    clock.now += INTERVAL_MS
    assert source.current() is good
    [refused] = events(caplog, "config_reload_refused")
    assert [v["rule"] for v in refused["violations"]] == ["payment-timeout-covers-p99"]


def test_a_missing_file_keeps_the_last_good_config(source: ReloadingConfig, path: Path, clock: FakeClock) -> None:
    good = source.current()
    path.unlink()

    clock.now += INTERVAL_MS
    assert source.current() is good
    assert source.refusals == 1


def test_an_invalid_file_at_start_is_refused(path: Path) -> None:
    edit(path, "/payment/timeout_ms", "20s")

    with pytest.raises(ConfigError) as refused:
        ReloadingConfig(path)
    assert [v.pointer for v in refused.value.violations] == ["/payment/timeout_ms"]


def test_a_client_call_runs_on_the_config_in_force_when_it_starts(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway, source: ReloadingConfig, path: Path, clock: Any
) -> None:
    client = make_client(gateway.url, config=source, clock=clock)
    client.pay("order-r1", 100, "EUR", "tok_a")
    edit(path, "/payment/deadline_ms", 1800)
    clock.now += INTERVAL_MS

    client.pay("order-r2", 100, "EUR", "tok_b")

    # A relay's attempt gets the whole deadline; its header keeps answer_margin_ms (50) back.
    assert [seen.deadline_ms for seen in gateway.posts()] == ["1950", "1750"]
    assert client.config.fingerprint == source.fingerprint == load_config(path).fingerprint


def test_an_unrelated_edit_keeps_an_open_breaker_open_and_a_breaker_edit_rebuilds_it(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway, source: ReloadingConfig, path: Path, clock: Any
) -> None:
    client = make_client(gateway.url, config=source)
    failing = Step(502, error_body("UPSTREAM_UNAVAILABLE", "provider down", status="failed"))
    gateway.script_post(*[failing] * 3)  # failure_threshold of the short config
    for n in range(3):
        with pytest.raises(PaymentUpstreamUnavailableError):
            client.pay(f"order-b{n}", 100, "EUR", "tok_a")
    assert client.stats.breaker_state is BreakerState.OPEN

    edit(path, "/version", "unrelated-edit")
    clock.now += INTERVAL_MS
    assert client.config.settings.version == "unrelated-edit"
    assert client.stats.breaker_state is BreakerState.OPEN

    edit(path, "/payment/circuit_breaker/failure_threshold", 4)
    clock.now += INTERVAL_MS
    assert client.config.settings.payment.circuit_breaker.failure_threshold == 4
    assert (client.stats.breaker_state, client.stats.breaker_generation) == (BreakerState.CLOSED, 0)


def test_the_config_info_metric_shows_only_the_config_in_force(
    make_client: Callable[..., PaymentClient], gateway: FakeGateway, source: ReloadingConfig, path: Path, clock: Any
) -> None:
    registry = CollectorRegistry()
    client = make_client(gateway.url, config=source, registry=registry)
    first, first_version = source.fingerprint, source.current().settings.version
    edit(path, "/version", "second")
    clock.now += INTERVAL_MS

    second = client.config.fingerprint

    def info(version: str, fingerprint: str) -> float | None:
        labels = {"service": "payment-client", "version": version, "fingerprint": fingerprint}
        return registry.get_sample_value("checkout_config_info", labels)

    assert second != first
    assert info("second", second) == 1
    assert info(first_version, first) is None


def test_an_edit_with_lint_warnings_is_rejected_and_the_last_good_config_stays(
    source: ReloadingConfig, path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # The case: the replay-only legacy switch must not be turned on in a running client.
    good = source.current()
    edit(path, "/order_service/legacy_hold_connection_during_payment", True)

    for _ in range(3):
        clock.now += INTERVAL_MS
        assert source.current() is good

    [rejected] = events(caplog, "config_reload_rejected")
    assert [f["rule"] for f in rejected["findings"]] == ["legacy-hold-connection-off"]
    assert rejected["findings"][0]["pointer"] == "/order_service/legacy_hold_connection_during_payment"
    assert rejected["kept_fingerprint"] == scrub(good.fingerprint)
    assert (source.refusals, source.reloads) == (1, 0)
    assert events(caplog, "config_reloaded") == []

    edit(path, "/order_service/legacy_hold_connection_during_payment", False)
    edit(path, "/version", "fixed")
    clock.now += INTERVAL_MS
    assert source.current().settings.version == "fixed"
    assert source.reloads == 1


def test_a_config_with_warnings_is_allowed_at_start_and_logged(
    path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "checkout_payments.client")
    edit(path, "/payment/retry/jitter_ms", 0)

    source = ReloadingConfig(path, interval_ms=INTERVAL_MS, clock=clock)

    assert source.current().settings.payment.retry.jitter_ms == 0
    [logged] = events(caplog, "config_loaded_with_warnings")
    assert [f["rule"] for f in logged["findings"]] == ["retry-jitter-present"]
    # The file unchanged is no reload and no rejection.
    clock.now += INTERVAL_MS
    assert source.current().settings.payment.retry.jitter_ms == 0
    assert (source.refusals, events(caplog, "config_reload_rejected")) == (0, [])
