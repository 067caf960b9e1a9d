"""The `papers` command's choices: where each build goes, and what it passes to MkDocs."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from committee_papers import cli, mkdocs_plugin


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record what `papers build` asks of MkDocs instead of building."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(mkdocs_plugin, "build_site", lambda config, **kw: seen.append(kw))
    return seen


def test_public_build_is_the_default_and_goes_to_site(calls: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(cli.main, ["build"])
    assert result.exit_code == 0, result.output
    assert calls[0]["audience"] == "public" and calls[0]["site_dir"] == "site"


def test_members_build_goes_to_site_members_unless_told(calls: list[dict[str, Any]]) -> None:
    CliRunner().invoke(cli.main, ["build", "--members"])
    CliRunner().invoke(cli.main, ["build", "--members", "-d", "private/papers"])
    assert [(c["audience"], c["site_dir"]) for c in calls] == [
        ("members", "site-members"),
        ("members", "private/papers"),
    ]


def test_as_of_is_passed_through(calls: list[dict[str, Any]]) -> None:
    CliRunner().invoke(cli.main, ["build", "--as-of", "2026-12-11"])
    assert calls[0]["as_of"] == "2026-12-11"


def test_no_packs_turns_the_pdfs_off_and_the_default_keeps_mkdocs_yml_setting(
    calls: list[dict[str, Any]],
) -> None:
    CliRunner().invoke(cli.main, ["build", "--no-packs"])
    CliRunner().invoke(cli.main, ["build"])
    assert [c["packs"] for c in calls] == [False, None]


def test_an_internal_error_is_named_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault of the program itself (MkDocs reports only its own errors) is still named."""

    def broken(config: str, **kwargs: Any) -> None:
        raise FileNotFoundError("/tmp/committee-papers-api-x/all.json")

    monkeypatch.setattr(mkdocs_plugin, "build_site", broken)
    result = CliRunner().invoke(cli.main, ["build"])
    assert result.exit_code == 1
    assert "internal error (FileNotFoundError: /tmp/committee-papers-api-x/all.json)" in (
        result.output
    )
    assert "was left as it was" in result.output and "Traceback" not in result.output
