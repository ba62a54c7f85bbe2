"""Pods start, serve, stop and get disrupted the way the services expect (docs/GATEWAY.md, docs/ORDER_SERVICE.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from manifest_support import (
    GATEWAY_DEFAULT_STOP_GRACE_MS,
    Rendered,
    container_port,
    containers,
    flag,
    pre_stop_sleep_ms,
)

PROBES = ("startupProbe", "readinessProbe", "livenessProbe")


def _pod(deployment: dict[str, Any]) -> dict[str, Any]:
    pod: dict[str, Any] = deployment["spec"]["template"]["spec"]
    return pod


def test_the_gateway_gets_sigkill_only_after_its_drain_and_the_prestop_sleep(rendered: Rendered) -> None:
    deployment = rendered.named("Deployment", "checkout-gateway")
    (container,) = _pod(deployment)["containers"]
    given = any(arg.startswith("--stop-grace-ms=") for arg in container["args"])
    drain_ms = int(flag(container, "--stop-grace-ms")) if given else GATEWAY_DEFAULT_STOP_GRACE_MS
    grace_ms = _pod(deployment)["terminationGracePeriodSeconds"] * 1000
    # Kubernetes counts the grace period from the start of preStop; the JVM then needs a few seconds to stop.
    assert grace_ms > pre_stop_sleep_ms(container) + drain_ms, (
        f"terminationGracePeriodSeconds {grace_ms // 1000} s does not outlast preStop"
        f" {pre_stop_sleep_ms(container)} ms + --stop-grace-ms {drain_ms}: SIGKILL would cut payments in flight"
    )


def test_the_order_service_outlasts_its_longest_request_before_sigkill(
    rendered: Rendered, config: dict[str, Any]
) -> None:
    deployment = rendered.named("Deployment", "checkout-order-service")
    (container,) = _pod(deployment)["containers"]
    # A request's payment ends by its deadline, its final write within one pool acquire (docs/ORDER_SERVICE.md).
    longest_ms = config["payment"]["deadline_ms"] + config["database"]["pool"]["acquire_timeout_ms"]
    grace_ms = _pod(deployment)["terminationGracePeriodSeconds"] * 1000
    assert grace_ms >= pre_stop_sleep_ms(container) + longest_ms


def test_every_probe_asks_health_on_the_port_the_service_binds_on_all_interfaces(rendered: Rendered) -> None:
    for _, container in containers(rendered):
        assert flag(container, "--host") == "0.0.0.0", f"{container['name']}: a pod must listen on every interface"
        port = int(flag(container, "--port"))
        assert [p["containerPort"] for p in container["ports"]] == [port]
        for probe in PROBES:
            check = container[probe]["httpGet"]
            assert check["path"] == "/health", f"{container['name']} {probe}: {check}"
            assert container_port(container, check["port"]) == port, f"{container['name']} {probe}: {check}"


def test_liveness_outlasts_readiness_so_a_database_blip_does_not_restart_the_fleet(rendered: Rendered) -> None:
    for _, container in containers(rendered):
        ready, live = container["readinessProbe"], container["livenessProbe"]
        ready_s = ready.get("periodSeconds", 10) * ready.get("failureThreshold", 3)
        live_s = live.get("periodSeconds", 10) * live.get("failureThreshold", 3)
        assert live_s >= 60, f"{container['name']}: liveness gives up after {live_s} s"
        assert live_s > ready_s, f"{container['name']}: liveness {live_s} s, not longer than readiness {ready_s} s"


def test_every_deployment_has_a_disruption_budget_that_keeps_a_pod_and_lets_one_go(rendered: Rendered) -> None:
    budgets = rendered.of_kind("PodDisruptionBudget")
    for deployment in rendered.of_kind("Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        matching = [b for b in budgets if b["spec"]["selector"]["matchLabels"].items() <= labels.items()]
        assert len(matching) == 1, f"{deployment['metadata']['name']}: {len(matching)} PodDisruptionBudgets select it"
        spec, replicas = matching[0]["spec"], deployment["spec"]["replicas"]
        if "maxUnavailable" in spec:
            assert 1 <= spec["maxUnavailable"] < replicas, f"{deployment['metadata']['name']}: {spec}"
        else:
            assert 1 <= spec["minAvailable"] < replicas, f"{deployment['metadata']['name']}: {spec}"


def test_replicas_are_spread_over_nodes(rendered: Rendered) -> None:
    for deployment in rendered.of_kind("Deployment"):
        keys = [c["topologyKey"] for c in _pod(deployment).get("topologySpreadConstraints", [])]
        assert "kubernetes.io/hostname" in keys, f"{deployment['metadata']['name']}: replicas may share one node"


def test_each_service_selects_its_pods_on_the_serving_port(rendered: Rendered) -> None:
    for deployment in rendered.of_kind("Deployment"):
        name = deployment["metadata"]["name"]
        service = rendered.named("Service", name)
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= labels.items(), f"Service {name} does not select its pods"
        (container,) = _pod(deployment)["containers"]
        (port,) = service["spec"]["ports"]
        assert container_port(container, port["targetPort"]) == int(flag(container, "--port"))


def test_the_order_service_reaches_the_gateway_through_its_service(rendered: Rendered) -> None:
    (container,) = _pod(rendered.named("Deployment", "checkout-order-service"))["containers"]
    url = urlsplit(flag(container, "--gateway-url"))
    gateway = rendered.named("Service", "checkout-gateway")
    assert url.scheme == "http"
    assert url.hostname == gateway["metadata"]["name"]
    assert (url.port or 80) in [p["port"] for p in gateway["spec"]["ports"]]


def test_the_gateway_takes_its_provider_from_the_endpoints_configmap(rendered: Rendered) -> None:
    (container,) = _pod(rendered.named("Deployment", "checkout-gateway"))["containers"]
    assert flag(container, "--provider-url") == "$(PAYMENT_PROVIDER_URL)"
    (variable,) = [v for v in container["env"] if v["name"] == "PAYMENT_PROVIDER_URL"]
    endpoints = rendered.generated_configmap("checkout-endpoints")
    assert variable["valueFrom"]["configMapKeyRef"]["name"] == endpoints["metadata"]["name"]
    url = urlsplit(endpoints["data"]["PAYMENT_PROVIDER_URL"])
    assert url.scheme in ("http", "https")
    assert url.hostname


def test_production_names_a_real_provider_over_https(production: Rendered) -> None:
    url = urlsplit(production.generated_configmap("checkout-endpoints")["data"]["PAYMENT_PROVIDER_URL"])
    assert url.scheme == "https"
    assert url.hostname
    assert not url.hostname.endswith(".invalid")


def test_every_container_requests_resources_and_has_a_memory_limit(rendered: Rendered) -> None:
    for _, container in containers(rendered):
        resources = container["resources"]
        assert {"cpu", "memory"} <= resources["requests"].keys(), f"{container['name']}: {resources}"
        assert "memory" in resources["limits"], f"{container['name']}: no memory limit"


def test_pods_run_as_the_images_non_root_user_with_a_read_only_root(rendered: Rendered) -> None:
    for deployment, container in containers(rendered):
        pod_security = _pod(deployment)["securityContext"]
        assert pod_security["runAsNonRoot"] is True
        assert pod_security["runAsUser"] != 0
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
