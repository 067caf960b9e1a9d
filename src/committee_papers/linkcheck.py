"""`papers check` reports links in officers' Markdown whose scheme is not allowed.

URL fields are refused by the model itself (`schemes.SafeUrl`); a link typed inside text
(`[click](javascript:...)`) is only visible by reading the text. The converter drops such
links anyway; this tells the clerk where they are, with the file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .model import Papers
from .problems import LineMap, Loc, Problems
from .schemes import refusal, unsafe_markdown_links

if TYPE_CHECKING:
    from .load import Sources


def check_markdown_links(papers: Papers, sources: Sources, problems: Problems) -> None:
    """Add a problem for every disallowed link in any text of the papers."""
    by_suffix = {path.rsplit("/", 1)[-1]: where for path, where in sources.maps.items()}
    _check(papers.site, (), by_suffix.get("site.yml") or LineMap("site.yml"), problems)
    people = by_suffix.get("people.yml") or LineMap("people.yml")
    for key, person in papers.people.items():
        _check(person, (key,), people, problems)
    for body in papers.bodies.values():
        _check(body, (), sources.get(body.source), problems)
    for meeting in papers.meetings.values():
        _check(meeting, (), sources.get(meeting.source), problems)
        if meeting.minutes:
            _check(meeting.minutes, (), sources.get(meeting.minutes.source), problems)
    for report in papers.reports.values():
        where = sources.get(report.source)
        _check(report, (), where, problems)
        for line, url in unsafe_markdown_links(report.body):
            problems.add(where, ("body",), refusal(url), line=report.body_line + line - 1)
        for index, appendix in enumerate(report.appendices):
            for line, url in unsafe_markdown_links(appendix.body):
                problems.add(
                    where, ("appendices", index, "file"), f"{appendix.file}:{line}: {refusal(url)}"
                )


def _check(model: BaseModel, base: Loc, where: LineMap, problems: Problems) -> None:
    for loc, value in _strings(model, base):
        for line, url in unsafe_markdown_links(value):
            first = where.line_of(loc)
            problems.add(where, loc, refusal(url), line=first + line - 1 if first else 0)


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every string a clerk wrote inside `value`, with its place in the file."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            field = type(value).model_fields[name]
            if field.exclude:  # filled by the loader, checked where it was read
                continue
            yield from _strings(getattr(value, name), (*loc, name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
