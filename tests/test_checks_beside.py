"""A build's checks between files run in a fork while the papers are projected
(loadfork.ChecksBeside): a build still stops on every problem they find, listed with the
problems of reading the files, as when they ran before the projection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from support import build_site, edit, file_digests, forks_started

from committee_papers import loadfork, preparation
from committee_papers.load import load_with_problems
from committee_papers.policy import Audience
from committee_papers.problems import DataError
from committee_papers.steps import StepTimer

AS_OF = dt.date(2026, 11, 23)
MEETING = "meetings/2026-06-16-cabinet/meeting.yml"


@pytest.fixture
def beside(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the check forks started."""
    return forks_started(loadfork.ChecksBeside, monkeypatch)


def prepared_problems(data: Path, tmp_path: Path) -> list[str] | None:
    """The problems a build's preparation stops on (None: it did not stop)."""
    try:
        preparation.prepare(
            data, Audience.public, AS_OF, timer=StepTimer(), load_cache=tmp_path / "cache"
        )
    except DataError as error:
        return [str(problem) for problem in error.problems]
    return None


def checked_in_one_process(data: Path) -> list[str]:
    return [str(problem) for problem in load_with_problems(data)[1]]


def test_a_build_stops_on_what_the_checks_beside_find_with_every_other_problem(
    demo: Path, tmp_path: Path, beside: list[int]
) -> None:
    """A report named on an agenda that no folder holds (a check between files) and a
    meeting file that cannot be read (found reading the files): both listed, as the same
    load in one process lists them; and a "TO DO" (a warning) does not stop a build."""
    edit(demo / MEETING, "report: revenue-outturn-2025-26", "report: no-such-report")
    edit(demo / "meetings/2026-12-16-council/meeting.yml", "venue:", "venue: [unclosed")
    found = prepared_problems(demo, tmp_path)
    assert len(beside) == 1
    assert found is not None and found == checked_in_one_process(demo)
    assert any("no-such-report" in problem for problem in found)
    assert any("2026-12-16-council/meeting.yml" in problem for problem in found)


def test_the_checks_beside_alone_stop_a_build(
    demo: Path, tmp_path: Path, beside: list[int]
) -> None:
    edit(demo / MEETING, "report: revenue-outturn-2025-26", "report: no-such-report")
    found = prepared_problems(demo, tmp_path)
    assert len(beside) == 1
    assert found is not None and found == checked_in_one_process(demo)
    assert any("no-such-report" in problem for problem in found)


def test_papers_that_pass_build_and_a_warning_is_kept(
    demo: Path, tmp_path: Path, beside: list[int]
) -> None:
    report = demo / "meetings/2026-06-16-cabinet/revenue-outturn-2025-26.md"
    report.write_text(report.read_text() + "\nTO DO: a title.\n", encoding="utf-8")
    prepared = preparation.prepare(
        demo, Audience.public, AS_OF, timer=StepTimer(), load_cache=tmp_path / "cache"
    )
    assert len(beside) == 1
    assert any("TO DO: a title" in str(warning) for warning in prepared.warnings)


def test_a_projection_that_fails_on_papers_the_checks_reject_reports_their_problems(
    demo: Path, tmp_path: Path, beside: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The projection now runs before the checks' answer: where it fails on papers the
    checks reject, the build lists their problems, not a traceback; on papers they pass,
    its error is the projection's own."""

    def failing(*args: Any) -> Any:
        raise KeyError("no-such-report")

    monkeypatch.setattr(preparation, "project", failing)
    edit(demo / MEETING, "report: revenue-outturn-2025-26", "report: no-such-report")
    found = prepared_problems(demo, tmp_path)
    assert found is not None and any("no-such-report" in problem for problem in found)
    edit(demo / MEETING, "report: no-such-report", "report: revenue-outturn-2025-26")
    with pytest.raises(KeyError):
        prepared_problems(demo, tmp_path)


def test_a_check_fork_that_fails_leaves_the_checks_to_the_build_process(
    demo: Path, tmp_path: Path, beside: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from committee_papers import links

    here, check = os.getpid(), links.check_links

    def only_here(*args: Any) -> None:
        if os.getpid() != here:
            raise MemoryError("a fork out of memory")
        check(*args)

    monkeypatch.setattr("committee_papers.load.check_links", only_here)
    edit(demo / MEETING, "report: revenue-outturn-2025-26", "report: no-such-report")
    found = prepared_problems(demo, tmp_path)
    assert len(beside) == 1
    assert found is not None and any("no-such-report" in problem for problem in found)


def test_the_projected_papers_are_told_before_the_checks_beside_answer(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's fork begins once the papers are projected (`projected`), while the
    checks beside still run (their last 0.3 s at ten years of papers); their problems
    still stop the preparation after it."""
    order: list[str] = []
    real_found = loadfork.ChecksBeside.found

    def found(self: loadfork.ChecksBeside) -> Any:
        order.append("checks answered")
        return real_found(self)

    def projected(papers: Any, policy: Any, origins: Any) -> None:
        order.append("projected")
        assert set(policy.papers.meetings) <= set(papers.meetings) and origins

    monkeypatch.setattr(loadfork.ChecksBeside, "found", found)
    edit(demo / MEETING, "report: revenue-outturn-2025-26", "report: no-such-report")
    with pytest.raises(DataError) as stopped:
        preparation.prepare(
            demo,
            Audience.public,
            AS_OF,
            timer=StepTimer(),
            load_cache=tmp_path / "cache",
            projected=projected,
        )
    assert order == ["projected", "checks answered"]
    assert any("no-such-report" in str(problem) for problem in stopped.value.problems)


def test_a_build_the_checks_stop_after_its_fork_began_leaves_the_site_and_no_fork(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.exceptions import Abort

    from committee_papers import buildfork

    site = build_site(tmp_path / "site", data_dir=demo)
    before = file_digests(site)
    forks: list[Any] = []
    real_init = buildfork.BuildFork.__init__

    def init(self: buildfork.BuildFork, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        assert self._fork is not None
        forks.append(self._fork._process)

    monkeypatch.setattr(buildfork.BuildFork, "__init__", init)
    edit(demo / MEETING, "report: revenue-outturn-2025-26", "report: no-such-report")
    with pytest.raises(Abort):
        build_site(site, data_dir=demo)
    assert len(forks) == 1  # begun before the checks had answered
    assert forks[0].exitcode is not None  # and ended with the build
    assert file_digests(site) == before


def test_a_warm_load_s_line_maps_and_problems_are_held_a_cold_one_s_let_go(
    demo: Path, tmp_path: Path
) -> None:
    """What the load made besides the papers is held to the end of a re-build (freed after
    its fork began, it cost the build process page copies), not after a cold load, whose
    line maps of every file parsed are the larger part of a first build's peak."""

    def held() -> tuple[Any, ...]:
        prepared = preparation.prepare(
            demo, Audience.public, AS_OF, timer=StepTimer(), load_cache=tmp_path / "cache"
        )
        return prepared.held

    assert held() == ()  # every unit read from its files
    sources, *_ = held()  # every unit from the load cache
    assert sources.cache.hits and not sources.cache.misses
    assert sources.maps  # the line maps the checks read when their fork does not answer
