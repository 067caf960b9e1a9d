"""Exempt and unpublished papers never reach the public build; members see them, marked.

Canary words are planted in every exempt or unpublished field of a copy of the fixture
council; the public output is read byte by byte (and decompressed) for them.
"""

from __future__ import annotations

import gzip
import shutil
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import ROOT, build_site, config_with_docs, copy_data, papers_command

from committee_papers.guard import Secrets, fragments, scan

MEETING = "meetings/2026-01-28-audit-governance"
TOKEN = "zqxcanary"


def canary(name: str) -> str:
    """A sentence long enough for the guard, carrying a unique token."""
    return f"The sentence {TOKEN}{name} is planted in a field that the public must never see."


#: token name -> what it is planted in (all withheld from the public on 2026-11-23)
CANARIES = {
    "reportsummary": "summary of an exempt report",
    "reportrec": "recommendation of an exempt report",
    "reportbody": "main text of an exempt report",
    "appendixtext": "text of an exempt appendix of a public report",
    "appendixnote": "note of an exempt appendix",
    "appendixcell": "table cell of an exempt appendix",
    "itemdescription": "description of a Part 2 agenda item",
    "itemnotes": "notes of a Part 2 agenda item",
    "minutetext": "minute of a Part 2 item",
    "minuteresolution": "resolution of a Part 2 item",
    "privateminute": "exempt minute of a public agenda item",
    "privateanswer": "answer in an exempt minute",
    "draftreport": "a draft report",
    "draftappendix": "a draft appendix of a public report",
    "embargoed": "a report to be published on 10 December 2026",
    "draftminutes": "draft minutes",
    "futureagenda": "an agenda to be published on 20 December 2026",
}


def plant(data: Path) -> Path:
    meeting = data / MEETING
    exempt = meeting / "debt-write-off-jan-2026.md"
    exempt.write_text(
        exempt.read_text()
        .replace("summary: |\n", f"summary: |\n  {canary('reportsummary')}\n")
        .replace("recommendations:\n", f"recommendations:\n  - {canary('reportrec')}\n")
        + f"\n{canary('reportbody')}\n"
    )
    public = meeting / "internal-audit-progress-q3-2025-26.md"
    public.write_text(
        public.read_text().replace(
            "background_papers:",
            f"""  - label: "3"
    title: Contractor rates
    exempt: ["3"]
    note: {canary("appendixnote")}
    text: {canary("appendixtext")}
    table:
      columns: [Item, Rate]
      rows:
        - {{Item: "{canary("appendixcell")}", Rate: "12"}}
  - label: "4"
    title: Revised figures
    draft: true
    text: {canary("draftappendix")}
background_papers:""",
            1,
        )
    )
    for name, extra in (
        ("draft-report", "draft: true"),
        ("embargoed-report", "publish_on: 2026-12-10"),
    ):
        token = "draftreport" if name == "draft-report" else "embargoed"
        (meeting / f"{name}.md").write_text(f"""---
title: A paper not yet public ({name})
report_of: Chief Executive
{extra}
summary: {canary(token)}
---
{canary(token)}
""")
    agenda = meeting / "meeting.yml"
    agenda.write_text(
        agenda.read_text()
        .replace(
            '  - {number: "5", kind: questions}',
            """  - {number: "4a", report: draft-report, purpose: decision}
  - {number: "4b", report: embargoed-report, purpose: decision}
  - {number: "5", kind: questions}""",
        )
        .replace(
            '    exempt: ["1", "3"]\n',
            f"""    exempt: ["1", "3"]
    description: {canary("itemdescription")}
    notes: {canary("itemnotes")}
""",
        )
    )
    minutes = meeting / "minutes.yml"
    minutes.write_text(
        minutes.read_text()
        .replace(
            "    text: The committee considered the exempt report of the Director of Finance.",
            f"    text: {canary('minutetext')}",
        )
        .replace(
            "      - That the write-off be approved as set out in the exempt report.",
            f"      - {canary('minuteresolution')}",
        )
        .replace(
            '  - item: "6"\n    text: There was no urgent business.',
            f"""  - item: "6"
    exempt: ["1"]
    text: {canary("privateminute")}
    questions:
      - question: Which tenant was this?
        answer: {canary("privateanswer")}""",
        )
    )
    for folder, date, published, token in (
        ("2026-03-11-audit-governance", "2026-03-11", "2026-03-02", "draftminutes"),
        ("2026-12-30-audit-governance", "2026-12-30", "2026-12-20", "futureagenda"),
    ):
        (data / "meetings" / folder).mkdir()
        held = token == "draftminutes"
        (data / "meetings" / folder / "meeting.yml").write_text(f"""body: audit-governance
date: {date}
start: "18:30"
status: {"held" if held else "scheduled"}
published: {published}
agenda:
  - {{number: "1", kind: apologies, description: "{canary(token) if not held else "None."}"}}
""")
        if held:
            (data / "meetings" / folder / "minutes.yml").write_text(f"""draft: true
chair: peter-goodwin
present: [peter-goodwin]
ended: "19:00"
items:
  - item: "1"
    text: {canary(token)}
""")
    return data


