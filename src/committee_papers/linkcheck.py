"""`papers check` reports links in officers' Markdown whose scheme is not allowed.

URL fields are refused by the model itself (`schemes.SafeUrl`); a link typed inside text
(`[click](javascript:...)`) is only visible by reading the text. The converter drops such
links anyway; this tells the clerk where they are, with the file, line and field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .checkmemo import PaperMemo
from .model import Papers, Report
from .problems import LineMap, Loc, Problem, Problems, display_path
from .schemes import refusal, unsafe_markdown_links

if TYPE_CHECKING:
    from .load import Sources


def check_markdown_links(
    papers: Papers, sources: Sources, problems: Problems, memo: dict[str, Any] | None = None
) -> None:
    """Add a problem for every disallowed link in any text of the papers.

    Bodies, meetings, minutes and reports were checked as their files were loaded (so the
    load cache keeps the result with them): their problems are in `sources.link_problems`.
    `memo` (`mkdocs serve`): what each unchanged paper gave last time (`checkmemo.py`).
    """
    # The files' own line maps (looked up by name, not by walking every file's map).
    site = sources.maps.get(display_path(sources.root / "site.yml")) or LineMap("site.yml")
    _check(papers.site, (), site, problems)
    people = sources.maps.get(display_path(sources.root / "people.yml")) or LineMap("people.yml")
    for key, person in papers.people.items():
        _check(person, (key,), people, problems)
    checked = [*papers.bodies.values(), *papers.meetings.values(), *papers.reports.values()]
    checked += [meeting.minutes for meeting in papers.meetings.values() if meeting.minutes]
    known = sources.link_problems

    def found(model: Any, into: Problems) -> None:
        listed = known.get(model.source)
        into.extend(links_in(model, sources.get(model.source)) if listed is None else listed)

    # A paper's problems come with its file: the same object, the same problems.
    PaperMemo(memo, "markdown links", None).each(problems, checked, found)


def links_in(model: BaseModel, where: LineMap) -> list[Problem]:
    """The disallowed links in a body, meeting, minutes or report (its text and appendices)."""
    problems = Problems()
    _check(model, (), where, problems)
    if isinstance(model, Report):
        for line, url in unsafe_markdown_links(model.body):
            problems.add(where, ("body",), refusal(url), line=model.body_line + line - 1)
        for index, appendix in enumerate(model.appendices):
            for line, url in unsafe_markdown_links(appendix.body):
                problems.add(
                    where, ("appendices", index, "file"), f"{appendix.file}:{line}: {refusal(url)}"
                )
    return problems.found


def _check(model: BaseModel, base: Loc, where: LineMap, problems: Problems) -> None:
    for loc, value in _strings(model, base):
        for line, url in unsafe_markdown_links(value):
            first = where.line_of(loc)
            problems.add(where, loc, refusal(url), line=first + line - 1 if first else 0)


def _strings(value: Any, loc: Loc) -> list[tuple[Loc, str]]:
    """Every string a clerk wrote inside `value`, with its place in the file.

    A loop with a stack, not recursive generators: each level of generators re-yields every
    string below it, which made this walk a fifth of loading ten years of papers.
    """
    found: list[tuple[Loc, str]] = []
    stack: list[tuple[Any, Loc]] = [(value, loc)]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            found.append((loc, value))
        elif isinstance(value, BaseModel):
            for name, field in type(value).__pydantic_fields__.items():
                if not field.exclude:  # filled by the loader, checked where it was read
                    stack.append((getattr(value, name), (*loc, name)))
        elif isinstance(value, list | tuple):
            stack.extend((item, (*loc, index)) for index, item in enumerate(value))
        elif isinstance(value, dict):
            stack.extend((item, (*loc, key)) for key, item in value.items())
    return found
