"""`mkdocs serve` rebuilds reuse what the checks between files found in unchanged papers
(checkmemo.py), and what the page cache drew: an edit must still be answered as a whole
load and a whole drawing answer it.

Each edit below changes what some check finds in a paper that is *not* in the edited file
(a meeting presenting a report of another folder, a cabinet meeting whose notice is in
notices.yml, minutes naming a person of people.yml), so reusing that paper's last findings
would miss it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from support import DATA, copy_data, edit
from test_loadcache import loaded
from test_serve import SERVED, remembered, serve_config, wait_for_event

from committee_papers.loadcache import UnitMemory

TENANCY = "meetings/2026-05-12-housing-scrutiny/tenancy-strategy-2026.md"

#: (file, old, new, words of a problem the edit must bring, in a file the edit did not touch)
EDITS = [
    # The report's own folder is elsewhere: the cabinet meeting presenting it is late now.
    (
        TENANCY,
        "title: Tenancy Strategy 2026-2031\n",
        "title: Tenancy Strategy 2026-2031\npublish_on: 2026-06-15\n",
        ("2026-06-16-cabinet/meeting.yml", "mark the item late"),
    ),
    # The notice of a private cabinet meeting is late now: the meeting's check says so.
    (
        "notices.yml",
        "published: 2026-02-13\n  meeting: 2026-03-17-cabinet",
        "published: 2026-03-01\n  meeting: 2026-03-17-cabinet",
        ("notices.yml", "had to be published by"),
    ),
    # Someone who voted leaves people.yml: the minutes recording the vote name nobody.
    (
        "people.yml",
        "harry-lim: {name: Harry Lim,",
        "harry-lim-gone: {name: Harry Lim,",
        ("2026-02-25-council/minutes.yml", "vote", "no person with id 'harry-lim'"),
    ),
]


def test_a_check_error_an_edit_brings_elsewhere_is_reported(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data", DATA)
    memory = UnitMemory()
    clean = remembered(data, memory)[1]
    assert clean == loaded(data, None)[1]
    for file, old, new, expected in EDITS:
        edit(data / file, old, new)
        memory.changed = {str(data / file)}  # as the watcher tells it
        found = remembered(data, memory)[1]
        assert found == loaded(data, None)[1], new
        new_problems = [problem for problem in found if problem not in clean]
        assert any(all(part in problem for part in expected) for problem in new_problems), (
            expected,
            new_problems,
        )
        edit(data / file, new, old)
        memory.changed = {str(data / file)}
        assert remembered(data, memory)[1] == clean


def test_told_what_changed_a_load_patches_the_last_one_as_a_whole_load_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The meeting folders' results are patched when a watcher names the changed folders;
    whatever changed, the load equals a whole load without memory."""
    from committee_papers import load as loader

    merges: list[int] = []
    merge = loader._merged

    def counted(*args: Any) -> Any:
        merges.append(1)
        return merge(*args)

    monkeypatch.setattr(loader, "_merged", counted)
    data = copy_data(tmp_path / "data", DATA)
    housing = data / TENANCY
    folder = housing.parent
    stray = folder / "stray-report.md"
    moved = data / "meetings" / "2026-05-12-housing-scrutiny-moved"
    changes = [
        # Patched: the same files and papers, other words.
        lambda: edit(housing, "title: Tenancy Strategy 2026-2031", "title: Tenancy Revised"),
        # A new file with a new report in the folder: merged whole.
        lambda: stray.write_text(
            "---\ntitle: Stray\npurpose: information\n---\nText\n", encoding="utf-8"
        ),
        lambda: stray.unlink(),
        # A mistake in the folder: reported, and the next edit merges whole again.
        lambda: edit(housing, "purpose: decision", "purpose: decide"),
        lambda: edit(housing, "purpose: decide", "purpose: decision"),
        # A folder renamed: other folders, merged whole.
        lambda: folder.rename(moved),
        lambda: moved.rename(folder),
        lambda: edit(housing, "title: Tenancy Revised", "title: Tenancy Strategy 2026-2031"),
    ]
    #: Whole merges each change needs: none when the folder holds the same papers.
    whole = [0, 1, 1, 1, 1, 1, 1, 0]
    memory = UnitMemory()
    remembered(data, memory)
    for number, change in enumerate(changes):
        change()
        merges.clear()
        memory.changed = {str(folder), str(moved), str(housing), str(stray)}
        papers, found, maps, _ = remembered(data, memory)
        assert len(merges) == whole[number], number
        plain, plain_found, (plain_maps, _) = loaded(data, None)
        assert (papers[1]["meetings"], papers[1]["reports"]) == (
            plain[1]["meetings"],
            plain[1]["reports"],
        ), number
        # The same papers in the same order as a whole load.
        assert list(papers[1]["meetings"]) == list(plain[1]["meetings"]), number
        assert list(papers[1]["reports"]) == list(plain[1]["reports"]), number
        assert (found, maps) == (plain_found, plain_maps), number
    assert memory.sections["meetings"].plain


