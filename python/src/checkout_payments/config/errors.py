"""The one error every config loader raises, with every violation it found."""

from __future__ import annotations

from dataclasses import dataclass

from checkout_payments.generated import LintFinding

ERROR_CLASS = "INVALID_CONFIG"


@dataclass(frozen=True)
class Violation:
    """One reason a config is refused.

    `pointer` is the normalised JSON Pointer of config/LOADING.md (`""` for the whole document);
    `rule` is the schema keyword (`required`, `minimum`, …), `parse`, `read` or a lint rule id.
    """

    pointer: str
    message: str
    rule: str


class ConfigError(Exception):
    """The config was refused; nothing of it was loaded.

    `warnings` holds the lint warnings when the document passed the schema (and only lint errors
    refused it), so a report can show them next to the errors.
    """

    error_class = ERROR_CLASS

    def __init__(self, source: str, violations: tuple[Violation, ...], warnings: tuple[LintFinding, ...] = ()) -> None:
        self.source = source
        self.violations = violations
        self.warnings = warnings
        listed = "".join(f"\n  {v.pointer or '(document)'}: {v.message} [{v.rule}]" for v in violations)
        count = f"{len(violations)} violation{'s' if len(violations) != 1 else ''}"
        super().__init__(f"{ERROR_CLASS}: {source} is not a valid config ({count}):{listed}")
