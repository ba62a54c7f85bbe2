"""Every build, check and test of the repo, one session each. `nox` runs all test sessions."""

from __future__ import annotations

import os
import shutil

import nox

PYTHON = "3.11"
PY_DIR = "python"
NODE_DIR = "node"
JAVA_POM = "java/pom.xml"
PY_PACKAGE = f"./{PY_DIR}[dev]"
# ruff, mypy and pytest read their settings from the package's pyproject for every Python file of the repo.
PY_CONFIG = f"{PY_DIR}/pyproject.toml"
TOOLS_REQUIREMENTS = "tools/requirements.txt"
MAIN_CONFIG = "config/timeout.json"
REPLAY_TESTS = "tests/replay"
PY_BENCHMARKS = f"{PY_DIR}/benchmarks"
E2E_TESTS = "tests/e2e"
MONITORING_TESTS = "tests/monitoring"
LINTED_PYTHON = ("python/src", "python/tests", "python/benchmarks", "tools", "tests", "noxfile.py")
TYPED_PYTHON = ("python/src", "tools")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = [
    "lint",
    "python",
    "node",
    "java",
    "conformance",
    "monitoring",
    "replay-quick",
    "e2e",
    "deploy",
    "lambda-zip",
    "faults-quick",
]


def _install_python(session: nox.Session) -> None:
    session.install("-e", PY_PACKAGE, "-r", TOOLS_REQUIREMENTS)


def _build_node(session: nox.Session) -> None:
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True, silent=True)
    session.run("npm", "run", "build", external=True)


def _build_java(session: nox.Session) -> None:
    session.run("mvn", "-B", "-q", "-f", JAVA_POM, "package", "-DskipTests", external=True)


