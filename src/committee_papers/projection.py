"""The papers as one audience may see them, made before any template, macro or output runs.

The public site is rendered from this projection, never from the papers themselves: every
exempt, draft or embargoed paper, every Part 2 item's content and every unpublished agenda
or set of minutes is removed here, so no template, macro, fallback or hand-written page can
print it, however it is written. What stays of a withheld thing is only what the public is
told about it: a Part 2 item's number, its own title, "Report of", purpose and paragraphs;
an exempt appendix's label and paragraphs. The members' build is the only place the full
papers exist. The leak guard (guard.py) then checks the output as a backstop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from .decisions import public_decisions
from .model import (
    AgendaItem,
    Appendix,
    Meeting,
    MinuteItem,
    Minutes,
    Papers,
    Person,
    Report,
)
from .namedmemo import NamedMemo
from .policy import Policy


def project(papers: Papers, policy: Policy, memo: NamedMemo | None = None) -> Papers:
    """What `policy`'s audience may see of `papers`: members see everything. `memo` keeps
    whom each paper as loaded names between builds (namedmemo.py)."""
    if policy.members:
        return papers
    reports = {
        report.id: _public_report(report, policy)
        for report in papers.reports.values()
        if _report_public(papers, report, policy)
    }
    meetings = {
        meeting.id: _public_meeting(meeting, policy, reports)
        for meeting in papers.meetings.values()
    }
    shown = Papers(
        site=papers.site,
        people={},
        bodies=papers.bodies,
        meetings=meetings,
        reports=reports,
        **public_decisions(papers, policy),
    )
    shown.people = _people_named(papers.people, shown, memo)
    return shown


def withheld_ids(papers: Papers, shown: Papers) -> set[str]:
    """Ids of reports and people the audience may not see, so a macro naming one says so."""
    return (set(papers.reports) - set(shown.reports)) | (set(papers.people) - set(shown.people))


# --- reports ----------------------------------------------------------------------------------


def _report_public(papers: Papers, report: Report, policy: Policy) -> bool:
    """Released, not exempt, and never presented under a Part 2 item (fails closed)."""
    if not policy.show_report(report):
        return False
    return not any(item.is_exempt for _, item in papers.items_presenting(report.id))


def _public_report(report: Report, policy: Policy) -> Report:
    appendices = [
        appendix if policy.show_appendix(report, appendix) else _withheld_appendix(appendix)
        for appendix in report.appendices
    ]
    # Earlier versions the public may read, each projected like a report of its own.
    versions = [
        _public_version(version, _public_report(version.report, policy))
        for version in report.versions
        if version.report is not None and policy.show_version(report, version)
    ]
    if _same(appendices, report.appendices) and _same(versions, report.versions):
        return report  # nothing withheld: the paper as loaded (see `_same`)
    return report.model_copy(update={"appendices": appendices, "versions": versions})


def _public_version(version: Any, shown: Report) -> Any:
    return version if shown is version.report else version.model_copy(update={"report": shown})


def _same(shown: list[Any], loaded: list[Any]) -> bool:
    """The projection kept every one of `loaded` as it is.

    Then the paper holding them is kept too, the very object loaded, not a copy: nothing
    changes a loaded paper, and a paper as loaded from unchanged files is known across
    builds (the page cache keeps its fingerprint, load.origins), where a copy made anew on
    every build would be fingerprinted again, value by value, for ten years of papers."""
    return len(shown) == len(loaded) and all(a is b for a, b in zip(shown, loaded, strict=True))


def _withheld_appendix(appendix: Appendix) -> Appendix:
    """Only the label and the reason it is withheld: its own title is part of the paper."""
    return _constructed(
        Appendix,
        label=appendix.label,
        title="",
        exempt=appendix.exempt,
        draft=appendix.draft,
        publish_on=appendix.publish_on,
        report_id=appendix.report_id,
    )


# --- meetings, agendas, minutes -------------------------------------------------------------


def _public_meeting(meeting: Meeting, policy: Policy, reports: dict[str, Report]) -> Meeting:
    agenda = (
        [_public_item(item, reports) for item in meeting.agenda]
        if policy.show_agenda(meeting)
        else []
    )
    minutes = _public_minutes(meeting, policy) if policy.show_minutes(meeting) else None
    if minutes is meeting.minutes and _same(agenda, meeting.agenda):
        return meeting
    shown = meeting.model_copy(update={"agenda": agenda})
    shown.minutes = minutes
    return shown


def _public_item(item: AgendaItem, reports: dict[str, Report]) -> AgendaItem:
    if item.is_exempt:
        # What councils print for a Part 2 item, from the item's own fields only.
        return _constructed(
            AgendaItem,
            number=item.number,
            kind=item.kind,
            title=item.title,
            part=2,
            purpose=item.purpose,
            report_of=item.report_of,
            exempt=item.exempt,
            # Printed for Part 2 items too: the pack's page range and the agenda's headings.
            pages=item.pages,
            heading=item.heading,
        )
    if item.report and item.report not in reports:
        # On the agenda, but its report is not out: say so without naming it.
        return item.model_copy(update={"report": None, "supplementary": []})
    return item


def _public_minutes(meeting: Meeting, policy: Policy) -> Minutes:
    minutes = meeting.minutes
    assert minutes is not None
    items = [
        entry
        if policy.show_minute_item(meeting, entry)
        else _withheld_minute(entry, policy.minute_item_exemption(meeting, entry))
        for entry in minutes.items
    ]
    return minutes if _same(items, minutes.items) else minutes.model_copy(update={"items": items})


def _withheld_minute(entry: MinuteItem, exemption: Any) -> MinuteItem:
    kept: dict[str, Any] = {
        "item": entry.item,
        "exempt": exemption,
        "number": entry.number,
        "moved_to_part_2": entry.moved_to_part_2,
    }
    summary = getattr(entry, "public_summary", None)
    if summary:
        kept["public_summary"] = summary
    return _constructed(MinuteItem, **kept)


_Model = TypeVar("_Model", bound=BaseModel)


def _constructed(cls: type[_Model], **values: Any) -> _Model:
    """`cls.model_construct(**values)`, the fields' default factories called here.

    pydantic (2.14) asks `inspect.signature` of each default factory on every
    `model_construct`, to know whether it takes the data validated so far, and for `list`
    or `dict` that parses their text signature afresh: 170 to 230 µs a withheld item or
    minute, some 0.3 s of every build of ten years of papers, before the build's fork can
    start. The answer never changes, so it is asked once a class (`_factories`)."""
    given = set(values)
    for name, factory in _factories(cls):
        if name not in given:
            values[name] = factory()
    return cls.model_construct(_fields_set=given, **values)


@functools.cache
def _factories(cls: type[BaseModel]) -> tuple[tuple[str, Callable[[], Any]], ...]:
    """The fields of `cls` whose default a factory of no argument makes (pydantic calls a
    factory that takes the validated data itself)."""
    return tuple(
        (name, field.default_factory)  # type: ignore[misc]
        for name, field in cls.model_fields.items()
        if field.default_factory is not None and not field.default_factory_takes_validated_data
    )


# --- people -----------------------------------------------------------------------------------


def _people_named(
    people: dict[str, Person], shown: Papers, memo: NamedMemo | None = None
) -> dict[str, Person]:
    """People named by something the audience sees: a membership, a paper, public minutes.

    Any field of a shown object whose value is a person's id counts, so a field added later
    (a vote, a decision maker) is covered without listing it here; a person named only by a
    withheld paper gets no page. With `memo`, papers as loaded from unchanged files name
    whom they named in the last build (namedmemo.py).
    """
    sources = (
        shown.bodies,
        shown.meetings,
        shown.reports,
        shown.decisions,
        shown.forward_plan,
        shown.notices,
    )
    if memo is None:
        named = {value for source in sources for value in strings(source) if value in people}
    else:
        named = set().union(*(_named_under(source, people, memo) for source in sources))
    return {key: person for key, person in people.items() if key in named}


def _named_under(value: Any, people: dict[str, Person], memo: NamedMemo) -> frozenset[str]:
    """`strings(value)` that are people's ids; a paper inside it with a load key is answered
    from `memo`, or walked and then kept there."""

    def answered(paper: BaseModel) -> frozenset[str] | None:
        key = None if paper is value else memo.key(paper)
        if key is None:
            return None
        names = memo.known(key)
        if names is None:
            names = _named_under(paper, people, memo)
            memo.learn(key, names)
        return names

    return frozenset(found for found in strings(value, answered) if found in people)


def strings(
    value: Any, answered: Callable[[BaseModel], Iterable[str] | None] | None = None
) -> list[str]:
    """Every string in a tree of models, lists and mappings (keys too), excluded fields too;
    `answered(model)`, when given, may stand for a model's strings (None: it is walked).

    A loop with a stack rather than recursive generators, which re-yield each string once per
    level: at ten years of papers that cost seconds.
    """
    found: list[str] = []
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, BaseModel):
            known = answered(value) if answered is not None else None
            if known is not None:
                found.extend(known)
                continue
            items: Any = value.__dict__.values()
        elif isinstance(value, dict):
            stack.extend(value.keys())
            items = value.values()
        elif isinstance(value, list | tuple | set | frozenset):
            items = value
        else:
            if isinstance(value, str):
                found.append(value)
            continue
        for item in items:  # strings at once: most values are, and they need no second look
            if isinstance(item, str):
                found.append(item)
            elif item is not None:
                stack.append(item)
    return found
