"""`mkdocs serve` at any archive size: papers kept in memory, and a slice of them drawn.

The memory of loaded units (loadcache.UnitMemory) must load exactly what a load from the
files gives, edit after edit; the slice (serveslice.py) must draw the newest papers as a
full build draws them and never show more than a full build would.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
from pathlib import Path

import pytest
from support import AS_OF, DATA, ROOT, copy_data, edit
from test_loadcache import MEETING, REPORT, age, deep, loaded

from committee_papers.load import load_with_problems
from committee_papers.loadcache import UnitMemory
from committee_papers.model import Papers
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project
from committee_papers.render import Renderer
from committee_papers.serveslice import newest_meetings, slice_papers
from committee_papers.servewatch import MOST_CHANGES, ChangedFiles

TODAY = dt.date.fromisoformat(AS_OF)
#: A report of one of the demo's newest meetings, in every slice below.
SERVED = "treasury-mid-year-review-2026-27"


def remembered(data: Path, memory: UnitMemory, cache: Path | None = None) -> tuple:
    papers, problems, sources = load_with_problems(data, cache, memory)
    maps = {path: where.lines for path, where in sources.maps.items()}
    return fields(deep(papers)), [str(p) for p in problems], maps, sources.cache


def fields(value: tuple) -> tuple:
    """A deep Papers without the indexes it builds when first asked (the checks ask or not)."""
    name, values = value
    return name, {key: v for key, v in values.items() if not key.startswith("_")}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


# --- the memory of loaded units ----------------------------------------------------------------


def test_memory_loads_the_same_papers_without_the_cache_file(data: Path, tmp_path: Path) -> None:
    age(data)
    cache, memory = tmp_path / "cache", UnitMemory()
    plain = loaded(data, None)
    plain = (fields(plain[0]), *plain[1:])
    first = remembered(data, memory, cache)
    (db,) = cache.glob("*.sqlite")
    db.unlink()  # a warm memory reads and writes no file
    second = remembered(data, memory, cache)
    assert not list(cache.glob("*.sqlite"))
    assert first[:3] == second[:3] == (plain[0], plain[1], plain[2][0])
    assert second[3].hits == first[3].misses > 0 and second[3].misses == 0
    assert second[3].hashed == 0


def test_memory_sees_each_edit(data: Path) -> None:
    memory = UnitMemory()
    remembered(data, memory)
    for title in ("Corporate Risk Register Revised", "Corporate Risk Register Again"):
        old = (data / REPORT).read_text(encoding="utf-8").split("title: ", 1)[1].split("\n")[0]
        edit(data / REPORT, f"title: {old}", f"title: {title}")
        papers, problems, maps, stats = remembered(data, memory)
        assert papers[1]["reports"]["risk-register-update-jan-2026"][1]["title"] == title
        assert stats.missed == [f"meeting:{MEETING.split('/')[1]}"]
        plain, plain_problems, (plain_maps, _) = loaded(data, None)
        assert (papers, problems, maps) == (fields(plain), plain_problems, plain_maps)


def test_memory_never_keeps_a_unit_with_errors(data: Path) -> None:
    memory = UnitMemory()
    remembered(data, memory)
    edit(data / REPORT, "purpose: decision", "purpose: decide")
    for _ in range(2):
        _, found, _, stats = remembered(data, memory)
        assert any("purpose: 'decide' is not allowed" in p for p in found), found
        assert f"meeting:{MEETING.split('/')[1]}" in stats.missed
    edit(data / REPORT, "purpose: decide", "purpose: decision")
    assert remembered(data, memory)[1] == loaded(data, None)[1] == []


def test_memory_sees_new_and_removed_files(data: Path) -> None:
    memory = UnitMemory()
    remembered(data, memory)
    extra = data / MEETING / "stray.md"
    extra.write_text("---\ntitle: Stray\n---\nText\n", encoding="utf-8")
    found = remembered(data, memory)[1]
    assert found == loaded(data, None)[1] and any("stray.md" in p for p in found)
    extra.unlink()
    papers, found, _ = loaded(data, None)
    assert remembered(data, memory)[:2] == (fields(papers), found)


def test_memory_of_another_folder_is_not_used(tmp_path: Path) -> None:
    one, two = copy_data(tmp_path / "one"), copy_data(tmp_path / "two")
    edit(two / REPORT, "title: Corporate Risk Register Update", "title: Another council register")
    memory = UnitMemory()
    remembered(one, memory)
    papers, _, _, stats = remembered(two, memory)
    assert stats.hits == 0
    assert papers[1]["reports"]["risk-register-update-jan-2026"][1]["title"] == (
        "Another council register"
    )


def test_checks_between_files_stay_whole_edit_after_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks reuse an unchanged paper's problems only while nothing they read beyond it
    changed: each edit below is answered exactly as a load without memory answers it."""
    from committee_papers import links

    data = copy_data(tmp_path / "data", DATA)
    housing = data / "meetings" / "2026-05-12-housing-scrutiny" / "tenancy-strategy-2026.md"
    meetings_checked: list[str] = []
    check_meeting = links._Checker.meeting

    def counted(self: links._Checker, meeting: object, where: object) -> None:
        meetings_checked.append(meeting.id)  # type: ignore[attr-defined]
        check_meeting(self, meeting, where)  # type: ignore[arg-type]

    monkeypatch.setattr(links._Checker, "meeting", counted)
    every = len(list((data / "meetings").iterdir()))
    edits = [
        # Inside one report: only its own folder is checked again.
        (housing, "author: samuel-oduya", "author: nobody-known", 1),
        (housing, "author: nobody-known", "author: samuel-oduya", 1),
        # Exempt now, but presented in Part 1 at two other meetings' folders.
        (housing, "key_decision: true", "key_decision: true\nexempt: ['3']", every),
        (housing, "key_decision: true\nexempt: ['3']", "key_decision: true", every),
        # A person named all over the archive leaves people.yml.
        (data / "people.yml", "ruth-okafor: {", "ruth-okafor-gone: {", every),
        (data / "people.yml", "ruth-okafor-gone: {", "ruth-okafor: {", every),
    ]
    memory = UnitMemory()
    clean = remembered(data, memory)[1]
    assert clean == loaded(data, None)[1]
    for number, (path, old, new, checked) in enumerate(edits):
        edit(path, old, new)
        meetings_checked.clear()
        found = remembered(data, memory)[1]
        assert len(meetings_checked) == checked, (new, meetings_checked)
        assert found == loaded(data, None)[1], new
        assert (found == clean) == (number % 2 == 1), new
    meetings_checked.clear()
    assert remembered(data, memory)[1] == clean and meetings_checked == []


