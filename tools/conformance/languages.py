"""The three validator CLIs of config/LOADING.md: how to run each, and how to build it when it is missing."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.conformance.cases import REPO
from tools.conformance.compare import Verdict

LANGUAGES = ("python", "node", "java")
TIMEOUT_S = 600
NODE_CLI = REPO / "node" / "packages" / "core" / "dist" / "config" / "validateCli.js"
JAVA_CLI = REPO / "java" / "core" / "target" / "checkout-config-cli.jar"


@dataclass
class CliRun:
    """What one CLI said about a batch of case files: verdicts by case id and anything that went wrong."""

    verdicts: dict[str, Verdict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ValidatorCli:
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
        if self.artifact is None and importlib.util.find_spec("checkout_payments") is None:
            return f"{self.language}: checkout_payments is not installed; install it with `{self.build}`"
        return None

    def run(self, files: Sequence[Path]) -> CliRun:
        """All files in one invocation; the verdict lines are matched to cases by id."""
        result = CliRun()
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
            result.problems.append(f"{self.language}: could not run {' '.join(self.command)}: {error}")
            return result
        if done.returncode != 0:
            tail = " | ".join(done.stderr.strip().splitlines()[-5:])
            result.problems.append(f"{self.language}: exit status {done.returncode}: {tail}")
        for number, line in enumerate(done.stdout.splitlines(), 1):
            if not line.strip():
                continue
            try:
                verdict = Verdict.from_json(json.loads(line))
            except ValueError as error:
                result.problems.append(f"{self.language}: output line {number} is no verdict ({error}): {line[:120]}")
                continue
            if verdict.id in result.verdicts:
                result.problems.append(f"{self.language}: two verdicts for case {verdict.id}")
            result.verdicts[verdict.id] = verdict
        return result


CLIS = {
    "python": ValidatorCli(
        "python",
        (sys.executable, "-m", "checkout_payments.config.validate_cli"),
        None,
        "pip install -e './python[dev]'",
    ),
    "node": ValidatorCli(
        "node", ("node", str(NODE_CLI)), NODE_CLI, "npm --prefix node ci && npm --prefix node run build"
    ),
    "java": ValidatorCli(
        "java", ("java", "-jar", str(JAVA_CLI)), JAVA_CLI, "mvn -B -f java/pom.xml package -DskipTests"
    ),
}