def all_text(site: Path) -> dict[str, str]:
    """Every file's bytes as text, with compressed files opened."""
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # .gz files and Pagefind's index files
            data = gzip.decompress(data)
        found[str(path.relative_to(site))] = data.decode("utf-8", errors="replace").lower()
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plant(copy_data(tmp_path_factory.mktemp("canary") / "data"))


@pytest.fixture(scope="module")
def public_site(planted: Path) -> Path:
    return build_site(planted.parent / "public", data_dir=planted)


@pytest.fixture(scope="module")
def members_site(planted: Path) -> Path:
    return build_site(planted.parent / "members", data_dir=planted, audience="members")


def test_the_fixture_plants_every_canary(planted: Path) -> None:
    text = " ".join(p.read_text() for p in planted.rglob("*") if p.is_file())
    assert all(f"{TOKEN}{name}" in text for name in CANARIES)


def test_no_canary_in_any_byte_of_the_public_site(public_site: Path) -> None:
    files = all_text(public_site)
    assert any(name.endswith(".pf_fragment") for name in files) and "sitemap.xml" in files
    leaks = [
        (name, token)
        for name, text in files.items()
        for token in CANARIES
        if f"{TOKEN}{token}" in text
    ]
    assert leaks == []
    assert not any(TOKEN in text for text in files.values())


def test_every_canary_is_in_the_members_site(members_site: Path) -> None:
    text = " ".join(all_text(members_site).values())
    missing = [
        f"{token} ({what})" for token, what in CANARIES.items() if f"{TOKEN}{token}" not in text
    ]
    assert missing == []


def test_members_pages_are_marked_and_not_indexed(members_site: Path) -> None:
    page = BeautifulSoup(
        (members_site / "reports/debt-write-off-jan-2026/index.html").read_text(), "lxml"
    )
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    notice = page.select_one(".cp-notice--restricted").get_text(" ")
    assert "Not for publication" in notice and "paragraphs 1 and 3" in notice
    home = BeautifulSoup((members_site / "index.html").read_text(), "lxml")
    assert home.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert "not for publication" in home.select_one(".cp-members-banner").get_text()


def test_public_agenda_shows_part_two_title_and_paragraphs(public_site: Path) -> None:
    page = BeautifulSoup((public_site / f"{MEETING}/index.html").read_text(), "lxml").find(
        id="item-8"
    )
    text = " ".join(page.get_text(" ").split())
    assert "Debt write-off over 10,000 pounds" in text
    assert "paragraphs 1 and 3 of Part 1 of Schedule 12A" in text
    assert page.find("a") is None


def test_embargoed_report_appears_once_its_date_has_come(planted: Path) -> None:
    later = build_site(planted.parent / "later", data_dir=planted, as_of="2026-12-11")
    text = " ".join(all_text(later).values())
    assert f"{TOKEN}embargoed" in text
    assert f"{TOKEN}draftreport" not in text and f"{TOKEN}futureagenda" not in text
    final = build_site(planted.parent / "final", data_dir=planted, as_of="2026-12-21")
    assert f"{TOKEN}futureagenda" in " ".join(all_text(final).values())