def test_unchanged_papers_are_not_checked_again(tmp_path: Path) -> None:
    """The point of the memo: an edit of one report checks that folder's papers again,
    not the archive's."""
    data = copy_data(tmp_path / "data", DATA)
    memory = UnitMemory()
    remembered(data, memory)
    every = memory.checks["checked"]
    edit(data / TENANCY, "title: Tenancy Strategy 2026-2031", "title: Tenancy Strategy Revised")
    remembered(data, memory)
    # The folder's meeting and its reports, not every body, meeting and report.
    folder = len(list((data / TENANCY).parent.glob("*.md"))) + 1
    assert memory.checks["checked"] == folder < every


def test_serve_shows_an_edit_on_every_page_of_the_slice_it_changes(tmp_path: Path) -> None:
    """A person's name, a body's name and a report's title, each edited in one file, show
    on the other pages of the slice that name them, rebuild after rebuild."""
    from mkdocs.commands.build import build

    data = copy_data(tmp_path / "data", DATA)
    site = Path(tempfile.mkdtemp(dir=tmp_path))
    meeting = "2026-11-11-audit-governance"
    report = data / "meetings" / meeting / f"{SERVED}.md"
    author = "andrew-cole"  # the report's author: "Andrew Cole" in people.yml

    def config() -> object:
        return serve_config(site, data)

    def page(path: str) -> str:
        return (site / path / "index.html").read_text(encoding="utf-8")

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    plugin = first.plugins["committee-papers"]
    try:
        build(first, serve_url="http://127.0.0.1:8000/")
        assert "Andrew Cole" in page(f"people/{author}")
        assert "Andrew Cole" in page(f"reports/{SERVED}")
        edits = [
            # people.yml: the author's page and the report naming them.
            (data / "people.yml", "name: Andrew Cole", "name: Andrew Renamed"),
            # A body's file: its meeting's page and its committee page.
            (
                data / "bodies" / "audit-governance.yml",
                "name: Audit and Governance Committee",
                "name: Audit and Standards Committee",
            ),
            # A report: its page and the agenda of its meeting.
            (report, "title: Treasury Management", "title: Treasury Stewardship"),
        ]
        shown = [
            ("Andrew Renamed", [f"people/{author}", f"reports/{SERVED}"]),
            (
                "Audit and Standards Committee",
                [f"meetings/{meeting}", "committees/audit-governance"],
            ),
            ("Treasury Stewardship", [f"reports/{SERVED}", f"meetings/{meeting}"]),
        ]
        for (path, old, new), (text, pages) in zip(edits, shown, strict=True):
            assert old in path.read_text(encoding="utf-8"), old
            edit(path, old, new)
            wait_for_event(plugin.watcher)
            again = config()
            assert again.plugins["committee-papers"] is plugin
            build(again, serve_url="http://127.0.0.1:8000/")
            for shown_on in pages:
                assert text in page(shown_on), (text, shown_on)
        # The site folder was emptied before each rebuild, and the old one removed.
        plugin.sweeper.wait()
        assert not list(tmp_path.glob(".papers-old-site-*"))
    finally:
        first.plugins.on_shutdown()


def test_site_folder_is_emptied_as_mkdocs_empties_it(tmp_path: Path) -> None:
    """Every entry but hidden ones leaves the folder at once; the moved ones are removed."""
    from committee_papers.servesite import SiteSweeper

    site = tmp_path / "site"
    (site / "reports" / "one").mkdir(parents=True)
    (site / "reports" / "one" / "index.html").write_text("old", encoding="utf-8")
    (site / "sitemap.xml").write_text("old", encoding="utf-8")
    (site / ".hidden").mkdir()
    sweeper = SiteSweeper()
    assert sweeper.empty(str(site)) == 2
    assert sorted(p.name for p in site.iterdir()) == [".hidden"]
    sweeper.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert sweeper.empty(str(site)) == 0  # nothing to move: no folder made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
