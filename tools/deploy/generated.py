"""deploy/base/generated/: config/timeout.json as kustomize may load it, and the fleet's replicas.

kustomize's load restrictor refuses files outside a kustomization's root, so the ConfigMap's source is a
byte-for-byte copy of config/timeout.json inside deploy/, written here and checked by `--check` and by
tests/deploy. The replicas of both Deployments are the config's `fleet` numbers: the config lint checks the
connection budget with them, so the manifests take them from the config instead of repeating them by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config" / "timeout.json"
GENERATED = REPO / "deploy" / "base" / "generated"
# The Deployment each fleet field sizes (deploy/base/*.yaml).
REPLICAS = {"gateway_replicas": "checkout-gateway", "order_service_replicas": "checkout-order-service"}
CONFIGMAP = "checkout-config"
CONFIG_KEY = "timeout.json"


class FleetError(ValueError):
    """config/timeout.json lacks a usable `fleet` section."""


@dataclass(frozen=True)
class Fleet:
    """The replica counts of config/timeout.json's `fleet` section, by Deployment name."""

    replicas: dict[str, int]

    @classmethod
    def from_config(cls, text: bytes) -> Fleet:
        document: Any = json.loads(text)
        fleet = document.get("fleet") if isinstance(document, dict) else None
        if not isinstance(fleet, dict):
            raise FleetError(f"{CONFIG}: /fleet is {fleet!r}; expected an object with {', '.join(REPLICAS)}")
        replicas: dict[str, int] = {}
        for field, deployment in REPLICAS.items():
            count = fleet.get(field)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise FleetError(f"{CONFIG}: /fleet/{field} is {count!r}; expected an integer >= 1")
            replicas[deployment] = count
        return cls(replicas)


def component(fleet: Fleet) -> str:
    """The kustomize Component that makes the ConfigMap and sets the replicas."""
    lines = [
        "# generated from config/timeout.json by `python -m tools.deploy` — do not edit",
        "apiVersion: kustomize.config.k8s.io/v1alpha1",
        "kind: Component",
        "configMapGenerator:",
        f"  - name: {CONFIGMAP}",
        "    files:",
        f"      - {CONFIG_KEY}",
        "replicas:",
    ]
    for deployment, count in fleet.replicas.items():
        lines += [f"  - name: {deployment}", f"    count: {count}"]
    return "\n".join(lines) + "\n"


def files(config: bytes | None = None) -> dict[Path, bytes]:
    """Every generated file and its exact bytes."""
    text = CONFIG.read_bytes() if config is None else config
    return {
        GENERATED / CONFIG_KEY: text,
        GENERATED / "kustomization.yaml": component(Fleet.from_config(text)).encode(),
    }


def stale(wanted: dict[Path, bytes]) -> list[Path]:
    """The files whose bytes on disk differ from `wanted` (or that are missing)."""
    return [path for path, data in sorted(wanted.items()) if not path.is_file() or path.read_bytes() != data]


def write(wanted: dict[Path, bytes]) -> list[Path]:
    """Write the stale files; returns them."""
    changed = stale(wanted)
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wanted[path])
    return changed
