"""The README documents every command-line option and every setting."""

from pathlib import Path

import pytest

from indexer.build.cli import build_parser
from search_app.web.app import DEFAULT_CONFIG

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def cli_options() -> list[str]:
    return [
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


@pytest.mark.parametrize("option", cli_options())
def test_cli_option_is_documented(option):
    assert f"`{option}" in README


@pytest.mark.parametrize("key", sorted(DEFAULT_CONFIG))
def test_setting_is_documented(key):
    assert f"`{key}`" in README


def test_quick_start_has_the_two_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
