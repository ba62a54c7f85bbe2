"""Session fixtures of the real-stack tests: one stack, one client, one Prometheus, all stopped at the end.

Started only when a test asks for them, so the promtool tests run without a build. Run from the repo root
with `python -m pytest` (as `nox -s monitoring` does), so `tools.stack` and `tools.codegen` import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_server import Prometheus
from real_stack import CLIENT_JOB, GATEWAY_JOB, ORDER_JOB, SCALE, ClientService, place_order, scrape, write_short_config

from tools.codegen.emit_monitoring import rules
from tools.codegen.model import load_schema
from tools.stack import Stack, StackOptions

# A few payments, so every series that appears on first use (attempts, latency, requests) exists.
WARM_UP_PAYMENTS = 3


@dataclass
class RealServices:
    stack: Stack
    client: ClientService
    config_path: Path
    # Each service's /metrics before its first payment: what increase() has to start from.
    at_start: dict[str, str]

    @property
    def urls(self) -> dict[str, str]:
        return {
            GATEWAY_JOB: self.stack.gateway.url,
            ORDER_JOB: self.stack.order_service.url,
            CLIENT_JOB: self.client.url,
        }

    def scrapes(self) -> dict[str, str]:
        return {job: scrape(url) for job, url in self.urls.items()}


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServices]:
    workdir = tmp_path_factory.mktemp("real-stack")
    config_path = write_short_config(workdir / "timeout.json")
    with Stack(StackOptions(config_path=config_path, workdir=workdir)) as stack:
        client = ClientService(stack.gateway.url, write_short_config(workdir / "client" / "timeout.json"))
        try:
            running = RealServices(stack, client, config_path, {})
            running.at_start = running.scrapes()
            for _ in range(WARM_UP_PAYMENTS):
                assert client.pay() == "authorised"
                # Through the order service too, so its upstream attempts and latency exist.
                assert place_order(stack.order_service.url) == "PAID"
            yield running
        finally:
            client.close()
    assert stack.leftovers() == []


@pytest.fixture(scope="session")
def prometheus(services: RealServices, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prometheus]:
    """Prometheus with the rules generated from the shortened config at SCALE, scraping the three services."""
    scaled_rules = rules(load_schema(), services.config_path, SCALE)
    with Prometheus(tmp_path_factory.mktemp("prometheus"), scaled_rules, services.urls) as running:
        running.wait_for(
            "every target scraped and up",
            lambda: True if set(running.targets().values()) == {"up"} and len(running.targets()) == 3 else None,
            timeout_s=60,
        )
        yield running
    assert running.popen is not None
    assert running.popen.poll() is not None, "prometheus still runs"
