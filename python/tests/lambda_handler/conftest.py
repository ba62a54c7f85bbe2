"""Fixtures: a fake gateway, a shortened config, and the handler's environment pointing at both.

The handler keeps its client per container (module level); every test starts a fresh container.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gateway_fake import FakeGateway
from short_config import short_config_file

from checkout_payments import payment_handler
from checkout_payments.config.loader import ENV_VAR
from checkout_payments.lambda_.runtime import GATEWAY_URL_ENV


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway().start()
    yield fake
    fake.close()
    assert fake.contract_violations == [], "the fake gateway saw or gave something off its API"


@pytest.fixture
def lambda_env(gateway: FakeGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGateway]:
    """A cold container: the handler's env names the fake gateway and a shortened config (margin 300 ms)."""
    monkeypatch.setenv(GATEWAY_URL_ENV, gateway.url)
    monkeypatch.setenv(ENV_VAR, str(short_config_file(tmp_path)))
    payment_handler.close_runtime()
    yield gateway
    payment_handler.close_runtime()
