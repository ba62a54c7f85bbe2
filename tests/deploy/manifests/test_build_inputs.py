"""The images are built from what CI builds and tests, and the manifests pass only flags the services parse.

Base images cannot be pulled on the CI machine, so the Dockerfiles are not built there: these tests tie each
Dockerfile to the build that CI runs (the gateway's shaded jar, the order service's tsc output) and to the
manifests that run its image.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from manifest_support import DEPLOY, GATEWAY_DEFAULT_STOP_GRACE_MS, Rendered, containers

from tools.deploy import generated

REPO = generated.REPO
GATEWAY_OPTIONS = REPO / "java/gateway/src/main/java/com/checkout/payment/GatewayOptions.java"
ORDER_SERVICE_CLI = REPO / "node/packages/order-service/src/cli.ts"
ORDER_SERVICE_PACKAGE = REPO / "node/packages/order-service/package.json"
GATEWAY_POM = REPO / "java/gateway/pom.xml"
# The image each Deployment's container names in deploy/base, and the Dockerfile it is built from.
DOCKERFILES = {
    "checkout/payment-gateway": DEPLOY / "docker" / "gateway.Dockerfile",
    "checkout/order-service": DEPLOY / "docker" / "order-service.Dockerfile",
}


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, rest) of each line; the Dockerfiles here use no line continuations."""
    lines = [line.strip() for line in dockerfile.read_text(encoding="utf-8").splitlines()]
    parsed = [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]
    return [(words[0].upper(), words[1] if len(words) > 1 else "") for words in parsed]


def _last(dockerfile: Path, instruction: str) -> str:
    found = [rest for name, rest in _instructions(dockerfile) if name == instruction]
    assert found, f"{dockerfile.name} has no {instruction}"
    return found[-1]


def _copied_sources(dockerfile: Path) -> list[str]:
    """The build-context sources of every COPY (not those copied from another stage)."""
    sources = []
    for name, rest in _instructions(dockerfile):
        if name == "COPY" and not rest.startswith("--from="):
            sources += rest.split()[:-1]
    return sources


def _gateway_flags() -> set[str]:
    return set(re.findall(r'case "(--[a-z-]+)" ->', GATEWAY_OPTIONS.read_text(encoding="utf-8")))


def _order_service_flags() -> set[str]:
    text = ORDER_SERVICE_CLI.read_text(encoding="utf-8")
    return {f"--{name}" for name in re.findall(r'^\s+"?([a-z-]+)"?: \{ type: "string"', text, re.MULTILINE)}


@pytest.fixture(scope="module")
def base(renders: dict[str, Rendered]) -> Rendered:
    return renders["base"]


def test_each_deployment_image_has_its_dockerfile(base: Rendered) -> None:
    images = {container["image"] for _, container in containers(base)}
    assert images == DOCKERFILES.keys()
    for image, dockerfile in DOCKERFILES.items():
        assert dockerfile.is_file(), f"{image}: {dockerfile} is missing"
        assert f"-t {image}:" in dockerfile.read_text(encoding="utf-8"), (
            f"{dockerfile.name} does not say how to tag {image}"
        )


def test_the_gateway_image_is_the_shaded_jar_mvn_builds() -> None:
    final_name = re.search(r"<finalName>([^<]+)</finalName>", GATEWAY_POM.read_text(encoding="utf-8"))
    assert final_name is not None, f"{GATEWAY_POM}: no <finalName> for the shaded jar"
    jar = f"java/gateway/target/{final_name.group(1)}.jar"
    dockerfile = DOCKERFILES["checkout/payment-gateway"]
    assert _copied_sources(dockerfile) == [jar]
    entrypoint = json.loads(_last(dockerfile, "ENTRYPOINT"))
    assert entrypoint[0] == "java"
    assert entrypoint[-2:] == ["-jar", f"/app/{final_name.group(1)}.jar"]


def test_the_order_service_image_runs_the_tsc_output_with_its_migrations() -> None:
    package: dict[str, Any] = json.loads(ORDER_SERVICE_PACKAGE.read_text(encoding="utf-8"))
    binary = package["bin"]["order-service"].removeprefix("./")
    dockerfile = DOCKERFILES["checkout/order-service"]
    entrypoint = json.loads(_last(dockerfile, "ENTRYPOINT"))
    assert entrypoint == ["node", f"packages/order-service/{binary}"]
    sources = _copied_sources(dockerfile)
    for needed in (
        "node/package-lock.json",
        "node/packages/core/dist",
        "node/packages/order-service/dist",
        "node/packages/order-service/migrations",
    ):
        assert needed in sources, f"{dockerfile.name} does not COPY {needed}"
    assert "npm ci --omit=dev" in dockerfile.read_text(encoding="utf-8"), "production dependencies only"


@pytest.mark.parametrize("image", sorted(DOCKERFILES))
def test_each_image_runs_as_the_pods_user_and_exposes_the_served_port(base: Rendered, image: str) -> None:
    ((deployment, container),) = [(d, c) for d, c in containers(base) if c["image"] == image]
    dockerfile = DOCKERFILES[image]
    pod_security = deployment["spec"]["template"]["spec"]["securityContext"]
    assert _last(dockerfile, "USER") == f"{pod_security['runAsUser']}:{pod_security['runAsGroup']}"
    assert int(_last(dockerfile, "EXPOSE")) == container["ports"][0]["containerPort"]


def test_the_manifests_pass_only_flags_the_services_parse(base: Rendered) -> None:
    known = {"checkout/payment-gateway": _gateway_flags(), "checkout/order-service": _order_service_flags()}
    assert all(known.values()), f"no flags found in the services' sources: {known}"
    for _, container in containers(base):
        flags = {arg.split("=", 1)[0] for arg in container["args"]}
        unknown = flags - known[container["image"]]
        assert unknown == set(), f"{container['name']}: {sorted(unknown)} are not options of the service"


def test_the_drain_default_the_tests_assume_is_the_gateways() -> None:
    found = re.search(r"DEFAULT_STOP_GRACE_MS = ([0-9_]+)L;", GATEWAY_OPTIONS.read_text(encoding="utf-8"))
    assert found is not None
    assert int(found.group(1).replace("_", "")) == GATEWAY_DEFAULT_STOP_GRACE_MS
