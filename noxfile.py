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
PRE_INCIDENT = "config/examples/pre-incident.json"
PY_BENCHMARKS = f"{PY_DIR}/benchmarks"
MONITORING_TESTS = "tests/monitoring"
LINTED_PYTHON = ("python/src", "python/tests", "python/benchmarks", "tools", "tests", "noxfile.py")
TYPED_PYTHON = ("python/src", "tools")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "python", "node", "java", "conformance", "monitoring"]


def _install_python(session: nox.Session) -> None:
    session.install("-e", PY_PACKAGE, "-r", TOOLS_REQUIREMENTS)


def _build_node(session: nox.Session) -> None:
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True, silent=True)
    session.run("npm", "run", "build", external=True)


def _build_java(session: nox.Session) -> None:
    session.run("mvn", "-B", "-q", "-f", JAVA_POM, "package", "-DskipTests", external=True)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, mypy --strict, codegen and case drift, tsc --noEmit (strict) and javac -Xlint:all -Werror."""
    _install_python(session)
    session.run("ruff", "check", "--config", PY_CONFIG, *LINTED_PYTHON)
    session.run("ruff", "format", "--check", "--config", PY_CONFIG, *LINTED_PYTHON)
    session.run("mypy", "--config-file", PY_CONFIG, "--strict", *TYPED_PYTHON)
    session.run("python", "-m", "tools.codegen", "--check")
    session.run("python", "-m", "tools.conformance.config_cases", "--check")
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


@nox.session(python=False)
def node(session: nox.Session) -> None:
    """npm ci, tsc build (strict) and node:test over every workspace."""
    with session.chdir(NODE_DIR):
        _build_node(session)
        session.run("npm", "test", external=True)


@nox.session(python=PYTHON)
def java(session: nox.Session) -> None:
    """mvn verify (-Xlint:all -Werror, every JUnit 5 test, the gateway jar), then the gateway's end-to-end pytest."""
    _install_python(session)
    session.run("mvn", "-B", "-f", JAVA_POM, "verify", external=True)
    session.run("pytest", "-c", PY_CONFIG, "--rootdir", ".", "tests/gateway", *session.posargs)


@nox.session(python=PYTHON)
def conformance(session: nox.Session) -> None:
    """Run the config cases (and kernel vectors) in all three languages; `-- DIR…` runs other cases."""
    _install_python(session)
    with session.chdir(NODE_DIR):
        _build_node(session)
    _build_java(session)
    session.run("python", "-m", "tools.conformance", *session.posargs)


@nox.session(python=PYTHON)
def monitoring(session: nox.Session) -> None:
    """promtool check and test of the generated alert rules; the rules and dashboard use METRICS.md names only."""
    _install_python(session)
    if shutil.which("promtool") is None:
        if os.geteuid() != 0:
            session.error("promtool is missing: install Debian's `prometheus` package (it ships promtool)")
        session.log("promtool is missing: installing Debian's `prometheus` package, which ships it")
        session.run("apt-get", "update", external=True)
        session.run("apt-get", "install", "-y", "--no-install-recommends", "prometheus", external=True)
        session.log("installed promtool from Debian's `prometheus` package")
    session.run("pytest", "-c", PY_CONFIG, "--rootdir", ".", MONITORING_TESTS, *session.posargs)


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """pytest-benchmark: the resilience kernel's per-call overhead vs a bare call and tenacity+pybreaker."""
    _install_python(session)
    session.run("pytest", "-c", PY_CONFIG, "--rootdir", ".", PY_BENCHMARKS, "--benchmark-only", *session.posargs)


@nox.session(python=PYTHON, default=False)
def validate(session: nox.Session) -> None:
    """The main job for now: lint the config, show the incident config is caught, check the bindings for drift."""
    _install_python(session)
    session.run("python", "-m", "tools.configlint")
    session.run("python", "-m", "tools.configlint", PRE_INCIDENT, "--expect-error", "/payment/timeout_ms")
    session.run("python", "-m", "tools.codegen", "--check")