def _build_stack(session: nox.Session) -> None:
    """The gateway jar and the order service's build: what tools/stack starts (and conformance's CLIs)."""
    with session.chdir(NODE_DIR):
        _build_node(session)
    _build_java(session)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict, codegen and case drift, tsc --noEmit (strict) and javac -Xlint:all -Werror."""
    _install_python(session)
    session.run("ruff", "check", "--config", PY_CONFIG, *LINTED_PYTHON)
    session.run("ruff", "format", "--check", "--config", PY_CONFIG, *LINTED_PYTHON)
    session.run("mypy", "--config-file", PY_CONFIG, "--strict", *TYPED_PYTHON)
    session.run("python", "-m", "tools.codegen", "--check")
    session.run("python", "-m", "tools.conformance.config_cases", "--check")
    # The shipped config must be warning-free: e.g. it can never carry the replay-only legacy switch.
    session.run("python", "-m", "tools.configlint", "--deny-warnings", MAIN_CONFIG)
    with session.chdir(NODE_DIR):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True, silent=True)
        session.run("npm", "run", "typecheck", external=True)
    session.run("mvn", "-B", "-q", "-f", JAVA_POM, "compile", "test-compile", external=True)


@nox.session(python=PYTHON, default=False)
def codegen(session: nox.Session) -> None:
    """Regenerate the config bindings from the schema; `-- --check` only names stale files."""
    _install_python(session)
    session.run("python", "-m", "tools.codegen", *session.posargs)


@nox.session(name="lint-config", python=PYTHON, default=False)
def lint_config(session: nox.Session) -> None:
    """Schema-validate and lint config files (default: config/timeout.json); `-- FILE… [--expect-error PTR]`."""
    _install_python(session)
    session.run("python", "-m", "tools.configlint", *session.posargs)


@nox.session(python=PYTHON)
def python(session: nox.Session) -> None:
    """pytest over the Python package and the tools."""
    _install_python(session)
    session.run("pytest", "-c", PY_CONFIG, "--rootdir", ".", "python/tests", "tools/tests", *session.posargs)


def _with_postgres(session: nox.Session, *command: str) -> None:
    """Run `command` with a throwaway PostgreSQL server (tools/pg: CHECKOUT_PG_URL and the services' URLs)."""
    session.run("python", "-m", "tools.pg", "run", "--", *command, external=True)


@nox.session(python=PYTHON)
def node(session: nox.Session) -> None:
    """npm ci, tsc build (strict) and node:test over every workspace, on a real PostgreSQL."""
    _install_python(session)
    with session.chdir(NODE_DIR):
        _build_node(session)
    _with_postgres(session, "npm", "--prefix", NODE_DIR, "test")


@nox.session(python=PYTHON)
def java(session: nox.Session) -> None:
    """mvn verify (-Xlint:all -Werror, every JUnit 5 test, the gateway jar), then the gateway's end-to-end pytest."""
    _install_python(session)
    _with_postgres(session, "mvn", "-B", "-f", JAVA_POM, "verify")
    _with_postgres(session, "pytest", "-c", PY_CONFIG, "--rootdir", ".", "tests/gateway", *session.posargs)


@nox.session(python=PYTHON)
def conformance(session: nox.Session) -> None:
    """Run the config cases (and kernel vectors) in all three languages; `-- DIR…` runs other cases."""
    _install_python(session)
    _build_stack(session)
    session.run("python", "-m", "tools.conformance", *session.posargs)


@nox.session(python=PYTHON)
def monitoring(session: nox.Session) -> None:
    """promtool tests of the generated rules; METRICS.md checked on the running services; the alerts on a real
    Prometheus scraping the real stack (breaker outage, config drift)."""
    _install_python(session)
    # Debian's `prometheus` package ships both: promtool for the unit tests, prometheus for the end-to-end run.
    if shutil.which("promtool") is None or shutil.which("prometheus") is None:
        if os.geteuid() != 0:
            session.error("promtool or prometheus is missing: install Debian's `prometheus` package")
        session.log("promtool or prometheus is missing: installing Debian's `prometheus` package")
        session.run("apt-get", "update", external=True)
        session.run("apt-get", "install", "-y", "--no-install-recommends", "prometheus", external=True)
        session.log("installed promtool and prometheus from Debian's `prometheus` package")
    _build_stack(session)
    # `python -m` puts the repo root on sys.path: the end-to-end tests import tools.stack and tools.codegen.
    session.run("python", "-m", "pytest", "-c", PY_CONFIG, "--rootdir", ".", MONITORING_TESTS, *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """pytest-benchmark: the resilience kernel's per-call overhead vs a bare call and tenacity+pybreaker."""
    _install_python(session)
    session.run("pytest", "-c", PY_CONFIG, "--rootdir", ".", PY_BENCHMARKS, "--benchmark-only", *session.posargs)


@nox.session(python=PYTHON, default=False)
def validate(session: nox.Session) -> None:
    """Is config/timeout.json safe to ship? Lint, incident config refused, drift, conformance, smoke: one report."""
    _install_python(session)
    _build_stack(session)
    session.run("python", "-m", "tools.validate")


@nox.session(python=PYTHON, default=False)
def demo(session: nox.Session) -> None:
    """The main job: the real stack under a batch of orders with a provider outage, and a report (< 3 min)."""
    _install_python(session)
    _build_stack(session)
    session.run("python", "-m", "tools.demo", *session.posargs)


@nox.session(python=PYTHON)
def e2e(session: nox.Session) -> None:
    """Cross-language end-to-end tests over the real processes: payments, idempotency, outages, reload, fuzzing."""
    _install_python(session)
    _build_stack(session)
    # `python -m` puts the repo root on sys.path: the tests import tools.stack.
    session.run("python", "-m", "pytest", "-c", PY_CONFIG, "--rootdir", ".", E2E_TESTS, *session.posargs)


@nox.session(python=PYTHON, default=False)
def replay(session: nox.Session) -> None:
    """Replay incident traffic on the real stack, configs side by side (≤ 10 min); `-- --config FILE --profile NAME`."""
    _install_python(session)
    _build_stack(session)
    session.run("python", "-m", "tools.replay", *session.posargs)


@nox.session(name="replay-quick", python=PYTHON)
def replay_quick(session: nox.Session) -> None:
    """Replay bench unit tests and --quick run (≤ 2 min): the fix errs less, nothing charged twice or unsettled."""
    _install_python(session)
    _build_stack(session)
    # `python -m` puts the repo root on sys.path: the tests import tools.replay.
    session.run("python", "-m", "pytest", "-c", PY_CONFIG, "--rootdir", ".", REPLAY_TESTS, *session.posargs)


@nox.session(name="config-diff", python=PYTHON, default=False)
def config_diff(session: nox.Session) -> None:
    """`-- OLD NEW [--quick] [--profile NAME]`: changed settings, lint findings of both, and the replay delta."""
    _install_python(session)
    _build_stack(session)
    session.run("python", "-m", "tools.replay.config_diff", *session.posargs)


DEPLOY_REQUIREMENTS = "tools/deploy/requirements.txt"
DEPLOY_TESTS = "tests/deploy/manifests"
LAMBDA_ZIP_TESTS = "tests/deploy/lambda_zip"
DOCKERFILES = ("deploy/docker/gateway.Dockerfile", "deploy/docker/order-service.Dockerfile")


@nox.session(python=PYTHON)
def deploy(session: nox.Session) -> None:
    """The Kubernetes manifests offline: generated files current, kustomize build, strict schema validation, tests."""
    session.install("-r", DEPLOY_REQUIREMENTS)
    # The pinned kustomize, built once from the Go module proxy into the session's bin (on PATH in the session).
    session.run("python", "-m", "tools.deploy", "install-kustomize", "--bin", session.bin)
    session.run("python", "-m", "tools.deploy", "check")
    session.run("hadolint", *DOCKERFILES)
    # `python -m` puts the repo root on sys.path: the tests import tools.deploy.
    session.run("python", "-m", "pytest", "-c", PY_CONFIG, "--rootdir", ".", DEPLOY_TESTS, *session.posargs)


@nox.session(name="lambda-zip", python=PYTHON)
def lambda_zip(session: nox.Session) -> None:
    """Build dist/lambda.zip (handler, its Lambda Python 3.11 dependencies, the config), then invoke it unpacked."""
    # tools.deploy's zip build runs pip (wheel, then install --target --platform), which a uv venv lacks.
    session.install("pip", "pytest")
    session.run("python", "-m", "tools.deploy", "lambda-zip")
    session.run("python", "-m", "pytest", "-c", PY_CONFIG, "--rootdir", ".", LAMBDA_ZIP_TESTS, *session.posargs)


# --- issue 14: each service beside the bare-framework baseline a user would otherwise write (tools/perf) ---
PERF_TESTS = "tests/perf"
FORWARDER_POM = "perf/baselines/javalin-forwarder/pom.xml"
FASTIFY_PG_DIR = "perf/baselines/fastify-pg"


def _install_wrk(session: nox.Session) -> None:
    """Debian's `wrk` (the closed-loop load tool) when it is missing, as `monitoring` installs prometheus."""
    if shutil.which("wrk") is not None:
        return
    if os.geteuid() != 0:
        session.error("wrk is missing: install Debian's `wrk` package")
    session.log("wrk is missing: installing Debian's `wrk` package")
    session.run("apt-get", "update", external=True)
    session.run("apt-get", "install", "-y", "--no-install-recommends", "wrk", external=True)


def _build_perf(session: nox.Session) -> None:
    """The stack (gateway jar, order service) and both baselines (the forwarder's shaded jar, fastify-pg's npm ci)."""
    _build_stack(session)
    session.run("mvn", "-B", "-q", "-f", FORWARDER_POM, "package", external=True)
    with session.chdir(FASTIFY_PG_DIR):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True, silent=True)


@nox.session(python=PYTHON, default=False)
def perf(session: nox.Session) -> None:
    """Each service beside its bare baseline: saturation, p50/p99 at a fixed rate, CPU per request (~7 min)."""
    _install_python(session)
    _install_wrk(session)
    _build_perf(session)
    # `python -m` puts the repo root on sys.path: tools.perf imports tools.stack and tools.pg.
    session.run("python", "-m", "tools.perf", *session.posargs)


@nox.session(name="perf-quick", python=PYTHON, default=False)
def perf_quick(session: nox.Session) -> None:
    """The perf driver's unit tests and its --quick smoke run (< 2 min): every target answers, no timing judged."""
    _install_python(session)
    session.run("python", "-m", "pytest", "-c", PY_CONFIG, "--rootdir", ".", PERF_TESTS)
    _install_wrk(session)
    _build_perf(session)
    session.run("python", "-m", "tools.perf", "--quick", *session.posargs)


# --- issue 12: the fleet behind HAProxy and the fault campaign on it (tools/faults, docs/FAULTS.md) ---
FAULTS_TESTS = "tests/faults"


def _install_haproxy(session: nox.Session) -> None:
    """Debian's `haproxy` (the fleet's load balancer) when it is missing, as `monitoring` installs prometheus."""
    if shutil.which("haproxy") is not None:
        return
    if os.geteuid() != 0:
        session.error("haproxy is missing: install Debian's `haproxy` package")
    session.log("haproxy is missing: installing Debian's `haproxy` package")
    session.run("apt-get", "update", external=True)
    session.run("apt-get", "install", "-y", "--no-install-recommends", "haproxy", external=True)


@nox.session(name="faults-quick", python=PYTHON)
def faults_quick(session: nox.Session) -> None:
    """The campaign's unit tests, then `--quick` (≤ 3 min): every fault kind once on the fleet, every invariant."""
    _install_python(session)
    session.run("python", "-m", "pytest", "-c", PY_CONFIG, "--rootdir", ".", FAULTS_TESTS)
    _install_haproxy(session)
    _build_stack(session)
    # `python -m` puts the repo root on sys.path: tools.faults imports tools.stack and tools.replay.
    session.run("python", "-m", "tools.faults", "--quick", *session.posargs)


@nox.session(python=PYTHON, default=False)
def faults(session: nox.Session) -> None:
    """The fault campaign (≤ 15 min): 8 min of incident-rate traffic on the fleet under ~60 seeded faults."""
    _install_python(session)
    _install_haproxy(session)
    _build_stack(session)
    session.run("python", "-m", "tools.faults", *session.posargs)


@nox.session(python=PYTHON, default=False)
def soak(session: nox.Session) -> None:
    """Steady traffic on the fleet with a few faults (default 30 min, `-- --minutes N`): RSS, fds, connections,
    payment-record table size sampled; a plot and a verdict."""
    _install_python(session)
    _install_haproxy(session)
    _build_stack(session)
    session.run("python", "-m", "tools.faults.soak", *session.posargs)