def test_papers_build_as_of_on_the_command_line(planted: Path, tmp_path: Path) -> None:
    result = papers_command(
        "build", "--data", str(planted), "-d", str(tmp_path / "site"), "--as-of", "2026-12-11"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/reports/embargoed-report/index.html").exists()
    assert not (tmp_path / "site/reports/draft-report/index.html").exists()


def templates_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of macros/ in which one template is changed, as a careless council might."""
    templates = tmp_path / "macros"
    shutil.copytree(ROOT / "macros", templates)
    template = templates / name
    text = template.read_text()
    assert old in text, f"{old!r} not in {name}"
    template.write_text(text.replace(old, new))
    return templates


def test_a_template_that_loops_over_every_report_prints_only_public_ones(
    planted: Path, tmp_path: Path
) -> None:
    """Withheld by construction: templates only ever see the public projection."""
    templates = templates_with(
        tmp_path,
        "lists.html",
        "<h1>Committees</h1>",
        "<h1>Committees</h1>\n{% for r in v.papers.reports.values() %}"
        "<p>{{ r.title }} {{ r.summary }} {{ r.body }}</p>{% endfor %}"
        "{% for m in v.papers.meetings.values() %}{% for i in m.agenda %}"
        "<p>{{ i.description }} {{ i.notes }} {{ i.late_reason }}</p>{% endfor %}{% endfor %}",
    )
    from committee_papers.mkdocs_plugin import build_site as build

    site = tmp_path / "site"
    build(
        str(ROOT / "mkdocs.yml"),
        site_dir=str(site),
        data_dir=str(planted),
        templates_dir=str(templates),
        as_of="2026-11-23",
    )
    committees = (site / "committees/index.html").read_text()
    assert "Internal Audit Progress Report" in committees  # public, printed by the loop
    assert not any(TOKEN in t for t in all_text(site).values())


def test_guard_names_the_file_and_the_paper(planted: Path, tmp_path: Path) -> None:
    """A hand-written page that quotes an exempt report is caught, by file and paper."""
    config = config_with_docs(tmp_path, "about.md", canary("reportbody"))
    result = papers_command(
        "build",
        "-f",
        str(config),
        "--data",
        str(planted),
        "--templates",
        str(ROOT / "macros"),
        "-d",
        str(tmp_path / "site"),
        "--as-of",
        "2026-11-23",
    )
    assert result.returncode == 1
    assert "Exempt or unpublished text was found in the public site" in result.stderr
    assert "about/index.html: contains text of report 'debt-write-off-jan-2026'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


# --- the guard reads every kind of file ------------------------------------------------------

SECRET = Secrets(
    dict.fromkeys(
        fragments("The negotiated price for the land is four million pounds before costs."),
        "report 'x'",
    )
)


def minimal_pdf(words: str) -> bytes:
    """A one-page PDF whose page stream is compressed, as real PDFs are."""
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({words}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "page.html",
            b"<p>The negotiated <em>price</em> for the land is four million pounds"
            b" before costs.</p>",
        ),
        (
            "comment.html",
            b"<!-- The negotiated price for the land is four million pounds before costs. -->",
        ),
        (
            "alt.html",
            b'<img src="a.png" alt="The negotiated price for the land is four million'
            b' pounds before costs.">',
        ),
        (
            "escaped.html",
            b"<p>The negotiated price for the land is four&nbsp;million pounds before costs.</p>",
        ),
        (
            "search_index.json",
            b'{"docs": [{"text": "The negotiated price for the land is four'
            b' million pounds before costs."}]}',
        ),
        (
            "sitemap.xml.gz",
            gzip.compress(
                b"<loc>The negotiated price for the land is four million pounds"
                b" before costs.</loc>",
                mtime=0,
            ),
        ),
        (
            "pack.pdf",
            minimal_pdf("The negotiated price for the land is four million pounds before costs."),
        ),
    ],
    # Ids from the file names alone: the same on every xdist worker, whatever the bytes.
    ids=lambda value: value if isinstance(value, str) else "bytes",
)
def test_guard_reads_every_kind_of_file(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    (tmp_path / "clean.html").write_text("<p>Nothing to see.</p>")
    leaks = scan(tmp_path, SECRET)
    assert {(leak.file, leak.paper) for leak in leaks} == {(name, "report 'x'")}
