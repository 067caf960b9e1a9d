"""`papers import`: Word reports in the shapes of real councils' reports become valid reports.

The .docx files are built here with python-docx in the layouts of three real reports (seeds
000, 002 and 004: a two-column cover with "Label: value" cells; a label/value/phone cover
with the subject in the Title style; a capitalised cover with the recommendations inside
it). The words are our own. Each is imported into a copy of the demo data and must then
load with `papers check`, with its fields and headings where they belong.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from support import DATA, copy_data, papers_command

from committee_papers import text
from committee_papers.load import load, load_with_problems
from committee_papers.model import Purpose

MEETING = "2026-12-16-council"


def png() -> bytes:
    """A 2x2 grey PNG, small enough to write inline."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def cover(document: docx.Document, rows: list[list[str]]) -> docx.table.Table:
    table = document.add_table(rows=0, cols=max(len(r) for r in rows))
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
    return table


def shape_000(path: Path, tmp: Path) -> Path:
    """Cover cells hold 'Label: value'; Summary and Recommendation(s) as headings; a picture."""
    document = docx.Document()
    cover(
        document,
        [
            ["Committee(s)", "Dated:"],
            ["Council - For Decision", "16 December 2026"],
            ["Subject: Review of the repairs service for council homes", "Public"],
            ["Report of: Director of Housing and Communities", "For Decision"],
            ["Report author: Samuel Oduya, Director of Housing and Communities", ""],
        ],
    )
    document.add_heading("Summary", level=1)
    document.add_paragraph("The repairs service was reviewed over the summer by a member panel.")
    document.add_paragraph("Most repairs are now finished within the target time.")
    document.add_heading("Recommendation(s)", level=1)
    document.add_paragraph("Members are asked to:")
    document.add_paragraph("Note the findings of the review.", style="List Bullet")
    document.add_paragraph("Agree the action plan in the appendix.", style="List Bullet")
    document.add_heading("Main Report", level=1)
    document.add_heading("Background", level=2)
    document.add_paragraph("1. The review began in June 2026 after complaints rose.")
    document.add_paragraph("2. The panel met tenants in every ward.")
    document.add_paragraph("Table 1: Repairs finished on time")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(
        table.rows, [("Quarter", "On time"), ("Q1", "81%"), ("Q2", "88%")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = values
    image = tmp / "chart.png"
    image.write_bytes(png())
    document.add_picture(str(image))
    # python-docx has no alt-text setter: Word keeps it in the drawing's docPr descr.
    document.inline_shapes[0]._inline.docPr.set("descr", "Bar chart of repairs on time")
    document.save(path)
    return path


def shape_002(path: Path) -> Path:
    """A label / value / telephone cover, then the subject in the Title style, numbered text."""
    document = docx.Document()
    cover(
        document,
        [
            ["Report of:", "Director of Housing and Communities", ""],
            ["Cabinet Member(s) responsible:", "Councillor for Housing", ""],
            ["Contact Officer(s):", "Samuel Oduya, Director", "Tel. 01632 960 430"],
            ["Key decision:", "No", ""],
            ["Wards affected:", "Millbrook, Eastfield", ""],
        ],
    )
    document.add_paragraph("Temporary accommodation placements", style="Title")
    document.add_heading("RECOMMENDATIONS", level=1)
    document.add_paragraph("It is recommended that Council:")
    document.add_paragraph("Notes the rise in placements.", style="List Number")
    document.add_paragraph("Agrees the new procurement approach.", style="List Number")
    document.add_heading("1. ORIGIN OF REPORT", level=1)
    document.add_paragraph("1.1 This report was asked for by the Housing Scrutiny Sub-Committee.")
    document.add_heading("2. PURPOSE AND REASON FOR REPORT", level=1)
    document.add_paragraph("2.1 The report explains why placements rose and what will change.")
    document.add_paragraph("2.2 It is for decision under the Council's budget framework.")
    document.save(path)
    return path


def shape_004(path: Path) -> Path:
    """Capitalised labels, the recommendations as a list inside the cover table."""
    document = docx.Document()
    table = cover(
        document,
        [
            ["REPORT TO:", "Council 16 December 2026"],
            ["AGENDA ITEM:", "7"],
            ["SUBJECT:", "Calendar of meetings 2027/28"],
            ["LEAD OFFICER:", "Head of Legal Services and Monitoring Officer"],
            ["ORIGIN OF ITEM:", "The constitution asks for a calendar each year."],
            ["RECOMMENDATIONS", ""],
        ],
    )
    holder = table.rows[-1].cells[1]
    holder.paragraphs[0].text = "Members are invited to:"
    holder.add_paragraph("i) Agree the calendar of meetings;", style="List Bullet")
    holder.add_paragraph("ii) Note the dates of the annual meeting.", style="List Bullet")
    document.add_heading("1. Executive Summary", level=1)
    document.add_paragraph("1.1 The calendar sets the dates of every meeting next year.")
    document.add_heading("2. Detail", level=1)
    document.add_paragraph("2.1 Meetings avoid school holidays where they can.")
    document.add_heading("2.2 Options", level=2)
    document.add_paragraph("2.2.1 A four-weekly cycle was considered and not preferred.")
    document.save(path)
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data", source=DATA)


def run_import(data: Path, source: Path, *extra: str):
    result = papers_command(
        "import", str(source), "--meeting", MEETING, "--data", str(data), *extra
    )
    assert result.returncode == 0, result.stderr
    return result


def imported(data: Path, report_id: str):
    papers, problems, _ = load_with_problems(data)
    assert not problems, "\n".join(map(str, problems))
    report = papers.reports[report_id]
    headings = [line for line in report.body.splitlines() if line.startswith("#")]
    return papers, report, headings


def test_seed_000_shape_cover_sections_table_and_image(data: Path, tmp_path: Path) -> None:
    result = run_import(data, shape_000(tmp_path / "repairs.docx", tmp_path))
    report_id = "review-of-the-repairs-service-for-council-homes"
    papers, report, headings = imported(data, report_id)
    assert report.title == "Review of the repairs service for council homes"
    assert report.report_of == "Director of Housing and Communities"
    assert report.author == "samuel-oduya"
    assert report.purpose is Purpose.decision
    assert report.draft is True
    assert report.summary.startswith("The repairs service was reviewed")
    assert "Most repairs" in report.summary
    assert report.recommendations == [
        "Note the findings of the review.",
        "Agree the action plan in the appendix.",
    ]
    assert headings == ["## Main Report", "### Background"]
    assert "1\\. The review began" in report.body and "2\\. The panel" in report.body
    shown = BeautifulSoup(text.to_html(report.body, written=True), "html.parser")
    numbers = [(p["id"], p.span.get_text()) for p in shown.select("p.cp-para")]
    assert numbers == [("para-1", "1"), ("para-2", "2")]  # the officer's, not a list
    assert "Table: Table 1: Repairs finished on time" in report.body
    assert "| Quarter | On time |" in report.body and "| Q2 | 88% |" in report.body
    image = f"images/{report_id}-1.png"
    assert f"![Bar chart of repairs on time]({image})" in report.body
    assert (data / "meetings" / MEETING / image).read_bytes() == png()
    assert "to check: cover: Committee(s) | Dated:" in result.stdout
    assert "to check: cover: Council - For Decision | 16 December 2026" in result.stdout
    meeting = papers.meetings[MEETING]
    assert [i.number for i in meeting.agenda if i.report == report_id] == ["9"]
    assert meeting.agenda[-1].kind.value == "urgent-business"


def test_seed_002_shape_title_style_numbered_paragraphs(data: Path, tmp_path: Path) -> None:
    result = run_import(data, shape_002(tmp_path / "ta.docx"))
    _, report, headings = imported(data, "temporary-accommodation-placements")
    assert report.title == "Temporary accommodation placements"
    assert report.report_of == "Director of Housing and Communities"
    assert report.author == "samuel-oduya"
    assert report.key_decision is False
    assert report.wards == ["Millbrook", "Eastfield"]
    assert report.recommendations == [
        "Notes the rise in placements.",
        "Agrees the new procurement approach.",
    ]
    assert headings == ["## 1. ORIGIN OF REPORT", "## 2. PURPOSE AND REASON FOR REPORT"]
    assert "1.1 This report was asked for" in report.body
    assert "2.2 It is for decision" in report.body
    lines = result.stdout.splitlines()
    assert "to check: cover: Cabinet Member(s) responsible: | Councillor for Housing" in lines
    assert "to check: cover: Tel. 01632 960 430" in lines
    assert "to check: no summary found: summary is a placeholder" in lines
    check = papers_command("check", "--data", str(data))
    assert check.returncode == 0
    assert "warning: placeholder: summary: 'TO DO: a summary of the report.'" in check.stderr


def test_seed_004_shape_recommendations_in_the_cover(data: Path, tmp_path: Path) -> None:
    result = run_import(data, shape_004(tmp_path / "calendar.docx"), "--id", "calendar-2027-28")
    _, report, headings = imported(data, "calendar-2027-28")
    assert report.title == "Calendar of meetings 2027/28"
    assert report.report_of == "Head of Legal Services and Monitoring Officer"
    assert report.recommendations == [
        "i) Agree the calendar of meetings;",
        "ii) Note the dates of the annual meeting.",
    ]
    assert report.summary == "1.1 The calendar sets the dates of every meeting next year."
    assert headings == ["## 2. Detail", "### 2.2 Options"]
    assert "2.2.1 A four-weekly cycle" in report.body
    assert "to check: cover: REPORT TO: | Council 16 December 2026" in result.stdout
    assert "to check: cover: AGENDA ITEM: | 7" in result.stdout


def test_import_never_overwrites_without_force(data: Path, tmp_path: Path) -> None:
    source = shape_004(tmp_path / "calendar.docx")
    run_import(data, source)
    target = data / "meetings" / MEETING / "calendar-of-meetings-2027-28.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nThe clerk's own words.\n")
    again = papers_command("import", str(source), "--meeting", MEETING, "--data", str(data))
    assert again.returncode == 2
    assert again.stderr.strip().endswith(
        "already exists; it was left as it is (use --force to replace it)"
    )
    assert "The clerk's own words." in target.read_text(encoding="utf-8")
    run_import(data, source, "--force")
    assert "The clerk's own words." not in target.read_text(encoding="utf-8")
    assert len(load(data).meetings[MEETING].agenda) == 10  # added once, not twice


def test_a_file_that_is_not_word_is_one_line(data: Path, tmp_path: Path) -> None:
    fake = tmp_path / "notes.docx"
    fake.write_text("not a zip")
    result = papers_command("import", str(fake), "--meeting", MEETING, "--data", str(data))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "is not a Word document (.docx)" in result.stderr.splitlines()[-1]


def test_imported_images_are_copied_beside_the_public_report(data: Path, tmp_path: Path) -> None:
    from committee_papers.outputs import all_files
    from committee_papers.policy import Audience, Policy
    from committee_papers.projection import project

    run_import(data, shape_000(tmp_path / "repairs.docx", tmp_path))
    report_id = "review-of-the-repairs-service-for-council-homes"
    meeting = data / "meetings" / MEETING
    (meeting / "meeting.yml").write_text(
        (meeting / "meeting.yml")
        .read_text()
        .replace("status: scheduled", "published: 2026-12-08\nstatus: scheduled")
    )

    def images(as_of: str) -> list[str]:
        papers = load(data)
        policy = Policy(papers, Audience.public, dt.date.fromisoformat(as_of))
        shown = project(papers, policy)
        return [
            f.path
            for f in all_files(shown, Policy(shown, Audience.public, policy.as_of))
            if "/images/" in f.path
        ]

    assert images("2026-12-10") == []  # the import is a draft
    path = meeting / f"{report_id}.md"
    path.write_text(path.read_text().replace("draft: true\n", ""))
    assert images("2026-12-07") == []  # not yet published
    assert images("2026-12-10") == [f"reports/{report_id}/images/{report_id}-1.png"]
