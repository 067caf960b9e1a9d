"""No spelling of an exempt marker, at any level, can ever publish the paper (issue 13.1).

Exemption is a statement of its own; the paragraphs are detail, and may be unknown. Every
spelling below is planted on an appendix, an agenda item and a minute, each carrying a
unique token, and the public build is read for the tokens; an exempt report presented as a
Part 1 item stops `papers check` and the build, whatever the spelling.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import build_site, copy_data, papers_command

from committee_papers.load import load_with_problems

MEETING = "meetings/2026-01-28-audit-governance"
#: Every way a clerk might write "exempt", as it appears after `exempt:` in YAML.
SPELLINGS = {
    "paragraphlist": '["3"]',
    "paragraphtext": '"3, 5"',
    "true": "true",
    "yes": "yes",
    "partii": '"Part II"',
    "notforpublication": '"not for publication"',
    "emptylist": "[]",
    "emptystring": '""',
    "bare": "",
}


def token(level: str, spelling: str) -> str:
    return f"zqxspell{level}{spelling}"


def plant(data: Path) -> None:
    meeting = data / MEETING
    report = meeting / "internal-audit-progress-q3-2025-26.md"
    appendices = "".join(
        f"""  - label: "{index}"
    title: Appendix {token("appendixtitle", name)}
    exempt: {spelling}
    text: The words {token("appendix", name)} are exempt.
"""
        for index, (name, spelling) in enumerate(SPELLINGS.items(), start=3)
    )
    report.write_text(
        report.read_text().replace("background_papers:", appendices + "background_papers:", 1)
    )
    items = "".join(
        f"""  - number: "{index}"
    title: Item {index}
    exempt: {spelling}
    description: The words {token("item", name)} are exempt.
    notes: The words {token("itemnote", name)} are exempt.
"""
        for index, (name, spelling) in enumerate(SPELLINGS.items(), start=11)
    )
    agenda = meeting / "meeting.yml"
    text = agenda.read_text()
    at = text.index('  - number: "7"')  # the exclusion motion: Part 1 items come before it
    agenda.write_text(text[:at] + items + text[at:])
    minutes = meeting / "minutes.yml"
    entries = "".join(
        f"""  - item: "{index}"
    exempt: {spelling}
    text: The words {token("minute", name)} are exempt.
    resolutions:
      - The words {token("resolution", name)} are exempt.
"""
        for index, (name, spelling) in enumerate(SPELLINGS.items(), start=11)
    )
    minutes.write_text(minutes.read_text() + entries)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_data(tmp_path_factory.mktemp("spellings") / "data")
    plant(data)
    return data


def test_every_spelling_loads_as_exempt(planted: Path) -> None:
    papers, problems, _ = load_with_problems(planted)
    assert not problems, "\n".join(str(p) for p in problems.errors)
    assert papers is not None
    meeting = papers.meetings["2026-01-28-audit-governance"]
    report = papers.reports["internal-audit-progress-q3-2025-26"]
    for index, _ in enumerate(SPELLINGS, start=3):
        assert report.appendix(str(index)).exempt is not None
    for index, _ in enumerate(SPELLINGS, start=11):
        assert meeting.item(str(index)).is_exempt
        assert meeting.minutes.for_item(str(index)).exempt is not None
    unknown = [p for p in problems.warnings if "paragraphs it is exempt under" in p.message]
    # Every spelling but the two that give paragraphs warns, at each of the three levels.
    assert len(unknown) == 3 * (len(SPELLINGS) - 2)


def test_no_spelling_publishes_anything(planted: Path) -> None:
    site = build_site(planted.parent / "public", data_dir=planted)
    text = "\n".join(
        str(p.relative_to(site)) + p.read_bytes().decode("utf-8", "replace")
        for p in site.rglob("*")
        if p.is_file()
    )
    assert "zqxspell" not in text
    page = (site / MEETING / "index.html").read_text()
    # The public notice of an item whose paragraphs are unknown names no paragraph.
    assert "Item 13" in page and "as defined in Part 1 of Schedule 12A" in page


def test_an_exempt_report_in_part_one_stops_check_and_build(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    meeting = data / MEETING
    agenda = meeting / "meeting.yml"
    items = ""
    for index, (name, spelling) in enumerate(SPELLINGS.items(), start=11):
        (meeting / f"report-{name}.md").write_text(
            f"---\ntitle: Report {name}\nreport_of: Chief Executive\nexempt: {spelling}\n"
            f"summary: The words {token('report', name)} are exempt.\n---\nText.\n"
        )
        items += f'  - {{number: "{index}", report: report-{name}}}\n'
    text = agenda.read_text()
    at = text.index('  - number: "7"')
    agenda.write_text(text[:at] + items + text[at:])
    check = papers_command("check", "--data", str(data))
    assert check.returncode == 1
    refused = [line for line in check.stderr.splitlines() if "present it as a Part 2 item" in line]
    assert len(refused) == len(SPELLINGS)
    build = papers_command("build", "--data", str(data), "-d", str(tmp_path / "site"))
    assert build.returncode == 1 and not (tmp_path / "site").exists()
