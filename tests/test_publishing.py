"""Publishing is safe: one build at a time, an atomic swap, no dangerous output folder.

Each test builds a small council in a copy of the project, so a refused output folder that
was not refused would only destroy a copy.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import AS_OF, FIXTURE, ROOT, file_digests, papers_command

from committee_papers import asof, publish
from committee_papers.mkdocs_plugin import CommitteePapersPlugin


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project with the small fixture council as its data."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root)
    for folder in ("docs", "overrides", "macros"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copytree(FIXTURE, root / "data")
    return root


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return papers_command("build", "--as-of", AS_OF, *args, cwd=project)


def test_a_second_build_into_a_locked_folder_stops_with_a_clear_message(project: Path) -> None:
    assert build(project).returncode == 0
    before = file_digests(project / "site")
    with (project / ".site.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = build(project)
    assert result.returncode == 1
    assert "another build into" in result.stderr and "is running" in result.stderr
    assert "Traceback" not in result.stderr
    assert file_digests(project / "site") == before
    assert build(project).returncode == 0  # the lock went with the other build


def test_two_builds_at_once_leave_one_complete_site(project: Path) -> None:
    command = [sys.executable, "-m", "committee_papers.cli", "build", "--as-of", AS_OF]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [(run.wait(timeout=300), run.stderr.read().decode()) for run in runs]
    assert any(code == 0 for code, _ in results), results
    for code, stderr in results:
        assert code == 0 or "another build into" in stderr, stderr
        assert "Traceback" not in stderr
    site = project / "site"
    assert (site / "index.html").is_file() and (site / "assets").is_dir()
    assert (site / "meetings/2026-01-28-audit-governance/index.html").is_file()
    assert not (project / ".site.building").exists()


def test_killed_builds_leave_the_old_or_the_new_site_never_none(project: Path) -> None:
    assert build(project).returncode == 0
    old = file_digests(project / "site")
    meeting = project / "data/meetings/2026-01-28-audit-governance/meeting.yml"
    text = meeting.read_text()
    assert "Committee Room 2" in text
    meeting.write_text(text.replace("Committee Room 2", "Committee Room 3"))
    # Builds are byte-identical for the same data, so the new site is known in advance.
    assert build(project, "-d", "expected").returncode == 0
    new = file_digests(project / "expected")
    assert new != old
    command = [sys.executable, "-m", "committee_papers.cli", "build", "--as-of", AS_OF]
    for delay in (0.5, 1.5, 2.5, 3.5, 5.0):
        run = subprocess.Popen(command, cwd=project, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        run.send_signal(signal.SIGKILL)
        run.wait()
        site = file_digests(project / "site")
        assert site in (old, new), f"killed after {delay} s: {_unlike(site, old, new)}"
    # The next build clears what the killed ones left and publishes.
    assert build(project).returncode == 0
    assert not (project / ".site.building").exists()
    assert file_digests(project / "site") == new


#: Pagefind held back by the test: the first run (the build to be killed) says it started
#: and waits for the word `go`, then indexes and says `done`; a later run waits for `done`
#: first, so the killed build's Pagefind writes while the next build is indexing.
HELD_PAGEFIND = """#!/bin/sh
wait_for() { while [ ! -e "$CTL/$1" ]; do sleep 0.05; done; }
if mkdir "$CTL/held" 2>/dev/null; then
    touch "$CTL/started"; wait_for go; "$REAL" "$@"; touch "$CTL/done"; exit 0
fi
[ -e "$CTL/done" ] || touch "$CTL/next-waiting"
wait_for done
exec "$REAL" "$@"
"""
#: `papers build` with Pagefind's binary as given in `PAPERS_TEST_PAGEFIND`.
BUILD_WITH_PAGEFIND = (
    "import os, sys; from pathlib import Path; import committee_papers.searchindex as index; "
    "index._pagefind_binary = lambda: Path(os.environ['PAPERS_TEST_PAGEFIND']); "
    "from committee_papers.cli import run; sys.argv = ['papers', *sys.argv[1:]]; run()"
)


def test_a_killed_builds_pagefind_writes_nothing_the_next_build_publishes(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed while Pagefind runs leaves Pagefind running. Here it writes its
    index only once the next build is indexing the same group: the next site is still
    the one a fresh build makes, and the indexes kept between builds still hold the bytes
    listed for them."""
    from committee_papers.searchindex import _pagefind_binary

    # A store of this test's own: another test's builds of the same data would have left
    # every index this one needs kept, and Pagefind would not run.
    store = tmp_path / "store"
    monkeypatch.setenv("PAPERS_SEARCH_CACHE", str(store))
    assert build(project).returncode == 0
    meeting = project / "data/meetings/2026-01-28-audit-governance/meeting.yml"
    meeting.write_text(meeting.read_text().replace("Committee Room 2", "Committee Room 3"))
    control, held = tmp_path / "control", tmp_path / "pagefind"
    control.mkdir()
    held.write_text(HELD_PAGEFIND)
    held.chmod(0o755)
    env = {
        **os.environ,
        "CTL": str(control),
        "REAL": str(_pagefind_binary()),
        "PAPERS_TEST_PAGEFIND": str(held),
    }
    command = [sys.executable, "-c", BUILD_WITH_PAGEFIND, "build", "--as-of", AS_OF]
    killed = subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.DEVNULL)
    _wait_for(control / "started")
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    following = subprocess.Popen(command, cwd=project, env=env, stderr=subprocess.PIPE)
    _wait_for(control / "next-waiting")
    time.sleep(0.5)  # the kept indexes moved into the staging folder meanwhile
    (control / "go").touch()
    assert following.wait(timeout=300) == 0, following.stderr.read().decode()  # type: ignore[union-attr]
    assert (control / "done").exists()
    fresh = subprocess.run(
        [sys.executable, "-m", "committee_papers.cli", "build", "--as-of", AS_OF, "-d", "fresh"],
        cwd=project,
        env={**os.environ, "PAPERS_SEARCH_CACHE": str(tmp_path / "empty-store")},
        capture_output=True,
        text=True,
    )
    assert fresh.returncode == 0, fresh.stderr
    site, expected = file_digests(project / "site"), file_digests(project / "fresh")
    assert site == expected, _unlike(site, expected, expected)
    assert _kept_unlike_listed(store) == []


