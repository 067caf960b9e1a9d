"""Agenda packs and printed reports: the PDFs a clerk sends and the public downloads.

For every meeting whose agenda is published the engine lays out, in one pass from one HTML
document (tagging survives only that way), a pack: front sheet, agenda, then every public
document in agenda order, each on a right-hand page. Late items and late appendices go in a
supplementary pack; in the members' build, Part 2 papers go in a non-public pack whose page
numbers continue from the public pack's. Every report is also printed on its own.

The web page's agenda prints each item's page range, so the packs are laid out first and
their real page numbers (each document's anchors, read from the layout) are handed to the
View; the pack's own agenda prints the same numbers with CSS `target-counter()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..model import AgendaItem, Appendix, Meeting, MeetingStatus, Papers, Report
from ..policy import Audience, Policy
from ..projection import project
from ..view import View
from . import OutputFile
from .pdf import PdfCache, PdfJob, RenderedPdf, human_size, render_all

MAIN, SUPPLEMENTARY, NON_PUBLIC = "agenda", "supplementary", "non-public"
FILENAMES = {
    MAIN: "agenda-pack.pdf",
    SUPPLEMENTARY: "supplementary-pack.pdf",
    NON_PUBLIC: "non-public-pack.pdf",
}
#: How an agenda on the web says which pack an item's pages are in.
RANGE_WORDS = {
    MAIN: "Pages",
    SUPPLEMENTARY: "Supplementary pack, pages",
    NON_PUBLIC: "Non-public pack, pages",
}
TITLES = {
    MAIN: "Agenda pack",
    SUPPLEMENTARY: "Supplementary agenda pack",
    NON_PUBLIC: "Non-public agenda pack (Part 2)",
}


@dataclass(frozen=True)
class Document:
    """One document of a pack: previous minutes, a report, or one of its appendices."""

    anchor: str
    kind: str  # "minutes", "report", "appendix"
    item: AgendaItem | None
    report: Report | None = None
    appendix: Appendix | None = None
    minutes_of: Meeting | None = None

    @property
    def external(self) -> bool:
        """An appendix only linked (too large to print): a page says where to read it."""
        a = self.appendix
        return a is not None and a.link is not None and (a.link_only or not _printable(a))


@dataclass
class PackPlan:
    """What goes in one pack of one meeting, before layout."""

    meeting: Meeting
    kind: str
    documents: list[Document] = field(default_factory=list)
    first_page: int = 1
    #: On a public agenda: Part 2 item number -> (first, last page) in the non-public pack.
    #: Only these integers come from the members' papers (see `build_pdfs`).
    part2_pages: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"meetings/{self.meeting.id}/{FILENAMES[self.kind]}"

    @property
    def title(self) -> str:
        return TITLES[self.kind].lower().replace("(part 2)", "").strip()

    def items(self) -> list[AgendaItem]:
        """The items with documents in this pack, in agenda order."""
        seen: dict[str, AgendaItem] = {}
        for doc in self.documents:
            seen.setdefault(doc.item.number, doc.item)
        return list(seen.values())

    def documents_of(self, item: AgendaItem) -> list[Document]:
        return [d for d in self.documents if d.item.number == item.number]

    def range_anchors(self, item: AgendaItem) -> tuple[str, str] | None:
        """The anchors where an item's documents start and end in this pack."""
        docs = self.documents_of(item)
        return (docs[0].anchor, docs[-1].anchor + "-end") if docs else None


@dataclass(frozen=True)
class PdfLink:
    """A PDF the site offers for download, with what a link to it says."""

    path: str
    title: str
    pages: int
    size: int

    @property
    def size_text(self) -> str:
        return human_size(self.size)


@dataclass
class PdfIndex:
    """What the layout produced, for the pages: packs, page ranges, report PDFs, files."""

    packs: dict[str, list[PdfLink]] = field(default_factory=dict)
    ranges: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    reports: dict[str, PdfLink] = field(default_factory=dict)
    files: list[OutputFile] = field(default_factory=list)
    rendered: dict[str, RenderedPdf] = field(default_factory=dict)


# --- what goes where ------------------------------------------------------------------------


def _anchor(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "-", p).strip("-").lower() for p in parts)


def _printable(appendix: Appendix) -> bool:
    return bool(appendix.markdown or appendix.table or appendix.chart)


