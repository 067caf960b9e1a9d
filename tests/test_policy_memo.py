"""Whether a report is shown, kept per policy outside a page's drawing (policy.py): the same
answers as working each out, and a page being drawn still records what it depends on."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Any

from support import AS_OF, DATA

from committee_papers import policy as policy_module
from committee_papers import tracing
from committee_papers.load import load
from committee_papers.policy import Audience, Policy
from committee_papers.tracing import TracedDate


class Reads:
    """A recorder that lists the as-of comparisons and queries it is told of."""

    def __init__(self) -> None:
        self.paused = 0
        self.seen: list[Any] = []

    def item(self, collection: str, key: Any, value: Any, present: bool) -> None:
        self.seen.append(("item", collection, key))

    def whole(self, collection: str, mapping: dict[Any, Any]) -> None:
        self.seen.append(("whole", collection))

    def query(self, owner: Any, name: str, args: Any, kwargs: Any, result: Any) -> bool:
        self.seen.append(("query", name))
        return True

    def date_compared(self, op: str, other: dt.date, result: bool) -> None:
        self.seen.append(("compared", op, other))

    def date_part(self, name: str, value: int) -> None:
        self.seen.append(("part", name))

    def date_used(self) -> None:
        self.seen.append(("used",))

    def can_replay(self, owner: Any, args: Any, kwargs: Any) -> bool:
        return True


def fresh(policy: Policy, report: Any) -> bool:
    """`show_report` worked out, as it was before it was kept."""
    return not report.exempt and policy.report_released(report)


def test_kept_answers_are_the_worked_out_ones_and_a_drawing_still_records_its_reads() -> None:
    papers = load(DATA)
    day = TracedDate.of(dt.date.fromisoformat(AS_OF))
    policy = Policy(papers, Audience.public, day)
    reports = list(papers.reports.values())
    assert {fresh(policy, r) for r in reports} == {True, False}  # both kinds in the demo
    assert [policy.show_report(r) for r in reports] == [fresh(policy, r) for r in reports]
    assert [policy.show_report(r) for r in reports] == [fresh(policy, r) for r in reports]
    assert len(policy_module._shown_reports(policy)) == len(reports)

    recorder = Reads()
    previous = tracing.start(recorder)
    try:
        for report in reports:
            before = len(recorder.seen)
            policy.show_report(report)
            if not report.exempt:  # released or not, it asked its route and the date
                assert len(recorder.seen) > before, report.id
    finally:
        tracing.start(previous)
    assert any(read[0] == "compared" for read in recorder.seen)
    assert any(read == ("query", "items_presenting") for read in recorder.seen)


def test_a_policy_keeps_its_answers_while_it_lives(tmp_path: Path) -> None:
    papers = load(DATA)
    report = next(iter(papers.reports.values()))
    public = Policy(papers, Audience.public, dt.date.fromisoformat(AS_OF))
    earlier = Policy(papers, Audience.public, dt.date(2020, 1, 1))
    assert public.show_report(report) != earlier.show_report(report)  # each its own
    ids = {id(public), id(earlier)}
    assert ids <= policy_module._SHOWN.keys()
    # Policies of earlier tests left in reference cycles go first: otherwise the collection
    # below ends them too, and the count drops by more than these two (seen once in a run
    # of the whole suite).
    gc.collect()
    kept = len(policy_module._SHOWN)
    del public, earlier
    gc.collect()
    assert not ids & policy_module._SHOWN.keys()
    assert len(policy_module._SHOWN) == kept - 2
