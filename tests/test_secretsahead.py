"""The guard's secrets worked out in a fork while the pages are drawn (secretsahead.py):
the same secrets as working them out in the build process, whether the fork answers, fails
or is stopped."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from support import AS_OF, DATA

from committee_papers import decisions, forked, guard, secretsahead
from committee_papers.buildfork import BuildFork, start_fork
from committee_papers.load import load
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project

pytestmark = pytest.mark.skipif(not forked.available(), reason="no fork on this system")

TEMPLATE_TEXT = ["Apologies for absence", "Declarations of interest"]


@pytest.fixture(scope="module")
def papers():
    full = load(DATA)
    return full, project(full, Policy(full, Audience.public, dt.date.fromisoformat(AS_OF)))


def alike(found: guard.Secrets, expected: guard.Secrets) -> None:
    """Same fragments and papers, same public digests, and a matcher that finds the same."""
    assert found.papers == expected.papers
    assert (found.public is None) == (expected.public is None)
    if expected.public is not None:
        assert found.public.tobytes() == expected.public.tobytes()
    text = guard.APART.join(guard._fold(fragment) for fragment in sorted(expected.papers))
    assert found.find(text.encode()) == expected.find(text.encode()) == set(expected.papers)


def forked_secrets(papers, tmp_path: Path, memory: Path | None):  # type: ignore[no-untyped-def]
    """SecretsAhead answered by the build's fork (buildfork.py), as the plugin makes it
    for a first build (no outputs asked of the fork); and that fork."""
    full, shown = papers
    ahead = secretsahead.SecretsAhead(full, shown, TEMPLATE_TEXT, memory)
    policy = Policy(shown, Audience.public, dt.date.fromisoformat(AS_OF))
    fork = BuildFork(tmp_path / "staging", policy, lambda key: None, first=ahead.work)
    ahead.answered_by(fork.first_answer, fork.stop)
    fork.go(None)
    return ahead, fork


def expected_secrets(papers, memory: Path | None) -> guard.Secrets:
    full, shown = papers
    return guard.secrets(full, shown, TEMPLATE_TEXT, digested=memory is not None, memory=memory)


def test_the_fork_s_answer_is_the_secrets(papers, tmp_path, monkeypatch) -> None:
    expected = expected_secrets(papers, tmp_path / "plain")
    assert len(expected) > 0  # the demo withholds papers: there is something to find
    ahead, _ = forked_secrets(papers, tmp_path, tmp_path / "ahead")

    # Working them out in this process is now impossible: the answer must be the fork's.
    def not_here(*args: object, **kwargs: object) -> guard.Secrets:
        raise AssertionError("worked out in the build process")

    monkeypatch.setattr(secretsahead, "secrets", not_here)
    alike(ahead.secrets(), expected)
    # The fork kept the guard's memo, as the build process would have.
    assert (tmp_path / "ahead" / "secrets.json").is_file()


def test_without_a_memory_folder_there_are_no_digests(papers, tmp_path) -> None:
    full, shown = papers
    found = secretsahead.SecretsAhead(full, shown, TEMPLATE_TEXT, None).secrets()
    assert found.public is None
    alike(found, expected_secrets(papers, None))
    found = forked_secrets(papers, tmp_path, None)[0].secrets()
    assert found.public is None
    alike(found, expected_secrets(papers, None))


def test_a_fork_that_fails_means_working_them_out_here(papers, tmp_path, monkeypatch) -> None:
    parent, real = os.getpid(), guard.secrets

    def broken(*args: object, **kwargs: object) -> guard.Secrets:
        if os.getpid() != parent:
            raise MemoryError("the fork ran out of memory")
        return real(*args, **kwargs)

    monkeypatch.setattr(secretsahead, "secrets", broken)
    ahead, _ = forked_secrets(papers, tmp_path, tmp_path / "ahead")
    alike(ahead.secrets(), expected_secrets(papers, tmp_path / "plain"))


def test_a_stopped_fork_is_ended_and_worked_out_here(papers, tmp_path) -> None:
    ahead, fork = forked_secrets(papers, tmp_path, tmp_path / "ahead")
    process = fork._fork._process
    ahead.stop()
    assert not process.is_alive()
    alike(ahead.secrets(), expected_secrets(papers, tmp_path / "plain"))


def test_a_series_fork_answers_in_order_and_then_no_more() -> None:
    """forked.Series: one fork, several answers taken in order; one that fails ends it."""

    def work(fail_at: int):  # type: ignore[no-untyped-def]
        for n in range(3):
            if n == fail_at:
                raise RuntimeError("lost")
            yield n * 10

    whole = forked.Series(work, 99)
    assert [whole.next() for _ in range(4)] == [(True, 0), (True, 10), (True, 20), (False, None)]
    broken = forked.Series(work, 1)
    assert [broken.next() for _ in range(3)] == [(True, 0), (False, None), (False, None)]
    stopped = forked.Series(work, 99)
    stopped.stop()
    assert stopped.next() == (False, None)


def test_a_series_fork_goes_on_while_a_large_answer_waits_to_be_taken(tmp_path: Path) -> None:
    """An answer larger than a pipe holds does not hold the fork up until it is taken: the
    fork does its next piece of work meanwhile (the guard's secrets, then the outputs)."""
    done = tmp_path / "second piece done"

    def work():  # type: ignore[no-untyped-def]
        yield b"x" * (8 << 20)  # far more than a pipe's buffer
        done.write_text("done")
        yield "second"

    series = forked.Series(work)
    deadline = time.monotonic() + 20
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert done.exists(), "the fork waited for its first answer to be taken"
    assert series.next() == (True, b"x" * (8 << 20))
    assert series.next() == (True, "second")
    assert series.next() == (False, None)


def test_the_decisions_register_is_made_once_before_the_fork(papers, tmp_path) -> None:
    """Both processes read the whole register: the fork takes the one made before it."""
    full, shown = papers
    policy = Policy(shown, Audience.public, dt.date.fromisoformat(AS_OF))
    decisions._register_memo.forget()
    ahead, fork = start_fork(tmp_path / "staging", policy, full, TEMPLATE_TEXT, None, None)
    assert fork is not None
    try:
        kept = decisions._register_memo.kept()
        assert kept is not None
        assert kept[0] is shown and kept[1] is policy
        assert kept[2].decisions == decisions.register(shown, policy)
        assert kept[2].decisions  # the demo has decisions
    finally:
        fork.stop()
        if ahead is not None:
            ahead.stop()