def _wait_for(path: Path, seconds: float = 120.0) -> None:
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"{path.name} never came"
        time.sleep(0.05)


def _kept_unlike_listed(store: Path) -> list[str]:
    """The files of the search store's kept indexes whose bytes are not those listed."""
    from committee_papers.searchstore import file_digest

    unlike = []
    for listing in sorted(store.glob("[!.]*.json")):
        folder = listing.with_suffix("")
        for rel, (digest, _) in json.loads(listing.read_text())["files"].items():
            path = folder / rel
            if folder.is_dir() and file_digest(path.read_bytes()) != digest:
                unlike.append(f"{folder.name}/{rel}")
    return unlike


def _unlike(site: dict[str, str], old: dict[str, str], new: dict[str, str]) -> str:
    """Where a site left by a killed build differs from the old one and from the new one
    (a few names of each), for the message when it is neither."""

    def differing(other: dict[str, str]) -> list[str]:
        names = site.keys() | other.keys()
        return sorted(n for n in names if site.get(n) != other.get(n))[:8]

    return f"unlike the old in {differing(old)}, unlike the new in {differing(new)}"


def test_a_kill_between_exchange_and_cleanup_keeps_the_new_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, staging = tmp_path / "site", publish.staging_dir_for(tmp_path / "site")
    target.mkdir()
    (target / "index.html").write_text("old")
    staging.mkdir()
    (staging / "index.html").write_text("new")

    def killed(path: Path) -> None:
        raise KeyboardInterrupt  # the process dies here, after the one-step exchange

    monkeypatch.setattr(publish.shutil, "rmtree", killed)
    with pytest.raises(KeyboardInterrupt):
        publish.swap_into_place(staging, target)
    assert (target / "index.html").read_text() == "new"
    monkeypatch.undo()
    publish.clean_leftovers(target)
    assert not staging.exists() and (target / "index.html").read_text() == "new"


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["-d", "data"], "is the data folder"),
        (["-d", "data/meetings"], "is inside"),
        (["-d", "macros"], "is the templates folder"),
        (["-d", "overrides"], "is the theme overrides folder"),
        (["-d", "macros/x"], "is inside"),
        # MkDocs itself refuses an output folder that holds docs/ (the project, its parent).
        (["-d", "docs"], "'docs_dir' should not be within the 'site_dir'"),
        (["-d", "."], "'docs_dir' should not be within the 'site_dir'"),
        (["-d", ".."], "'docs_dir' should not be within the 'site_dir'"),
        (["--members", "-d", "site"], "is the public site folder"),
    ],
)
def test_a_dangerous_output_folder_is_refused(project: Path, args: list[str], what: str) -> None:
    before = file_digests(project)
    result = build(project, *args)
    assert result.returncode == 1
    assert what in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    after = file_digests(project)
    assert {k: v for k, v in after.items() if not k.startswith(".")} == before


def test_the_project_folder_and_its_parents_are_refused(tmp_path: Path) -> None:
    project = tmp_path / "council"
    protected = [("project folder", project), ("data folder", project / "papers")]
    for target, message in [
        (project, f"the output folder {project} is the project folder"),
        (tmp_path, f"the output folder {tmp_path} is a folder holding the project folder"),
        (project / "papers", "is the data folder"),
    ]:
        with pytest.raises(publish.PublishError, match=message):
            publish.refuse_dangerous_output(target, protected, [])
    publish.refuse_dangerous_output(project / "site", protected, [project / "papers"])