def _candidates(view: View, meeting: Meeting, item: AgendaItem) -> Iterable[Document]:
    """Every document an item brings, as far as `view`'s audience may read it."""
    if not view.policy.show_item_detail(item):
        return
    if item.minutes_of:
        earlier = view.meeting(item.minutes_of)
        if earlier is not None and view.policy.show_minutes(earlier):
            yield Document(
                _anchor("item", item.number, "minutes"), "minutes", item, None, None, earlier
            )
    report = view.shown_report(item)
    if report is None:
        return
    yield Document(_anchor("item", item.number), "report", item, report)
    for appendix in view.shown_appendices(report):
        anchor = _anchor("item", item.number, appendix.slug)
        yield Document(anchor, "appendix", item, report, appendix)


def _withheld(doc: Document) -> bool:
    """Exempt papers: they go only in the members' non-public pack."""
    if doc.item.is_exempt:
        return True
    if doc.appendix is not None and doc.appendix.exempt:
        return True
    return doc.report is not None and bool(doc.report.exempt)


def _late(doc: Document) -> bool:
    if doc.item.late:
        return True
    return doc.appendix is not None and doc.appendix.label in doc.item.supplementary


def has_pack(policy: Policy, meeting: Meeting) -> bool:
    return (
        policy.agenda_published(meeting)
        and bool(meeting.agenda)
        and meeting.status in (MeetingStatus.scheduled, MeetingStatus.held)
    )


def plan_packs(public: View, members: View | None, meeting_id: str) -> list[PackPlan]:
    """The packs of one meeting: main and supplementary (public), non-public (members only).

    Each view draws from its own audience's papers: the public packs from the public
    projection, the non-public pack from the members' papers.
    """
    meeting = public.papers.meetings.get(meeting_id)
    if meeting is None or not has_pack(public.policy, meeting):
        return []
    main, late = PackPlan(meeting, MAIN), PackPlan(meeting, SUPPLEMENTARY)
    for item in meeting.agenda:
        for doc in _candidates(public, meeting, item):
            if not _withheld(doc):
                (late if _late(doc) else main).documents.append(doc)
    plans = [main] if main.documents or meeting.agenda else []
    if late.documents:
        plans.append(late)
    if members is not None:
        full = members.papers.meetings[meeting_id]
        secret = PackPlan(full, NON_PUBLIC)
        for item in full.agenda:
            secret.documents.extend(d for d in _candidates(members, full, item) if _withheld(d))
        if secret.documents:
            plans.append(secret)
    return plans


# --- drawing --------------------------------------------------------------------------------


class PackTemplates:
    """The print templates (macros/print/) and their CSS, as the council's copy defines them."""

    def __init__(self, env: Any):
        self.env = env
        self.pack_module = env.get_template("print/pack.html").module
        # The house style is part of the templates (trusted, like them), not data: it goes
        # into <style> as written, where HTML escaping would break every quoted string.
        self.css = Markup(env.loader.get_source(env, "print/pack.css")[0])

    def pack_html(self, view: View, plan: PackPlan, main: PackPlan | None) -> str:
        return str(self.pack_module.pack(view, plan, main, self.css))

    def report_html(self, view: View, report: Report) -> str:
        route = view.route(report)
        meeting, item = route[-1] if route else (None, None)
        appendices = [
            Document(_anchor(a.slug), "appendix", item, report, a)
            for a in view.shown_appendices(report)
        ]
        return str(self.pack_module.paper(view, report, appendices, meeting, item, self.css))


@dataclass
class PdfSettings:
    """Where links point (the site's address), where images are, where the cache lives."""

    site_url: str = ""
    base_url: str = ""
    cache: Path | None = None
    workers: int | None = None
    reports: bool = True
    meetings: list[str] | None = None


