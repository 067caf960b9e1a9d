"""A long build says how far its pages step has gone: pages drawn of pages to draw, every
few seconds, however the pages are drawn (issue 18: "Long builds show progress")."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from support import build_site, copy_data

from committee_papers import mkdocs_plugin, progress
from committee_papers.prerender import ENV_WORKERS
from committee_papers.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_step_speaks_every_few_seconds_and_says_its_end() -> None:
    said: list[str] = []
    clock = Clock()
    step = Progress("Pages drawn", 10, said.append, every=5.0, clock=clock)
    for done in range(1, 11):
        clock.now += 2.0
        step.note(done)
    # A message once 5 s have passed since the step began or since the last message.
    assert said == [
        "Pages drawn: 3 of 10 (6 s)",
        "Pages drawn: 6 of 10 (12 s)",
        "Pages drawn: 9 of 10 (18 s)",
        "Pages drawn: 10 of 10 (20 s)",
    ]


def test_a_quick_step_says_nothing() -> None:
    said: list[str] = []
    clock = Clock()
    step = Progress("Pages drawn", 3, said.append, every=5.0, clock=clock)
    for _ in range(3):
        clock.now += 1.0
        step.one_more()
    assert said == []


def test_the_count_never_goes_back_nor_past_the_total() -> None:
    said: list[str] = []
    clock = Clock()
    step = Progress("Pages drawn", 10, said.append, every=1.0, clock=clock)
    for done in (4, 2, 30, 5):
        clock.now += 1.0
        step.note(done)
    assert said == ["Pages drawn: 4 of 10 (1 s)", "Pages drawn: 4 of 10 (2 s)",
                    "Pages drawn: 10 of 10 (3 s)"]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "told"),
    [
        ("fork", "Drawing the pages on two cores"),
        ("spawn", "Rendering the papers' HTML on two cores"),
        ("one process", None),
    ],
)
def test_the_pages_step_counts_the_pages_drawn_by_either_process(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    start: str,
    told: str | None,
) -> None:
    """Pages drawn from both ends by two processes (BothEnds), their HTML by a spawned
    worker (PageHtml), or all here: the count grows to the pages the build draws, which are
    the pages the page cache could not serve, not every page of the site."""
    data = copy_data(tmp_path / "data")
    monkeypatch.setattr(progress, "EVERY_SECONDS", 0.0)  # a message at every count
    monkeypatch.setenv(ENV_WORKERS, "0" if start == "one process" else "1")
    if start != "one process":
        monkeypatch.setattr(mkdocs_plugin, "start_method", lambda: start)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.committee_papers"):
        build_site(tmp_path / "site", data_dir=data)
    messages = [r.getMessage() for r in caplog.records]
    to_draw = next(int(m.group(1)) for text in messages if (m := re.search(r"(\d+) to draw", text)))
    counts = [
        (int(m.group(1)), int(m.group(2)))
        for text in messages
        if (m := re.fullmatch(r"Pages drawn: (\d+) of (\d+) \(\d+ s\)", text))
    ]
    assert to_draw > 30
    assert told is None or told in messages
    assert counts, messages
    assert {total for _, total in counts} == {to_draw}
    done = [count for count, _ in counts]
    assert done == sorted(done) and done[-1] == to_draw
    assert len(set(done)) > 3  # it moved as the pages were drawn, not only at the end
