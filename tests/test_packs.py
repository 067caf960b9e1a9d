"""Agenda packs and report PDFs, read back with pypdf: pages, ranges, blank pages, bookmarks.

The demo's packs are laid out once per session (the `demo_site` fixture, cached by content
hash in .cache/packs); the fixture council's members' build makes the non-public pack.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pdf_support import BLANK, Pack
from pypdf import PdfReader
from support import AS_OF, ROOT, Site, build_site, copy_data, papers_command
from test_exempt import CANARIES, TOKEN, plant

from committee_papers.load import load
from committee_papers.model import Papers
from committee_papers.outputs.packs import PdfSettings, build_pdfs, cache_problem, has_pack
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project
from committee_papers.render import Renderer

SUPPLEMENTARY_MEETING = "2026-11-11-audit-governance"
FIXTURE_MEETING = "2026-01-28-audit-governance"


def packed_meetings(papers: Papers) -> list[str]:
    policy = Policy(papers, Audience.public, dt.date.fromisoformat(AS_OF))
    return [m.id for m in papers.meetings_in_date_order() if has_pack(policy, m)]


@pytest.fixture(scope="session")
def packs(demo_site: Path, papers: Papers) -> dict[str, Pack]:
    found = {}
    for meeting_id in packed_meetings(papers):
        for path in sorted((demo_site / "meetings" / meeting_id).glob("*.pdf")):
            found[f"{meeting_id}/{path.name}"] = Pack(path)
    return found


def test_every_published_agenda_has_a_pack_linked_with_its_pages_and_size(
    demo_site: Path, site: Site, papers: Papers, packs: dict[str, Pack]
) -> None:
    meetings = packed_meetings(papers)
    assert len(meetings) >= 10
    for meeting_id in meetings:
        pack = packs[f"{meeting_id}/agenda-pack.pdf"]
        link = site.article(f"meetings/{meeting_id}/").find("a", string="Agenda pack")
        assert link is not None and link["href"].endswith(f"{meeting_id}/agenda-pack.pdf")
        size = pack.path.stat().st_size
        assert f"(PDF, {pack.pages} pages, {round(size / 1024)} KB)" in link.parent.get_text()
    # A meeting whose agenda is not out has no pack.
    assert not (demo_site / "meetings/2026-12-16-council/agenda-pack.pdf").exists()


def test_each_item_range_is_where_its_papers_really_are_in_the_pack_and_on_the_page(
    site: Site, packs: dict[str, Pack]
) -> None:
    checked = 0
    for name, pack in packs.items():
        meeting_id, filename = name.split("/")
        real = pack.real_ranges()
        # The pack's own agenda (target-counter) prints the ranges of the real layout.
        assert pack.agenda_ranges() == list(real.values()), name
        # The meeting's web page prints the same, item by item.
        page = site.article(f"meetings/{meeting_id}/")
        words = "Pages" if filename == "agenda-pack.pdf" else "Supplementary pack, pages"
        for number, (start, end) in real.items():
            shown = page.select_one(f"#item-{number} .cp-pages").get_text()
            assert f"{words} {start} - {end}" in shown, (name, number, shown)
            # The document really starts there: its first page says which item it is.
            assert f"Agenda item {number}" in pack.texts[start - pack.first], (name, number)
            checked += 1
    assert checked >= 20


def test_every_document_starts_on_a_right_hand_odd_page(packs: dict[str, Pack]) -> None:
    for name, pack in packs.items():
        for item in pack.items():
            for mark in [item, *item.children]:
                assert pack.number(mark.index) % 2 == 1, (name, mark.title)


def test_pages_are_numbered_continuously_under_a_running_header(packs: dict[str, Pack]) -> None:
    pack = packs["2026-12-01-cabinet/agenda-pack.pdf"]
    for index, text in enumerate(pack.texts):
        if not pack.blank(index):
            assert f"Page {pack.number(index)}" in text
            if index:
                assert "Cabinet, Tuesday 1 December 2026" in text


def test_a_blank_page_says_so_and_nothing_else(packs: dict[str, Pack]) -> None:
    blanks = 0
    for name, pack in packs.items():
        for index, text in enumerate(pack.texts):
            assert text.strip(), f"{name}: page {index + 1} has no text at all"
            if pack.blank(index):
                assert text == BLANK, (name, index, text)
                blanks += 1
    assert blanks >= 5


def test_bookmarks_follow_the_agenda(papers: Papers, packs: dict[str, Pack]) -> None:
    pack = packs["2026-12-01-cabinet/agenda-pack.pdf"]
    meeting = papers.meetings["2026-12-01-cabinet"]
    titles = [m.title for m in pack.marks]
    assert titles[:2] == ["Front sheet", "Agenda"]
    numbers = [t.split(".")[0] for t in titles[2:]]
    agenda_order = [i.number for i in meeting.agenda]
    with_papers = [i.number for i in meeting.part1 if i.report or i.minutes_of]
    assert numbers == [n for n in agenda_order if n in numbers] == with_papers
    assert len(with_papers) >= 3
    assert titles[3] == "5. Council Tax Support Scheme 2027/28"
    # Appendices are bookmarked under their item.
    budget = pack.marks[4]
    report = papers.reports["budget-proposals-2027-28"]
    assert [c.title for c in budget.children] == [
        f"Appendix {a.label}: {a.title}" for a in report.appendices
    ]


def test_packs_are_tagged_with_title_author_and_language(
    papers: Papers, packs: dict[str, Pack]
) -> None:
    for pack in packs.values():
        catalog = pack.reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog
        assert catalog["/MarkInfo"]["/Marked"]
        assert catalog["/Lang"] == "en-GB"
        assert pack.reader.metadata.author == papers.site.council
        assert papers.site.council in pack.reader.metadata.title
        assert b"pdfuaid" in pack.reader.xmp_metadata.stream.get_data()
    # Real text, the front sheet's facts included.
    front = packs["2026-12-01-cabinet/agenda-pack.pdf"].texts[0]
    for words in (
        "Brackenford District Council",
        "Cabinet",
        "Tuesday 1 December 2026",
        "6 pm",
        "Committee Room 1",
        "Cllr Ruth Okafor (Chair)",
        "Joanna Winter",
        "webcast live",
        "Helen Marsh Chief Executive",
    ):
        assert words in front, words


def test_an_appendix_too_large_to_print_is_a_page_saying_where_to_read_it(
    packs: dict[str, Pack], papers: Papers
) -> None:
    pack = packs["2026-07-22-audit-governance/agenda-pack.pdf"]
    report = papers.reports["statement-of-accounts-2025-26"]
    linked = next(a for a in report.appendices if a.link_only)
    item = next(m for m in pack.items() if m.title.endswith(report.title))
    mark = next(c for c in item.children if c.title.startswith(f"Appendix {linked.label}:"))
    text = pack.texts[mark.index].replace(" ", "")
    assert "This appendix is not printed in this pack".replace(" ", "") in text
    assert linked.link.url.replace(" ", "") in text


def test_late_items_have_a_supplementary_pack_with_its_own_front_sheet(
    site: Site, packs: dict[str, Pack]
) -> None:
    pack = packs[f"{SUPPLEMENTARY_MEETING}/supplementary-pack.pdf"]
    assert "supplementary agenda" in pack.texts[0].lower()
    main = packs[f"{SUPPLEMENTARY_MEETING}/agenda-pack.pdf"]
    late = set(pack.real_ranges())
    assert late and not late & set(main.real_ranges())
    assert "(In the supplementary pack)" in " ".join(main.texts[:3])
    links = site.article(f"meetings/{SUPPLEMENTARY_MEETING}/").select(".cp-downloads a")
    assert [a.get_text() for a in links] == ["Agenda pack", "Supplementary agenda pack"]


def test_each_report_is_also_a_printed_committee_paper(
    site: Site, demo_site: Path, papers: Papers
) -> None:
    report_id = "budget-proposals-2027-28"
    link = site.article(f"reports/{report_id}/").select_one(".cp-downloads a")
    assert link["href"].endswith(f"{report_id}/{report_id}.pdf")
    reader = PdfReader(str(demo_site / "reports" / report_id / f"{report_id}.pdf"))
    first = " ".join(reader.pages[0].extract_text().split())
    for words in (
        "Brackenford District Council",
        "Agenda item 6",
        "Cabinet, Tuesday 1 December",
        "Report details",
        "Summary",
    ):
        assert words in first, words
    text = "".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "(https://papers.brackenford.example.gov.uk/" in text  # link addresses written out
    report = papers.reports[report_id]
    assert reader.outline[0].title == report.title
    assert [o.title for o in reader.outline[1]] == [
        f"Appendix {a.label}: {a.title}" for a in report.appendices
    ]


# --- members' non-public pack, and nothing exempt in public PDFs -----------------------------


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plant(copy_data(tmp_path_factory.mktemp("packs") / "data"))


def test_part_2_papers_go_only_in_the_members_non_public_pack_numbered_on(
    planted: Path,
) -> None:
    public = build_site(planted.parent / "public", data_dir=planted, packs=True)
    members = build_site(
        planted.parent / "members", data_dir=planted, packs=True, audience="members"
    )
    folder = f"meetings/{FIXTURE_MEETING}"
    assert not (public / folder / "non-public-pack.pdf").exists()
    # MkDocs reuses the plugin: a later build without packs carries none of the members' PDFs.
    again = build_site(planted.parent / "again", data_dir=planted)
    assert not list(again.rglob("*.pdf"))
    for pdf in public.rglob("*.pdf"):
        text = " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).lower()
        assert TOKEN not in text, pdf
    # The members' copy of the public pack is the public pack, byte for byte.
    assert (members / folder / "agenda-pack.pdf").read_bytes() == (
        public / folder / "agenda-pack.pdf"
    ).read_bytes()
    main = Pack(members / folder / "agenda-pack.pdf")
    secret = Pack(members / folder / "non-public-pack.pdf")
    assert secret.first == main.pages + 1 + main.pages % 2
    assert "part 2: not for publication" in secret.texts[0].lower()
    assert f"{TOKEN}reportsummary" in " ".join(secret.texts).lower()
    real = secret.real_ranges()
    assert real and secret.agenda_ranges() == list(real.values())
    # Where each Part 2 item really is in the members' pack is printed on both sites' agendas
    # (web page and the public pack's own agenda), as on seed 001's published agenda.
    public_pack = Pack(public / folder / "agenda-pack.pdf")
    printed = public_pack.agenda_text()
    for site in (Site(members), Site(public)):
        page = site.article(folder)
        for number, (start, end) in real.items():
            words = f"Non-public pack, pages {start} - {end}"
            assert words in page.select_one(f"#item-{number} .cp-pages").get_text(), number
            assert f"({words})" in printed, number
    assert printed.count("Non-public pack, pages") == len(real)
    assert {"reportsummary", "appendixtext"} <= set(CANARIES)


def test_the_public_build_lays_out_the_non_public_pack_only_into_its_cache(
    tmp_path: Path,
) -> None:
    """The public build needs the non-public pack's layout for its Part 2 page ranges: the
    PDF goes into the private cache (where the members' build then finds it), not the site."""
    data = plant(copy_data(tmp_path / "data"))
    papers = load(data)
    day = dt.date.fromisoformat(AS_OF)
    full_policy = Policy(papers, Audience.public, day)
    shown = project(papers, full_policy)
    policy = Policy(shown, Audience.public, day)
    renderer = Renderer(shown, policy, [ROOT / "macros"])
    cache = tmp_path / "cache"
    settings = PdfSettings(
        base_url=str(ROOT / "docs"), cache=cache, reports=False, meetings=[FIXTURE_MEETING]
    )
    made: list[str] = []
    index = build_pdfs(renderer.env, renderer.view, settings, lambda n, p: made.append(n), papers)
    assert sorted(Path(f.path).name for f in index.files) == [
        "agenda-pack.pdf",
        "supplementary-pack.pdf",
    ]
    assert sorted(Path(n).name for n in made) == ["agenda-pack.pdf", "supplementary-pack.pdf"]
    part2 = [t for texts in index.ranges.values() for t in texts if "Non-public" in t]
    assert part2 and all(re.fullmatch(r"Non-public pack, pages \d+ - \d+", t) for t in part2)
    secret = [
        pdf
        for pdf in cache.glob("*.pdf")
        if TOKEN in " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).lower()
    ]
    assert len(secret) == 1, "the non-public pack is laid out once, into the cache"
    # The members' build of the same meeting lays nothing out: the public build cached it all.
    members = Renderer(papers, Policy(papers, Audience.members, day), [ROOT / "macros"])
    again: list[bool] = []
    build_pdfs(members.env, members.view, settings, lambda n, p: again.append(p.cached))
    assert len(again) == 3 and all(again)


# --- cache, command, seed ---------------------------------------------------------------------


def test_the_pack_cache_is_never_a_published_folder(tmp_path: Path) -> None:
    published = {"docs folder": tmp_path / "docs", "output folder": tmp_path / "site"}
    assert cache_problem(tmp_path / ".cache" / "packs", published) == ""
    for inside in (tmp_path / "site", tmp_path / "docs" / "cache", tmp_path / "site" / "x" / ".."):
        problem = cache_problem(inside, published)
        assert "must be a private folder" in problem and "non-public packs" in problem, inside


def test_unchanged_packs_are_not_laid_out_again(tmp_path: Path) -> None:
    papers = load(copy_data(tmp_path / "data"))
    policy = Policy(papers, Audience.public, dt.date.fromisoformat(AS_OF))
    renderer = Renderer(papers, policy, [ROOT / "macros"])
    settings = PdfSettings(base_url=str(ROOT / "docs"), cache=tmp_path / "cache", workers=1)
    runs: list[list[bool]] = [[], []]
    for seen in runs:
        index = build_pdfs(
            renderer.env, renderer.view, settings, lambda n, p, seen=seen: seen.append(p.cached)
        )
    assert runs[0] and not any(runs[0]) and all(runs[1])
    assert len(list((tmp_path / "cache").glob("*.pdf"))) == len(runs[0]) == len(index.files)


def test_papers_pack_builds_one_meetings_packs(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    result = papers_command(
        "pack",
        FIXTURE_MEETING,
        "--members",
        "--data",
        str(data),
        "--as-of",
        AS_OF,
        "-o",
        str(tmp_path / "out"),
    )
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert made == ["agenda-pack.pdf", "non-public-pack.pdf", "supplementary-pack.pdf"]
    assert re.search(r"agenda-pack.pdf: \d+ pages", result.stderr)
    missing = papers_command("pack", "no-such-meeting", "--data", str(data))
    assert missing.returncode == 1 and "no meeting 'no-such-meeting'" in missing.stderr


SEED_001 = ROOT / "examples" / "seed-001"
#: Seed 001's agenda: the items that carry page ranges, in order (public, then Part 2).
SEED_001_PUBLIC = ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]


@pytest.mark.skipif(not SEED_001.is_dir(), reason="examples/seed-001 is not in this branch yet")
def test_seed_001_pack_has_the_real_packs_items_in_order(tmp_path: Path) -> None:
    data = SEED_001 / "data" if (SEED_001 / "data").is_dir() else SEED_001
    papers = load(data)
    meeting_id = papers.meetings_in_date_order()[-1].id
    result = papers_command(
        "pack", meeting_id, "--data", str(data), "--as-of", "2099-01-01", "-o", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    pack = Pack(tmp_path / "agenda-pack.pdf")
    assert list(pack.real_ranges()) == SEED_001_PUBLIC
