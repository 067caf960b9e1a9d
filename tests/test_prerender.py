"""The pages' worker process (prerender.py): the same HTML whichever process renders a page."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from support import FIXTURE, ROOT, build_site, copy_data, file_digests

from committee_papers.load import load
from committee_papers.pages import page_specs
from committee_papers.policy import Audience, Policy
from committee_papers.prerender import ENV_WORKERS, PageHtml, RenderInputs, workers_for
from committee_papers.projection import project, withheld_ids

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def inputs() -> RenderInputs:
    full = load(FIXTURE)
    shown = project(full, Policy(full, Audience.public, AS_OF))
    policy = Policy(shown, Audience.public, AS_OF)
    return RenderInputs(shown, policy, (ROOT / "macros",), frozenset(withheld_ids(full, shown)))


def specs_of(inputs: RenderInputs) -> dict:
    specs = page_specs(inputs.papers, inputs.policy, inputs.renderer())
    return {spec.src_uri: spec for spec in specs}


def test_pages_made_by_the_worker_are_the_pages_made_here(inputs: RenderInputs) -> None:
    specs = specs_of(inputs)
    order = list(specs)
    pages = PageHtml(specs, order, inputs, workers=1)
    try:
        while not pages.finished:  # let the worker render every page before asking for any
            pages._drain(block=True)
        made = {uri: pages.html(uri) for uri in order}
    finally:
        pages.close()
    assert pages.by_worker == len(order) > 20
    assert made == {uri: spec.html() for uri, spec in specs.items()}


def test_the_two_processes_meet_in_the_middle(inputs: RenderInputs) -> None:
    specs = specs_of(inputs)
    order = list(specs)
    pages = PageHtml(specs, order, inputs, workers=1)
    try:
        made = [pages.html(uri) for uri in order]
    finally:
        pages.close()
    assert made == [specs[uri].html() for uri in order]
    assert pages.process is None


def test_a_failing_worker_leaves_the_pages_to_the_build(
    inputs: RenderInputs, tmp_path: Path
) -> None:
    specs = specs_of(inputs)
    order = list(specs)
    broken = RenderInputs(inputs.papers, inputs.policy, (tmp_path,), inputs.withheld)
    pages = PageHtml(specs, order, broken, workers=1)
    try:
        made = [pages.html(uri) for uri in order]
    finally:
        pages.close()
    assert pages.by_worker == 0
    assert made == [specs[uri].html() for uri in order]


def test_the_worker_is_used_only_where_it_pays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_WORKERS, raising=False)
    assert workers_for(50) == 0
    assert workers_for(5000) == (1 if (__import__("os").cpu_count() or 1) >= 2 else 0)
    assert workers_for(5000, 0) == 0
    monkeypatch.setenv(ENV_WORKERS, "1")
    assert workers_for(10) == 1


def test_a_build_with_the_worker_has_the_bytes_of_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = copy_data(tmp_path / "data")
    # The worker runs only without the page cache (its drawings record no reads).
    monkeypatch.setenv("PAPERS_PAGE_CACHE", "false")
    monkeypatch.setenv(ENV_WORKERS, "1")
    with caplog.at_level(logging.INFO):
        with_worker = file_digests(build_site(tmp_path / "with", data_dir=data))
    assert "Rendering the papers' HTML on two cores" in caplog.text
    monkeypatch.setenv(ENV_WORKERS, "0")
    without = file_digests(build_site(tmp_path / "without", data_dir=data))
    assert with_worker == without
    assert sum(name.endswith(".html") for name in without) > 30