# --- the slice ---------------------------------------------------------------------------------


def test_slice_is_closed_under_what_decides_publication(papers: Papers) -> None:
    for count in (1, 3, 8):
        part = slice_papers(papers, count)
        newest = {m.id for m in newest_meetings(papers, count)}
        assert newest <= set(part.meetings) and len(part.meetings) < len(papers.meetings)
        for report_id in part.reports:
            route = {m.id for m, _ in papers.items_presenting(report_id)}
            assert route <= set(part.meetings), report_id
        for meeting in newest_meetings(papers, count):
            for item in meeting.agenda:
                assert not item.minutes_of or item.minutes_of in part.meetings
                assert set(item.report_ids) & set(papers.reports) <= set(part.reports)
        for record in part.decisions.values():
            assert record.meeting is None or record.meeting in part.meetings
    assert slice_papers(papers, 0) is papers
    assert slice_papers(papers, len(papers.meetings)) is papers


@pytest.mark.parametrize("count", [2, 6, 10])
def test_slice_draws_the_newest_papers_as_a_full_build(papers: Papers, count: int) -> None:
    """The pages of the newest meetings and their reports are the same HTML from the slice
    as from the whole archive, and nothing withheld from the full build is shown."""

    def drawn(source: Papers) -> tuple[Papers, Renderer]:
        policy = Policy(source, Audience.public, TODAY)
        shown = project(source, policy)
        return shown, Renderer(shown, Policy(shown, Audience.public, TODAY), [ROOT / "macros"])

    full, full_renderer = drawn(papers)
    part, part_renderer = drawn(slice_papers(papers, count))
    assert set(part.reports) <= set(full.reports)
    checked = 0
    for meeting in newest_meetings(papers, count):
        assert part_renderer.meeting(meeting.id, "../../") == full_renderer.meeting(
            meeting.id, "../../"
        )
        if full.meetings[meeting.id].minutes is not None:
            assert part_renderer.minutes(meeting.id, "../../../") == full_renderer.minutes(
                meeting.id, "../../../"
            )
        for item in meeting.agenda:
            for report_id in item.report_ids:
                if report_id in full.reports:
                    base = "../../"
                    assert part_renderer.report(report_id, base) == full_renderer.report(
                        report_id, base
                    ), report_id
                    checked += 1
                else:
                    assert report_id not in part.reports
    assert checked > 0


# --- the plugin in `mkdocs serve` --------------------------------------------------------------


def serve_config(site: Path, data: Path) -> object:
    """A fresh configuration as `mkdocs serve` makes one for each rebuild: the demo's
    mkdocs.yml over `data`, a slice of the newest three meetings, the tests' as-of date."""
    from mkdocs.config import load_config

    loaded_config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    plugin = loaded_config.plugins["committee-papers"]
    plugin.config.data_dir = str(data)
    plugin.config.as_of = AS_OF
    plugin.config.serve_meetings = 3
    return loaded_config


