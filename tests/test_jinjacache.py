"""Compiled templates kept on disk between builds (jinjacache.on_disk)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from support import build_site, copy_data, file_digests

from committee_papers import jinjacache


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from now on, in this process ("None" for
    one made from a string)."""
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        names.append(str(name))
        return compile_(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def test_a_second_build_compiles_no_template_and_has_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy_data(tmp_path / "data")
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")  # every page drawn, both times
    monkeypatch.setenv("PAPERS_PAGE_WORKERS", "0")  # drawn in this process, where counted
    monkeypatch.setenv("PAPERS_TEMPLATE_CACHE", str(tmp_path / "compiled"))
    compiled = _compiles(monkeypatch)
    first = file_digests(build_site(tmp_path / "first", data_dir=data))
    # The papers' macros and the theme's templates, each in a folder of its own.
    assert any(name.endswith(".html") and "/" not in name for name in compiled)  # macros
    assert "main.html" in compiled and "base.html" in compiled  # the theme
    assert len(list((tmp_path / "compiled").iterdir())) == 2
    compiled.clear()
    second = file_digests(build_site(tmp_path / "second", data_dir=data))
    # Only templates made from strings (mkdocs-macros' pages) are compiled: no file's.
    assert compiled and set(compiled) == {"None"}
    assert first == second


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    page = folder / "page.html"
    page.write_text("old {{ word }}", encoding="utf-8")

    def drawn() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)))
        jinjacache.on_disk(env, tmp_path / "compiled")
        return env.get_template("page.html").render(word="text")

    assert drawn() == "old text"
    assert drawn() == "old text"  # from the disk
    page.write_text("new {{ word }}", encoding="utf-8")
    assert drawn() == "new text"


def test_settings_that_shape_the_code_keep_it_apart(tmp_path: Path) -> None:
    """The same template's code under other syntax settings is not taken: with the code of
    an environment without trim_blocks, a line after a block would keep its newline."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("{% if true %}\nyes\n{% endif %}\n", encoding="utf-8")

    def drawn(**settings: bool) -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), **settings)
        jinjacache.on_disk(env, tmp_path / "compiled")
        return env.get_template("page.html").render()

    assert drawn() == "\nyes\n"
    assert drawn(trim_blocks=True) == "yes\n"
    assert len(list((tmp_path / "compiled").iterdir())) == 2


def test_no_folder_or_a_folder_that_cannot_be_made_keeps_nothing(tmp_path: Path) -> None:
    env = jinja2.Environment()
    jinjacache.on_disk(env, None)
    assert env.bytecode_cache is None
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    jinjacache.on_disk(env, blocked)
    assert env.bytecode_cache is None
    jinjacache.on_disk(jinja2.Environment(autoescape=jinja2.select_autoescape()), tmp_path)
    assert not any(tmp_path.glob("*/"))