def test_a_members_build_never_replaces_a_public_site(project: Path) -> None:
    assert build(project, "-d", "public-copy").returncode == 0
    before = file_digests(project / "public-copy")
    result = build(project, "--members", "-d", "public-copy")
    assert result.returncode == 1
    assert "holds the public site: a members' build never goes there" in result.stderr
    assert file_digests(project / "public-copy") == before
    members = build(project, "--members")
    assert members.returncode == 0
    assert (project / "site-members/robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert not (project / "public-copy/robots.txt").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-1-5", "'2026-1-5' is not a date; expected YYYY-MM-DD"),
        ("23/11/2026", "is not a date; expected YYYY-MM-DD"),
        ("2026-02-30", "'2026-02-30' is not a real date"),
        ("0001-01-01", "0001-01-01 is outside the years 1970 to 2100"),
        ("9999-12-31", "9999-12-31 is outside the years 1970 to 2100"),
        ("+2026-11-23", "is not a date"),
    ],
)
def test_as_of_takes_only_a_sane_iso_date(value: str, message: str) -> None:
    result = papers_command("build", "--as-of", value, "-d", "never-built")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (ROOT / "never-built").exists()


@pytest.mark.parametrize(
    ("utc", "london"),
    [
        # 23:30 UTC on a summer day is 00:30 the next day in London (BST).
        (dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC), dt.date(2026, 7, 2)),
        # In winter London is on UTC: still the same day.
        (dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC), dt.date(2026, 1, 15)),
        # The night the clocks go back: 00:30 UTC is 01:30 BST on 25 October.
        (dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC), dt.date(2026, 10, 25)),
    ],
)
def test_today_is_the_date_in_london(
    utc: dt.datetime, london: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(asof, "_now", lambda: utc)
    monkeypatch.setenv("TZ", "America/Los_Angeles")  # a server far from London
    time.tzset()
    try:
        plugin = CommitteePapersPlugin()
        plugin.load_config({})
        assert plugin._as_of() == london
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_the_build_lock_is_released_when_the_process_dies(tmp_path: Path) -> None:
    target = tmp_path / "site"
    code = (
        "import os, pathlib, committee_papers.publish as p\n"
        f"lock = p.BuildLock(pathlib.Path({str(target)!r})); lock.acquire(); os._exit(0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    lock = publish.BuildLock(target)
    lock.acquire()
    lock.release()
    assert os.path.exists(publish.lock_file_for(target))


def test_mkdocs_serve_never_serves_the_members_site() -> None:
    from mkdocs.exceptions import PluginError

    plugin = CommitteePapersPlugin()
    plugin.load_config({"audience": "members"})
    plugin.on_startup(command="serve", dirty=False)

    class Config:
        config_file_path = str(ROOT / "mkdocs.yml")

    with pytest.raises(PluginError, match="the members' site is never served by mkdocs serve"):
        plugin.on_config(Config())  # type: ignore[arg-type]


def test_the_old_site_is_deleted_in_the_background_after_the_swap(tmp_path: Path) -> None:
    target, staging = tmp_path / "site", publish.staging_dir_for(tmp_path / "site")
    (target / "a").mkdir(parents=True)
    (target / "a" / "index.html").write_text("old")
    staging.mkdir()
    (staging / "index.html").write_text("new")
    publish.swap_into_place(staging, target, background=True)
    assert (target / "index.html").read_text() == "new" and not staging.exists()
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.glob(".site.old-*"))


def test_the_next_build_finishes_a_deletion_left_unfinished(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    retired = tmp_path / ".site.old-123-456"
    (retired / "b").mkdir(parents=True)
    (retired / "b" / "index.html").write_text("old")
    publish.clean_leftovers(target)
    deadline = time.monotonic() + 30  # deleted in the background, as after a swap
    while retired.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not retired.exists() and target.exists()


def test_the_next_build_deletes_what_a_killed_builds_pagefind_wrote_beside_it(
    tmp_path: Path,
) -> None:
    target = tmp_path / "site"
    target.mkdir()
    side = publish.side_folder(publish.staging_dir_for(target))
    assert side.parent == tmp_path and side.name.startswith(".site.building.side-")
    (side / "fragment").mkdir(parents=True)
    (side / "fragment" / "a.pf_fragment").write_bytes(b"index")
    unrelated = tmp_path / "site.side-1-2"  # not a name side_folder gives
    unrelated.mkdir()
    publish.clean_leftovers(target)
    deadline = time.monotonic() + 30  # deleted in the background
    while side.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not side.exists() and target.exists() and unrelated.exists()


def test_an_old_site_still_being_deleted_is_not_deleted_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "site"
    target.mkdir()
    retired = tmp_path / ".site.old-123-456"
    (retired / "b").mkdir(parents=True)
    started: list[Path] = []
    monkeypatch.setattr(publish, "jobs_running", lambda: {str(retired)})
    monkeypatch.setattr(publish, "_delete_in_background", lambda f: started.append(f) or True)
    monkeypatch.setattr(publish.shutil, "rmtree", lambda *a, **k: started.append(a[0]))
    publish.clean_leftovers(target)
    assert started == [] and retired.exists()
