"""Where load_config finds the file: explicit path, then CHECKOUT_CONFIG, then the nearest config/timeout.json."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from config_documents import CONFIG, PRE_INCIDENT

from checkout_payments.config import ConfigError, load_config


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/config/timeout.json (the repo's config), cwd tmp/a/b, CHECKOUT_CONFIG unset."""
    (tmp_path / "config").mkdir()
    shutil.copy(CONFIG, tmp_path / "config" / "timeout.json")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.delenv("CHECKOUT_CONFIG", raising=False)
    return tmp_path


def test_explicit_path_is_loaded(tree: Path) -> None:
    other = tree / "other.json"
    shutil.copy(CONFIG, other)
    assert load_config(other).path == str(other)


def test_explicit_relative_path_is_taken_from_the_current_directory(tree: Path) -> None:
    shutil.copy(CONFIG, tree / "a" / "b" / "here.json")
    assert load_config("here.json").path == str(tree / "a" / "b" / "here.json")


def test_explicit_path_wins_over_the_environment(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKOUT_CONFIG", str(PRE_INCIDENT))
    assert load_config(CONFIG).path == str(CONFIG)


def test_environment_variable_wins_over_the_walk_up(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_env = tree / "from-env.json"
    shutil.copy(CONFIG, from_env)
    monkeypatch.setenv("CHECKOUT_CONFIG", str(from_env))
    assert load_config().path == str(from_env)


def test_empty_environment_variable_counts_as_unset(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKOUT_CONFIG", "")
    assert load_config().path == str(tree / "config" / "timeout.json")


def test_walk_up_finds_the_nearest_config_directory(tree: Path) -> None:
    assert load_config().path == str(tree / "config" / "timeout.json")


def test_walk_up_prefers_the_current_directory(tree: Path) -> None:
    nearer = tree / "a" / "b" / "config"
    nearer.mkdir()
    shutil.copy(CONFIG, nearer / "timeout.json")
    assert load_config().path == str(nearer / "timeout.json")


def test_no_config_anywhere_is_a_read_violation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHECKOUT_CONFIG", raising=False)
    with pytest.raises(ConfigError) as raised:
        load_config()
    (violation,) = raised.value.violations
    assert (violation.pointer, violation.rule) == ("", "read")
    assert "CHECKOUT_CONFIG" in violation.message
