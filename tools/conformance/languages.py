"""The languages' CLIs — config validators (config/LOADING.md) and kernel vector runners — how to run each,
and how to build it when it is missing."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.conformance.cases import REPO
from tools.conformance.compare import VectorVerdict, Verdict

LANGUAGES = ("python", "node", "java")
TIMEOUT_S = 600
NODE_CLI = REPO / "node" / "packages" / "core" / "dist" / "config" / "validateCli.js"
JAVA_CLI = REPO / "java" / "core" / "target" / "checkout-config-cli.jar"
NODE_VECTOR_CLI = REPO / "node" / "packages" / "core" / "dist" / "conformance" / "cli.js"
PYTHON_BUILD = "pip install -e './python[dev]'"
NODE_BUILD = "npm --prefix node ci && npm --prefix node run build"
JAVA_BUILD = "mvn -B -f java/pom.xml package -DskipTests"


@dataclass
class CliRun:
    """What one CLI said about a batch of case files: verdicts by case id and anything that went wrong."""

    verdicts: dict[str, Verdict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass
class VectorRun:
    """What one vector CLI said about a batch of vector files: results by vector id and anything that went wrong."""

    verdicts: dict[str, VectorVerdict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LanguageCli:
    """One language's CLI that reads case files and prints one JSON object per line."""

    language: str
    command: tuple[str, ...]
    # The build output the command runs, None when it is an installed module.
    artifact: Path | None
    build: str

    def missing(self) -> str | None:
        """Why the CLI cannot run here, with the command that fixes it; None when it can."""
        if shutil.which(self.command[0]) is None:
            return f"{self.language}: `{self.command[0]}` is not on PATH"
        if self.artifact is not None and not self.artifact.is_file():
            shown = self.artifact.relative_to(REPO) if self.artifact.is_relative_to(REPO) else self.artifact
            return f"{self.language}: {shown} is missing; build it with `{self.build}`"
        module = self.command[2] if len(self.command) > 2 and self.command[1] == "-m" else None
        if self.artifact is None and module is not None:
            try:
                found = importlib.util.find_spec(module) is not None
            except ImportError:
                found = False
            if not found:
                return f"{self.language}: module {module} cannot be imported; install it with `{self.build}`"
        return None

    def output(self, files: Sequence[Path]) -> tuple[list[tuple[int, Any]], list[str]]:
        """All files in one invocation: the (line number, parsed JSON) of every output line, and problems."""
        lines: list[tuple[int, Any]] = []
        problems: list[str] = []
        try:
            done = subprocess.run(
                [*self.command, *map(str, files)],
                cwd=REPO,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return lines, [f"{self.language}: could not run {' '.join(self.command)}: {error}"]
        if done.returncode != 0:
            tail = " | ".join(done.stderr.strip().splitlines()[-5:])
            problems.append(f"{self.language}: exit status {done.returncode}: {tail}")
        for number, line in enumerate(done.stdout.splitlines(), 1):
            if not line.strip():
                continue
            try:
                lines.append((number, json.loads(line)))
            except ValueError as error:
                problems.append(f"{self.language}: output line {number} is not JSON ({error}): {line[:120]}")
        return lines, problems


@dataclass(frozen=True)
class ValidatorCli(LanguageCli):
    """A validator CLI of config/LOADING.md."""

    def run(self, files: Sequence[Path]) -> CliRun:
        """All files in one invocation; the verdict lines are matched to cases by id."""
        result = CliRun()
        lines, result.problems = self.output(files)
        for number, line in lines:
            try:
                verdict = Verdict.from_json(line)
            except ValueError as error:
                result.problems.append(f"{self.language}: output line {number} is no verdict ({error}): {line!s:.120}")
                continue
            if verdict.id in result.verdicts:
                result.problems.append(f"{self.language}: two verdicts for case {verdict.id}")
            result.verdicts[verdict.id] = verdict
        return result


@dataclass(frozen=True)
class VectorCli(LanguageCli):
    """A kernel vector CLI: `{"id", "pass", "mismatches"}` per vector file."""

    def run(self, files: Sequence[Path]) -> VectorRun:
        """All files in one invocation; the lines are matched to vectors by id."""
        result = VectorRun()
        lines, result.problems = self.output(files)
        for number, line in lines:
            try:
                verdict = VectorVerdict.from_json(line)
            except ValueError as error:
                result.problems.append(
                    f"{self.language}: output line {number} is no vector result ({error}): {line!s:.120}"
                )
                continue
            if verdict.id in result.verdicts:
                result.problems.append(f"{self.language}: two results for vector {verdict.id}")
            result.verdicts[verdict.id] = verdict
        return result


CLIS = {
    "python": ValidatorCli(
        "python", (sys.executable, "-m", "checkout_payments.config.validate_cli"), None, PYTHON_BUILD
    ),
    "node": ValidatorCli("node", ("node", str(NODE_CLI)), NODE_CLI, NODE_BUILD),
    "java": ValidatorCli("java", ("java", "-jar", str(JAVA_CLI)), JAVA_CLI, JAVA_BUILD),
}

VECTOR_CLIS = {
    "python": VectorCli("python", (sys.executable, "-m", "checkout_payments.conformance.cli"), None, PYTHON_BUILD),
    "node": VectorCli("node", ("node", str(NODE_VECTOR_CLI)), NODE_VECTOR_CLI, NODE_BUILD),
    "java": VectorCli(
        "java", ("java", "-cp", str(JAVA_CLI), "com.checkout.conformance.VectorCli"), JAVA_CLI, JAVA_BUILD
    ),
}
