"""Reading what `kustomize build` rendered: documents by kind and name, container flags, ports and hooks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.deploy import generated, kustomize

DEPLOY = generated.REPO / "deploy"
# Every kustomization a team may apply: the base alone renders too (and must validate).
TREES = ("base", "overlays/production")
# The gateway's own cap on a drain when --stop-grace-ms is not given (GatewayOptions.DEFAULT_STOP_GRACE_MS).
GATEWAY_DEFAULT_STOP_GRACE_MS = 25_000


@dataclass(frozen=True)
class Rendered:
    """The documents one `kustomize build` printed."""

    tree: str
    documents: tuple[dict[str, Any], ...]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [document for document in self.documents if document["kind"] == kind]

    def named(self, kind: str, name: str) -> dict[str, Any]:
        found = [document for document in self.of_kind(kind) if document["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.tree}: expected one {kind} {name}, found {len(found)}"
        return found[0]

    def generated_configmap(self, prefix: str) -> dict[str, Any]:
        """The ConfigMap a configMapGenerator named `prefix` made (its name is `prefix-<content hash>`)."""
        found = [c for c in self.of_kind("ConfigMap") if c["metadata"]["name"].rsplit("-", 1)[0] == prefix]
        assert len(found) == 1, f"{self.tree}: expected one ConfigMap {prefix}-<hash>, found {len(found)}"
        return found[0]


def render(directory: Path) -> Rendered:
    text = kustomize.build(directory)
    documents = tuple(document for document in yaml.safe_load_all(text) if document is not None)
    return Rendered(str(directory.relative_to(DEPLOY)) if directory.is_relative_to(DEPLOY) else "copy", documents)


def containers(rendered: Rendered) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(Deployment, container) for every container of every Deployment."""
    for deployment in rendered.of_kind("Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            yield deployment, container


def flag(container: dict[str, Any], name: str) -> str:
    """The value of `--name=value` in the container's args (the manifests write every flag that way)."""
    values = [arg.split("=", 1)[1] for arg in container.get("args", []) if arg.startswith(f"{name}=")]
    assert len(values) == 1, f"container {container['name']}: expected one {name}=VALUE in {container.get('args')}"
    return values[0]


def container_port(container: dict[str, Any], port: int | str) -> int:
    """A probe's or Service's port, resolved by name against the container's ports."""
    if isinstance(port, int):
        return port
    numbers = [p["containerPort"] for p in container.get("ports", []) if p.get("name") == port]
    assert len(numbers) == 1, f"container {container['name']}: no port named {port!r}"
    number: int = numbers[0]
    return number


def pre_stop_sleep_ms(container: dict[str, Any]) -> int:
    """How long the preStop hook sleeps (`sleep N` or the native sleep action), 0 without one."""
    pre_stop = container.get("lifecycle", {}).get("preStop")
    if pre_stop is None:
        return 0
    if "sleep" in pre_stop:
        return int(pre_stop["sleep"]["seconds"]) * 1000
    command = pre_stop["exec"]["command"]
    assert command[:1] == ["sleep"], f"preStop {command} is not a plain sleep"
    assert len(command) == 2, f"preStop {command} is not a plain sleep"
    return int(command[1]) * 1000