def build_pdfs(
    env: Any,
    view: View,
    settings: PdfSettings,
    progress: Callable[[str, RenderedPdf], None] | None = None,
    full: Papers | None = None,
) -> PdfIndex:
    """Lay out every pack and report PDF the audience gets, and what the pages need of them.

    `env` is the Jinja environment of the templates; `view` the audience's view. The public
    documents of the members' build are laid out exactly as in the public build (same bytes,
    same cache entry), so both sites print the same page numbers. `full` is every paper, for
    the public build (the members' build has them in `view`): the non-public packs are laid
    out from it into the cache, never into the site, so that the public agenda can print
    where each Part 2 item's papers start and end (only those page numbers leave it).
    """
    templates = PackTemplates(env)
    papers = view.papers
    # The public documents come from the public projection in both builds (the members'
    # build holds everything): withheld papers are absent, not merely hidden.
    public_policy = Policy(papers, Audience.public, view.policy.as_of)
    public_papers = project(papers, public_policy) if view.policy.members else papers
    public_policy = Policy(public_papers, Audience.public, view.policy.as_of)
    public = View(public_papers, public_policy, _with_slash(settings.site_url))
    members_build = view.policy.members
    full = papers if members_build else full
    members = None
    if full is not None:
        members = View(full, Policy(full, Audience.members, view.policy.as_of))
        members = members.at(_with_slash(settings.site_url))
    wanted = settings.meetings
    meetings = [m for m in papers.meetings_in_date_order() if wanted is None or m.id in wanted]
    plans = [plan for m in meetings for plan in plan_packs(public, members, m.id)]
    cache = PdfCache(settings.cache)
    base = _with_slash(settings.base_url)

    secret = {p.meeting.id: p for p in plans if p.kind == NON_PUBLIC}
    shown = [p for p in plans if p.kind != NON_PUBLIC]
    # A main pack whose meeting has Part 2 papers waits for their page numbers (below).
    waiting = {p.meeting.id: p for p in shown if p.kind == MAIN and p.meeting.id in secret}
    jobs = [PdfJob(p.path, templates.pack_html(public, p, None), base) for p in shown]
    report_list = []
    if settings.reports and wanted is None:
        report_list = [
            r
            for r in sorted(papers.reports.values(), key=lambda r: r.id)
            if r.id in public_papers.reports and public_policy.show_report(r)
        ]
        jobs += [
            PdfJob(
                report_pdf_path(r), templates.report_html(public, public_papers.reports[r.id]), base
            )
            for r in report_list
        ]
    later = {p.path for p in waiting.values()}
    jobs = [j for j in jobs if j.name not in later]
    # Its probe (layout only) lays out with the rest: it gives the page count (see below).
    for meeting_id, plan in waiting.items():
        plan.part2_pages = {item.number: (0, 0) for item in secret[meeting_id].items()}
        html = templates.pack_html(public, plan, None)
        jobs.append(PdfJob(plan.path, html, base, layout_only=True))
    rendered = render_all(jobs, cache, workers=settings.workers, progress=progress)
    if waiting:
        assert members is not None
        counts = {m: rendered.pop(plan.path).pages for m, plan in waiting.items()}
        mains, hidden = _lay_out_part_2(
            templates, public, members, waiting, secret, counts, base, cache, settings.workers
        )
        # The non-public packs are the members' only; the public build keeps them in the cache.
        made = [(waiting[m].path, pdf) for m, pdf in mains.items()]
        if members_build:
            made += [(secret[m].path, pdf) for m, pdf in hidden.items()]
        for path, pdf in made:
            rendered[path] = pdf
            if progress:
                progress(path, pdf)

    index = PdfIndex(rendered=rendered)
    for plan in plans:
        if plan.kind == NON_PUBLIC and not members_build:
            continue
        pdf = rendered[plan.path]
        index.files.append(OutputFile(plan.path, pdf.data))
        index.packs.setdefault(plan.meeting.id, []).append(
            PdfLink(plan.path, TITLES[plan.kind], pdf.pages, pdf.size)
        )
        if plan.kind == NON_PUBLIC:
            continue
        for item in plan.items():
            text = _range_text(plan, item, pdf)
            if text:
                index.ranges.setdefault((plan.meeting.id, item.number), []).append(text)
        # Part 2 items: where their papers are in the non-public pack (numbers only).
        for number, (first, last) in plan.part2_pages.items():
            text = f"{RANGE_WORDS[NON_PUBLIC]} {first} - {last}"
            index.ranges.setdefault((plan.meeting.id, number), []).append(text)
    for report in report_list:
        path = report_pdf_path(report)
        pdf = rendered[path]
        index.files.append(OutputFile(path, pdf.data))
        index.reports[report.id] = PdfLink(path, "Printable report", pdf.pages, pdf.size)
    return index


#: Rounds of laying out a main pack and its meeting's non-public pack before giving up.
PART_2_ROUNDS = 4


