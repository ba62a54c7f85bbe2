"""Fixtures: a fake gateway on 127.0.0.1 per test (its API contract checked at teardown) and a shortened config."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from gateway_fake import FakeGateway
from short_config import short_config

from checkout_payments.client import PaymentClient
from checkout_payments.config import LoadedConfig


@pytest.fixture
def make_gateway() -> Iterator[Callable[..., FakeGateway]]:
    made: list[FakeGateway] = []

    def make(port: int = 0) -> FakeGateway:
        gateway = FakeGateway(port)
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        gateway.close()
    for gateway in made:
        assert gateway.contract_violations == [], "the fake gateway saw or gave something off its API"


@pytest.fixture
def gateway(make_gateway: Callable[..., FakeGateway]) -> FakeGateway:
    return make_gateway().start()


@pytest.fixture
def config(tmp_path: Path) -> LoadedConfig:
    return short_config(tmp_path)


@pytest.fixture
def make_client(config: LoadedConfig) -> Iterator[Callable[..., PaymentClient]]:
    made: list[PaymentClient] = []

    def make(url: str, **options: Any) -> PaymentClient:
        client = PaymentClient(url, **{"config": config, **options})
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., PaymentClient], gateway: FakeGateway) -> PaymentClient:
    return make_client(gateway.url)


@pytest.fixture
def free_port() -> int:
    """A port nothing listens on (yet): connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