def test_serve_rebuilds_show_each_edit_from_memory(tmp_path: Path) -> None:
    """Rebuild as `mkdocs serve` does (a new configuration, the same plugin) after edits."""
    from mkdocs.commands.build import build

    data = copy_data(tmp_path / "data", DATA)
    report_file = data / "meetings" / "2026-11-11-audit-governance" / f"{SERVED}.md"
    site = Path(tempfile.mkdtemp(dir=tmp_path))

    def config() -> object:
        return serve_config(site, data)

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    build(first, serve_url="http://127.0.0.1:8000/")
    report = site / "reports" / SERVED / "index.html"
    assert "Treasury Management Mid-Year Review 2026/27" in report.read_text(encoding="utf-8")
    older = site / "meetings" / "2025-12-10-planning" / "index.html"
    assert not older.exists()  # out of the slice
    plugin = first.plugins["committee-papers"]
    for title in ("Treasury Review Revised", "Treasury Review Again"):
        old = report_file.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n")[0]
        edit(report_file, f"title: {old}", f"title: {title}")
        wait_for_event(plugin.watcher)
        again = config()
        assert again.plugins["committee-papers"] is plugin
        build(again, serve_url="http://127.0.0.1:8000/")
        assert f"<title>{title}" in report.read_text(encoding="utf-8")
        assert plugin.load_memory.units and plugin.compiled["theme"].store
        # Told by the watcher: only the edited folder was looked at.
        assert plugin.load_memory.changed is not None
        folder = str(report_file.parent)
        assert plugin.load_memory.changed and all(
            p == folder or p.startswith(folder + "/") for p in plugin.load_memory.changed
        )
    first.plugins.on_shutdown()
    assert plugin.watcher is None


def wait_for_event(watcher: ChangedFiles | None) -> None:
    """inotify's events come a moment after the write, as they do before a serve rebuild."""
    assert watcher is not None and watcher.running
    for _ in range(100):
        with watcher._lock:
            if watcher._paths:
                return
        time.sleep(0.05)
    raise AssertionError("no event from the watcher")


# --- the watcher -------------------------------------------------------------------------------


def test_watcher_names_changed_files_not_read_ones(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "meetings" / "one").mkdir(parents=True)
    report = folder / "meetings" / "one" / "a.md"
    report.write_text("first", encoding="utf-8")
    watcher = ChangedFiles(folder)
    try:
        assert watcher.take() is None  # what changed before it ran is not known
        report.read_text(encoding="utf-8")
        time.sleep(0.3)
        assert watcher.take() == set()
        report.write_text("second", encoding="utf-8")
        wait_for_event(watcher)
        (folder / "meetings" / "two").mkdir()
        time.sleep(0.3)
        changed = watcher.take()
        assert changed is not None and str(report) in changed
        assert str(folder / "meetings" / "two") in changed
        assert watcher.take() == set()
        for number in range(MOST_CHANGES + 1):
            (folder / "meetings" / "one" / f"{number}.md").write_text("x", encoding="utf-8")
        time.sleep(1)
        assert watcher.take() is None  # too many at once: check every file
        assert watcher.take() == set()
        # How watchdog says the kernel dropped events: every file is checked next time.
        logging.getLogger("watchdog.observers.inotify_c").warning(
            "Inotify queue overflowed; filesystem events were lost"
        )
        assert watcher.take() is None
    finally:
        watcher.stop()


def test_load_told_what_changed_reads_only_that_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from committee_papers import load as loader

    data = copy_data(tmp_path / "data", DATA)
    housing = data / "meetings" / "2026-05-12-housing-scrutiny" / "tenancy-strategy-2026.md"
    listed: list[str] = []
    list_files = loader.unit_files

    def counted(folder: Path) -> list[Path] | None:
        listed.append(folder.name)
        return list_files(folder)

    monkeypatch.setattr(loader, "unit_files", counted)
    memory = UnitMemory()
    remembered(data, memory)
    assert len(listed) == len(list((data / "meetings").iterdir()))
    edit(housing, "title: Tenancy Strategy 2026-2031", "title: Tenancy Strategy Revised")
    memory.changed = {str(housing)}
    listed.clear()
    papers, found, _, stats = remembered(data, memory)
    assert listed == ["2026-05-12-housing-scrutiny"] and stats.hashed == 1
    plain, plain_found, _ = loaded(data, None)
    assert (papers, found) == (fields(plain), plain_found)
    memory.changed = None  # not known: every folder again
    listed.clear()
    remembered(data, memory)
    assert len(listed) == len(list((data / "meetings").iterdir()))


def test_macro_naming_a_paper_older_than_the_slice_says_so(tmp_path: Path) -> None:
    """A hand-written page naming an older report does not stop `mkdocs serve`: it says the
    paper is not drawn while serving (a build draws it, and still refuses unknown ids)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        '# Home\n\n{{ report("medium-term-financial-strategy-2026") }}\n\n'
        f'{{{{ report("{SERVED}") }}}}\n',
        encoding="utf-8",
    )
    site = tmp_path / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), docs_dir=str(docs))
    plugin = config.plugins["committee-papers"]
    plugin.config.as_of = AS_OF
    plugin.config.serve_meetings = 3
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'report("medium-term-financial-strategy-2026") is older than the newest' in home
    assert "Treasury Management Mid-Year Review 2026/27" in home
