"""The rendered manifests are valid Kubernetes objects and carry config/timeout.json and its fleet exactly."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from manifest_support import DEPLOY, Rendered, containers, render

from tools.deploy import generated

# The oldest Kubernetes minor still supported by the big managed offerings, and the newest the package bundles.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
CONFIG_MOUNT = "/etc/checkout"


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_document_validates_strictly_against_the_kubernetes_schemas(rendered: Rendered, version: str) -> None:
    assert rendered.documents, f"{rendered.tree} rendered nothing"
    problems = []
    for document in rendered.documents:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except (kubernetes_validate.ValidationError, kubernetes_validate.SchemaNotFoundError) as error:
            problems.append(f"{document['kind']} {document['metadata'].get('name')}: {error}")
    assert problems == [], f"{rendered.tree} against Kubernetes {version}:\n" + "\n".join(problems)


def test_the_generated_copy_and_replicas_are_current() -> None:
    stale = generated.stale(generated.files())
    assert stale == [], f"stale {[str(p.relative_to(generated.REPO)) for p in stale]}: run `python -m tools.deploy`"


def test_the_configmap_holds_config_timeout_json_byte_for_byte(rendered: Rendered, config_bytes: bytes) -> None:
    configmap = rendered.generated_configmap(generated.CONFIGMAP)
    assert set(configmap["data"]) == {generated.CONFIG_KEY}
    assert "binaryData" not in configmap
    assert configmap["data"][generated.CONFIG_KEY].encode("utf-8") == config_bytes


def test_the_configmap_name_is_a_hash_of_its_content_and_the_pods_follow_it(tmp_path: Path) -> None:
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy)
    config_copy = copy / "base" / "generated" / generated.CONFIG_KEY
    before = render(copy / "overlays" / "production")
    config_copy.write_bytes(config_copy.read_bytes().replace(b'"version": "', b'"version": "changed-', 1))
    after = render(copy / "overlays" / "production")
    old = before.generated_configmap(generated.CONFIGMAP)["metadata"]["name"]
    new = after.generated_configmap(generated.CONFIGMAP)["metadata"]["name"]
    assert old != new, "a changed config must get a new ConfigMap name, so the Deployments roll out"
    assert old.startswith(f"{generated.CONFIGMAP}-")
    assert new.startswith(f"{generated.CONFIGMAP}-")
    for deployment in after.of_kind("Deployment"):
        names = [v["configMap"]["name"] for v in deployment["spec"]["template"]["spec"]["volumes"] if "configMap" in v]
        assert names == [new], f"{deployment['metadata']['name']} mounts {names}, not the new ConfigMap {new}"


def test_replicas_are_the_config_fleet_numbers_and_at_least_two(rendered: Rendered, config: dict[str, Any]) -> None:
    fleet = config["fleet"]
    for field, name in generated.REPLICAS.items():
        replicas = rendered.named("Deployment", name)["spec"]["replicas"]
        assert replicas == fleet[field], (
            f"{rendered.tree}: {name} has {replicas} replicas, config /fleet/{field} says {fleet[field]}"
        )
        assert replicas >= 2, f"{name}: {replicas} replica(s); a fleet needs at least 2 (config /fleet/{field})"


def test_a_rollout_never_runs_more_pods_than_the_connection_budget_counts(
    rendered: Rendered, config: dict[str, Any]
) -> None:
    pools = {
        "checkout-gateway": config["database"]["gateway_pool"]["max_connections"],
        "checkout-order-service": config["database"]["pool"]["max_connections"],
    }
    fleet = config["fleet"]
    opened = fleet["database_reserved_connections"]
    for name, pool in pools.items():
        deployment = rendered.named("Deployment", name)
        rolling = deployment["spec"]["strategy"]["rollingUpdate"]
        assert deployment["spec"]["strategy"]["type"] == "RollingUpdate"
        assert rolling["maxSurge"] == 0, f"{name}: maxSurge {rolling['maxSurge']} adds pods the fleet budget lacks"
        opened += deployment["spec"]["replicas"] * pool
    assert opened <= fleet["database_max_connections"], (
        f"{opened} connections at most (pools x replicas + reserved)"
        f" > max_connections {fleet['database_max_connections']}"
    )


def test_config_is_mounted_as_a_directory_never_through_subpath(rendered: Rendered) -> None:
    configmap = rendered.generated_configmap(generated.CONFIGMAP)["metadata"]["name"]
    for deployment, container in containers(rendered):
        volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
        mounts = container.get("volumeMounts", [])
        for mount in mounts:
            assert not {"subPath", "subPathExpr"} & mount.keys(), f"{container['name']}: {mount} uses subPath"
        config_mounts = [m for m in mounts if volumes[m["name"]].get("configMap", {}).get("name") == configmap]
        assert [m["mountPath"] for m in config_mounts] == [CONFIG_MOUNT], f"{container['name']}: {config_mounts}"
        assert "items" not in volumes[config_mounts[0]["name"]]["configMap"], "every key of the ConfigMap is mounted"
        config_flag = [a for a in container["args"] if a.startswith("--config=")]
        assert config_flag == [f"--config={CONFIG_MOUNT}/{generated.CONFIG_KEY}"], f"{container['name']}: {config_flag}"


def test_database_url_comes_from_a_secret_and_never_a_throwaway_database(rendered: Rendered) -> None:
    for _, container in containers(rendered):
        env = {variable["name"]: variable for variable in container.get("env", [])}
        assert "DATABASE_URL" in env, f"{container['name']}: no DATABASE_URL (the order service would embed a database)"
        assert "value" not in env["DATABASE_URL"], f"{container['name']}: DATABASE_URL written in the manifest"
        reference = env["DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        assert reference["key"] == "DATABASE_URL"
        assert reference["name"].endswith("-database")
        assert reference.get("optional") is not True, f"{container['name']}: a missing Secret must stop the pod"
        assert "CHECKOUT_DB_THROWAWAY" not in env
        assert not any(a.startswith("--database-url") for a in container["args"]), "a URL in args is visible to all"


def test_production_runs_released_images_in_its_namespace(production: Rendered) -> None:
    for _, container in containers(production):
        name, _, tag = container["image"].rpartition(":")
        assert "/" in name, f"{container['name']}: image {container['image']} names no registry"
        assert tag not in ("", "latest"), f"{container['name']}: image {container['image']} has no release tag"
    namespaced = [d for d in production.documents if d["kind"] != "Namespace"]
    assert {d["metadata"].get("namespace") for d in namespaced} == {"checkout"}
    assert [n["metadata"]["name"] for n in production.of_kind("Namespace")] == ["checkout"]
