"""Rendering papers to HTML with the Jinja macros in `macros/`.

The same functions serve generated pages and hand-written ones (through mkdocs-macros), so
`{{ agenda("2026-01-28-audit-governance") }}` in `docs/` prints exactly the agenda of the
meeting page. Autoescaping is on and undefined names are errors: text from data is always
escaped, and a template mistake stops the build instead of printing nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .model import Papers
from .policy import Policy
from .view import View


class UnknownPaper(LookupError):
    """A macro named a meeting, report, body or person that is not in the data."""


class NotPublished(LookupError):
    """A macro named a paper this audience may not see: the page says so, and no more."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.notice = Markup(f'<p class="cp-notice">This {kind} is not published.</p>')


class Renderer:
    def __init__(
        self,
        papers: Papers,
        policy: Policy,
        template_dirs: Sequence[Path],
        withheld: set[str] | frozenset[str] = frozenset(),
    ):
        self.papers = papers
        #: Ids in the data that this audience may not see: a macro naming one prints a notice.
        self.withheld = withheld
        self.policy = policy
        self.view = View(papers, policy)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._modules: dict[str, Any] = {}

    def _macro(self, template: str, name: str) -> Callable[..., str]:
        if template not in self._modules:
            self._modules[template] = self.env.get_template(template).module
        return getattr(self._modules[template], name)

    def call(self, template: str, name: str, base: str, *args: Any, **kwargs: Any) -> Markup:
        """Call macro `name` from `template` for a page whose way to the site root is `base`."""
        html = self._macro(template, name)(self.view.at(base), *args, **kwargs)
        return Markup(str(html).strip())

    # --- lookups that name what is missing -----------------------------------------------

    def _meeting(self, meeting_id: str) -> Any:
        return self._get(self.papers.meetings, meeting_id, "meeting")

    def _report(self, report_id: str) -> Any:
        return self._get(self.papers.reports, report_id, "report")

    def _get(self, table: dict[str, Any], key: str, kind: str) -> Any:
        if key not in table:
            if key in self.withheld:
                raise NotPublished(kind)
            raise UnknownPaper(f"no {kind} with id {key!r}")
        return table[key]

    # --- the macros a page can call (documented in docs/macros.md) ------------------------

    def agenda(self, meeting_id: str, base: str = "") -> Markup:
        return self.call("agenda.html", "agenda", base, self._meeting(meeting_id))

    def meeting(self, meeting_id: str, base: str = "") -> Markup:
        return self.call("meeting.html", "meeting_page", base, self._meeting(meeting_id))

    def minutes(self, meeting_id: str, base: str = "") -> Markup:
        return self.call("minutes.html", "minutes_page", base, self._meeting(meeting_id))

    def report(self, report_id: str, base: str = "") -> Markup:
        return self.call("report.html", "report_page", base, self._report(report_id))

    def report_version(self, report_id: str, number: int, base: str = "") -> Markup:
        """An earlier version of a report: a page of its own, not offered to hand-written pages."""
        report = self._report(report_id)
        version = next((v for v in report.versions if v.number == number), None)
        if version is None:
            raise UnknownPaper(f"report {report_id!r} has no version {number}")
        return self.call("version.html", "version_page", base, report, version)

    def appendix(self, report_id: str, label: str, base: str = "") -> Markup:
        report = self._report(report_id)
        appendix = report.appendix(str(label))
        if appendix is None:
            raise UnknownPaper(f"report {report_id!r} has no appendix {label!r}")
        return self.call("appendix.html", "appendix_page", base, report, appendix)

    def body(self, body_id: str, base: str = "") -> Markup:
        body = self._get(self.papers.bodies, body_id, "body")
        return self.call("body.html", "body_page", base, body)

    def membership(self, body_id: str, base: str = "") -> Markup:
        body = self._get(self.papers.bodies, body_id, "body")
        return self.call("body.html", "membership", base, body, self.policy.as_of)

    def person(self, person_id: str, base: str = "") -> Markup:
        person = self._get(self.papers.people, person_id, "person")
        return self.call("person.html", "person_page", base, person)

    def committees(self, base: str = "") -> Markup:
        return self.call("lists.html", "committees_index", base)

    def meetings(self, base: str = "") -> Markup:
        return self.call("lists.html", "meetings_index", base)

    def people(self, base: str = "") -> Markup:
        return self.call("lists.html", "people_index", base)

    def upcoming_meetings(self, limit: int = 5, base: str = "") -> Markup:
        return self.call("lists.html", "upcoming_meetings", base, limit)

    def latest_papers(self, limit: int = 10, base: str = "") -> Markup:
        return self.call("lists.html", "latest_papers", base, limit)

    def site_intro(self, base: str = "") -> Markup:
        """The site's name as the page heading and the council's introduction (site.yml)."""
        return self.call("site.html", "site_intro", base)

    def about_site(self, base: str = "") -> Markup:
        """What the site publishes and when, in the council's jurisdiction's terms."""
        return self.call("site.html", "about_site", base)

    def accessibility_statement(self, base: str = "") -> Markup:
        """The site's accessibility statement, in the form of the GOV.UK model statement.

        Its facts (the council, how to contact it, when the statement was prepared and last
        reviewed, who to ask for another format) come from `data/site.yml`, so a council
        edits settings rather than prose, and the statement never disagrees with the contact
        details on the rest of the site. A statement must carry its preparation date, so
        `papers check` (and so the build) requires `accessibility:` in site.yml.
        """
        settings = self.papers.site.accessibility
        if settings is None:  # `papers check` reports it (site_checks.py): never reached
            raise UnknownPaper("site.yml has no accessibility: settings")
        return self.call(
            "accessibility.html",
            "accessibility_statement",
            base,
            prepared=settings.statement_prepared,
            reviewed=settings.last_reviewed,
        )


#: The macros offered to hand-written pages, by name; docs/macros.md documents each one and
#: a test fails when the two lists differ.
MACROS = (
    "agenda",
    "meeting",
    "minutes",
    "report",
    "appendix",
    "body",
    "membership",
    "person",
    "committees",
    "meetings",
    "people",
    "upcoming_meetings",
    "latest_papers",
    "accessibility_statement",
    "site_intro",
    "about_site",
)
