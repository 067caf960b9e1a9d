"""The engine on its own: no MkDocs, just data in and page specs and HTML out."""

from __future__ import annotations

import datetime as dt
import html
import json
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from support import FIXTURE, ROOT

from committee_papers.load import load
from committee_papers.model import Papers
from committee_papers.pages import PageSpec, page_specs
from committee_papers.policy import Audience, Policy
from committee_papers.render import Renderer
from committee_papers.text import inline_html, plain_text, to_html

AS_OF = dt.date(2026, 11, 23)


def renderer(audience: Audience = Audience.public) -> Renderer:
    papers = load(FIXTURE)
    return Renderer(papers, Policy(papers, audience, AS_OF), [ROOT / "macros"])


def test_the_engine_never_imports_mkdocs() -> None:
    code = (
        "import sys, committee_papers.load, committee_papers.pages, committee_papers.render, "
        "committee_papers.guard, committee_papers.cli; "
        "print([m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_page_specs_for_the_public_leave_out_exempt_papers() -> None:
    r = renderer()
    urls = {spec.url for spec in page_specs(r.papers, r.policy, r)}
    assert "meetings/2026-01-28-audit-governance/" in urls
    assert "meetings/2026-01-28-audit-governance/minutes/" in urls
    assert "reports/internal-audit-progress-q3-2025-26/appendix-2/" in urls
    assert "reports/debt-write-off-jan-2026/" not in urls
    members = renderer(Audience.members)
    member_urls = {s.url for s in page_specs(members.papers, members.policy, members)}
    assert member_urls - urls == {"reports/debt-write-off-jan-2026/"}


def test_page_front_matter_turns_macros_off_for_data_pages() -> None:
    r = renderer()
    spec = next(s for s in page_specs(r.papers, r.policy, r) if s.kind == "report")
    # Read as MkDocs reads a page's front matter.
    from mkdocs.utils.meta import get_data

    body, meta = get_data(spec.front_matter())
    assert body == "" and meta["render_macros"] is False and meta["cp_kind"] == "report"
    assert meta["title"] == html.escape(spec.title)


@pytest.mark.parametrize(
    "title",
    [
        "The council\u2019s \u201cplan\u201d \u2013 2026 \U0001f600",  # kept as they are
        "A line\u2028separator and a \x85 next line",  # YAML folds these: escaped
        "A C1 control \x9b and DEL \x7f",
    ],
)
def test_page_front_matter_reads_back_as_the_title_given(title: str) -> None:
    # The front matter is JSON written by orjson, which leaves characters beyond ASCII as
    # they are; YAML (as MkDocs reads it) must read back exactly the title given.
    from mkdocs.utils.meta import get_data

    spec = PageSpec("reports/x.md", title, "report", lambda base: "", "a description", {})
    body, meta = get_data(spec.front_matter())
    assert body == "" and meta["title"] == html.escape(title)
    assert json.loads(spec.front_matter().split("\n")[1])["title"] == html.escape(title)


def test_macro_output_matches_the_meeting_page() -> None:
    r = renderer()
    agenda = BeautifulSoup(r.agenda("2026-01-28-audit-governance", base="../../"), "lxml")
    page = BeautifulSoup(r.meeting("2026-01-28-audit-governance", base="../../"), "lxml")
    assert str(agenda.select_one("section.cp-agenda")) == str(page.select_one("section.cp-agenda"))


def test_links_are_relative_to_the_page() -> None:
    r = renderer()
    at_root = BeautifulSoup(r.agenda("2026-01-28-audit-governance"), "lxml")
    deeper = BeautifulSoup(r.agenda("2026-01-28-audit-governance", base="../../"), "lxml")
    assert at_root.find(id="item-3").a["href"] == "reports/internal-audit-progress-q3-2025-26/"
    assert deeper.find(id="item-3").a["href"] == "../../reports/internal-audit-progress-q3-2025-26/"


def test_markdown_from_data_is_escaped_and_numbered() -> None:
    html = str(to_html("## Head\n\nOne <b>x</b> {{ y }}\n\nTwo", numbered=True, shift=1))
    assert '<h3 id="head">Head</h3>' in html
    assert '<span class="cp-para-number">1.</span> One &lt;b&gt;x&lt;/b&gt; {{ y }}' in html
    assert 'id="para-2"' in html
    assert str(inline_html("That the *report* be noted.")) == "That the <em>report</em> be noted."
    assert plain_text("**Bold** and <i>raw</i>") == "Bold and <i>raw</i>"


def test_officer_headings_never_take_the_page_section_ids() -> None:
    html = str(to_html("## Summary\n\ntext\n\n## Summary\n\nmore", numbered=True, shift=1))
    assert 'id="summary-2"' in html and 'id="summary-3"' in html and 'id="summary"' not in html


def test_a_meetings_item_is_found_by_its_ref_numbered_or_not(papers: Papers) -> None:
    """`Meeting.item` compares numbers without `ref`'s property: the same item as the first
    whose `ref` is asked for, unnumbered items (by kind, or by a slug of the title) too."""
    from committee_papers.model.meetings import ItemKind

    meeting = papers.meetings["2026-01-28-audit-governance"]
    first = meeting.agenda[0]
    unnumbered = [
        first.model_copy(update={"number": None, "kind": ItemKind.apologies}),
        first.model_copy(update={"number": None, "kind": ItemKind.other, "title": "Chair's news"}),
        first.model_copy(update={"number": None, "kind": ItemKind.other, "title": None}),
    ]
    mixed = meeting.model_copy(update={"agenda": [*meeting.agenda, *unnumbered]})
    assert [i.ref for i in unnumbered] == ["apologies", "chair-s-news", "item"]
    for each in [*papers.meetings.values(), mixed]:
        for item in each.agenda:
            assert each.item(item.ref) is next(i for i in each.agenda if i.ref == item.ref)
        assert each.item("no such item") is None
        assert each.item("") is None
    assert mixed.item("chair-s-news") is unnumbered[1]
