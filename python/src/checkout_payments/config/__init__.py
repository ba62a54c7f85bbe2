"""Load config/timeout.json the way config/LOADING.md says, identically to the Node and Java loaders."""

from checkout_payments.config.errors import ERROR_CLASS, ConfigError, Violation
from checkout_payments.config.fingerprint import fingerprint
from checkout_payments.config.loader import LoadedConfig, load_config, parse_config, resolve_path
from checkout_payments.generated import LintFinding, TimeoutConfig, lint_config

__all__ = [
    "ERROR_CLASS",
    "ConfigError",
    "LintFinding",
    "LoadedConfig",
    "TimeoutConfig",
    "Violation",
    "fingerprint",
    "lint_config",
    "load_config",
    "parse_config",
    "resolve_path",
]