def _lay_out_part_2(
    templates: PackTemplates,
    public: View,
    members: View,
    mains: dict[str, PackPlan],
    secret: dict[str, PackPlan],
    counts: dict[str, int],
    base: str,
    cache: PdfCache,
    workers: int | None,
) -> tuple[dict[str, RenderedPdf], dict[str, RenderedPdf]]:
    """Lay out the main packs that print Part 2 page ranges, with their non-public packs.

    The non-public pack starts on the right-hand page after the main pack's last, and the
    main pack's agenda prints where each Part 2 item lies in it: each depends on the other.
    A probe (layout only) of the main pack with a placeholder range on every Part 2 item
    gave its page count (`counts`, by meeting id); the non-public pack is laid out from
    there, and the main pack again with the real numbers. The range lines take the same room
    whatever their digits, so the page count almost never moves; if it does, both are laid
    out again from the new count. Every step is a function of the data alone, so the bytes
    are the same on every build.

    The members' papers stay on this side: the main pack receives only the page numbers.
    Returns the main packs and the non-public packs, by meeting id.
    """
    done: dict[str, RenderedPdf] = {}
    hidden: dict[str, RenderedPdf] = {}
    for _ in range(PART_2_ROUNDS):
        for meeting_id, count in counts.items():
            secret[meeting_id].first_page = _next_right_page(count)
        laid = render_all(
            [
                PdfJob(
                    secret[m].path,
                    templates.pack_html(members, secret[m], None),
                    base,
                    secret[m].first_page,
                )
                for m in counts
            ],
            cache,
            workers=workers,
        )
        for meeting_id in counts:
            hidden[meeting_id] = laid[secret[meeting_id].path]
            mains[meeting_id].part2_pages = part_2_pages(secret[meeting_id], hidden[meeting_id])
        finals = render_all(
            [
                PdfJob(mains[m].path, templates.pack_html(public, mains[m], None), base)
                for m in counts
            ],
            cache,
            workers=workers,
        )
        moved = {}
        for meeting_id in counts:
            pdf = finals[mains[meeting_id].path]
            if secret[meeting_id].first_page == _next_right_page(pdf.pages):
                done[meeting_id] = pdf
            else:
                moved[meeting_id] = pdf.pages
        counts = moved
        if not counts:
            return done, hidden
    raise RuntimeError(f"the page numbers of the Part 2 papers of {sorted(counts)} do not settle")


def part_2_pages(plan: PackPlan, pdf: RenderedPdf) -> dict[str, tuple[int, int]]:
    """Item number -> first and last page of its papers in a laid-out non-public pack."""
    found = {item.number: page_range(plan, item, pdf) for item in plan.items()}
    return {number: pages for number, pages in found.items() if pages is not None}


def _next_right_page(pages: int) -> int:
    """The number of the first right-hand (odd) page after a pack of `pages` pages."""
    return pages + 1 if pages % 2 == 0 else pages + 2


def page_range(plan: PackPlan, item: AgendaItem, pdf: RenderedPdf) -> tuple[int, int] | None:
    """The pages where an item's documents start and end, from the layout."""
    anchors = plan.range_anchors(item)
    if anchors is None:
        return None
    start, end = pdf.anchors.get(anchors[0]), pdf.anchors.get(anchors[1])
    return (start, end) if start is not None and end is not None else None


def _range_text(plan: PackPlan, item: AgendaItem, pdf: RenderedPdf) -> str:
    found = page_range(plan, item, pdf)
    if found is None:
        return ""
    return f"{RANGE_WORDS[plan.kind]} {found[0]} - {found[1]}"


def cache_problem(cache: Path, published: dict[str, Path]) -> str:
    """Why `cache` may not hold the PDFs, or "": it holds the non-public packs (members'
    papers), so it must not be, or be inside, a folder whose files are published."""
    where = cache.resolve()
    for name, folder in published.items():
        folder = folder.resolve()
        if where == folder or folder in where.parents:
            return (
                f"pack_cache {cache} is inside the {name} ({folder}): it holds the members' "
                "non-public packs, so it must be a private folder (the default is .cache/packs)"
            )
    return ""


def report_pdf_path(report: Report) -> str:
    return f"reports/{report.id}/{report.id}.pdf"


def _with_slash(url: str) -> str:
    return url if not url or url.endswith("/") else url + "/"
