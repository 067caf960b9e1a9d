"""Which pages exist, at which URLs, for one audience.

The engine's output is a list of `PageSpec`s: a source path, a title, front matter and a
function that renders the HTML. Adapters turn them into pages (the MkDocs plugin) or files;
nothing here knows which generator is running.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from . import text
from .model import Papers
from .pages_decisions import decision_pages
from .pages_listing import listing_pages
from .policy import Policy
from .render import Renderer
from .searchindex import search_meta
from .urls import base_for, feed_url, src_uri_for


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    kind: str
    render: Callable[[str], str] = field(repr=False, compare=False)
    description: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def url(self) -> str:
        return self.src_uri.removesuffix("index.md")

    def html(self) -> str:
        return self.render(base_for(self.url))

    def front_matter(self) -> str:
        """YAML front matter (JSON is YAML): data text is never run through macros.

        The title and description are HTML-escaped here: material's base.html prints
        `page.title` and `page.meta.description` as they are, into `<title>`, the header and
        `<meta name="description" content="...">`.
        """
        return self._front_matter

    @functools.cached_property
    def _front_matter(self) -> str:
        # Made once: the page cache's key and MkDocs' file of every page both need it.
        meta = {
            "title": html.escape(self.title),
            "description": html.escape(self.description),
            "render_macros": False,
            "cp_kind": self.kind,
            **self.meta,
        }
        # One JSON object (a YAML flow mapping), not a line a key: one call of the encoder
        # instead of one a value, for 45,000 pages at ten years of papers.
        return "---\n" + _flow_mapping(meta) + "\n---\n"


#: What YAML does not read as it stands in a double-quoted string, which JSON leaves as it
#: is: C1 controls and DEL (not printable), the line breaks U+0085, U+2028 and U+2029 (folded
#: as a line end), lone surrogates and the non-characters U+FFFE and U+FFFF.
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _flow_mapping(meta: dict[str, Any]) -> str:
    """`meta` as a JSON object that YAML reads as the same mapping. orjson writes it in a
    fifth of `json.dumps`'s time (0.26 s for 45,000 pages' front matter at ten years of
    papers, every build, in the page cache's check); it leaves other characters than
    ASCII as they are, which YAML reads as they are but for those of `_NOT_YAML`: a
    value holding one is written by `json.dumps`, which escapes every one."""
    try:
        text = orjson.dumps(meta).decode()
    except orjson.JSONEncodeError:  # a lone surrogate, which json.dumps escapes
        return json.dumps(meta)
    if not text.isascii() and _NOT_YAML.search(text) is not None:
        return json.dumps(meta)
    return text


def page_specs(papers: Papers, policy: Policy, renderer: Renderer) -> list[PageSpec]:
    """Every generated page the audience may see, in a stable order."""
    return list(_specs(papers, policy, renderer))


def _specs(papers: Papers, policy: Policy, r: Renderer) -> Iterator[PageSpec]:
    view = r.view
    site = papers.site.council

    def spec(
        obj: Any,
        title: str,
        kind: str,
        render: Callable[[str], str],
        desc: str = "",
        part: str = "",
        **meta: Any,
    ) -> PageSpec:
        meta = {**meta, **search_meta(papers, obj, kind)}
        return PageSpec(src_uri_for(obj, part), title, kind, render, desc, meta)

    yield spec(
        "committees",
        "Committees",
        "committees",
        lambda b: r.committees(b),
        f"Council, Cabinet, committees and sub-committees of {site}.",
    )
    yield spec(
        "meetings",
        "Meetings",
        "meetings",
        lambda b: r.meetings(b),
        f"Coming and latest meetings of {site}, and every meeting by year.",
    )
    yield spec(
        "people",
        "Councillors and officers",
        "people",
        lambda b: r.people(b),
        f"Members and officers of {site}.",
    )
    yield spec(
        "calendar",
        "Calendar",
        "calendar",
        lambda b: r.calendar(b),
        f"Upcoming meetings of {site}, and every meeting this year, month by month.",
    )
    yield spec(
        "search",
        "Search the papers",
        "search",
        lambda b: r.call("search.html", "search_page", b),
        f"Search the agendas, reports, appendices and minutes of {site}.",
        hide=["toc"],
    )
    for body in view.bodies_in_order():
        yield spec(
            body,
            body.name,
            "body",
            lambda b, i=body.id: r.body(i, b),
            text.plain_text(body.purpose)[:300],
            cp_feed=feed_url(body),
            cp_feed_title=f"{body.name}: new papers",
        )
    for meeting in sorted(papers.meetings.values(), key=lambda m: (m.date, m.id)):
        title = view.meeting_title(meeting)
        yield spec(
            meeting,
            title,
            "meeting",
            lambda b, i=meeting.id: r.meeting(i, b),
            f"Agenda and papers for {title}.",
        )
        if policy.show_minutes(meeting):
            yield spec(
                meeting,
                f"Minutes: {title}",
                "minutes",
                lambda b, i=meeting.id: r.minutes(i, b),
                f"Minutes of {title}.",
                part="minutes",
            )
    for report in sorted(papers.reports.values(), key=lambda x: x.id):
        if not policy.show_report(report):
            continue
        yield spec(
            report,
            report.title,
            "report",
            lambda b, i=report.id: r.report(i, b),
            text.plain_text(report.summary)[:300],
        )
        for version in view.report_versions(report):
            yield spec(
                report,
                f"{report.title} (version {version.number})",
                "report-version",
                lambda b, i=report.id, n=version.number: r.report_version(i, n, b),
                f"Version {version.number} of {report.title}, replaced on "
                f"{view.short_date(version.replaced)}.",
                part=f"v{version.number}",
            )
        for appendix in report.appendices:
            if policy.show_appendix(report, appendix):
                yield spec(
                    appendix,
                    f"Appendix {appendix.label}: {appendix.title}",
                    "appendix",
                    lambda b, i=report.id, a=appendix.label: r.appendix(i, a, b),
                    f"Appendix {appendix.label} to {report.title}.",
                )
    for person in sorted(papers.people.values(), key=lambda p: p.id):
        yield spec(
            person,
            person.display_name,
            "person",
            lambda b, i=person.id: r.person(i, b),
            person.title or "",
        )
    yield from decision_pages(papers, policy, r, spec)
    yield from listing_pages(papers, policy, r, spec)
