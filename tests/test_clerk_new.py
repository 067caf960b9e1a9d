"""`papers new meeting|report|minutes` on copies of the demo: files that load, never clobbered."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import DATA, copy_data, papers_command

from committee_papers.load import load, load_with_problems
from committee_papers.model import ItemKind, MeetingStatus


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data", source=DATA)


def run(data: Path, *args: str, status: int = 0):
    result = papers_command(*args, "--data", str(data))
    assert result.returncode == status, result.stdout + result.stderr
    return result


def checks_clean(data: Path) -> str:
    """`papers check` passes; its warnings (the placeholders) are returned."""
    result = papers_command("check", "--data", str(data))
    assert result.returncode == 0, result.stderr
    return result.stderr


# --- papers new meeting --------------------------------------------------------------------


def test_new_meeting_has_the_bodys_standing_items_and_defaults(data: Path) -> None:
    result = run(data, "new", "meeting", "audit-governance", "2027-01-27")
    path = data / "meetings" / "2027-01-27-audit-governance" / "meeting.yml"
    assert result.stdout.startswith(f"Wrote {path}")
    checks_clean(data)
    meeting = load(data).meetings["2027-01-27-audit-governance"]
    assert (meeting.start.isoformat(), meeting.venue, meeting.clerk) == (
        "18:30:00",
        "Committee Room 2, Brackenford House",
        "ben-achebe",
    )
    assert meeting.status is MeetingStatus.scheduled and meeting.published is None
    kinds = [(i.number, i.kind.value, i.part) for i in meeting.agenda]
    assert kinds == [
        ("1", "apologies", 1),
        ("2", "declarations", 1),
        ("3", "minutes", 1),
        ("4", "other", 1),
        ("5", "questions", 1),
        ("6", "urgent-business", 1),
        ("7", "exclusion", 1),
        ("8", "other", 2),
    ]
    assert meeting.agenda[2].minutes_of == "2026-11-11-audit-governance"
    assert meeting.agenda[7].exempt == ["3"]
    assert "# Publish the agenda by Tuesday 19 January 2027" in path.read_text()


def test_new_meeting_without_a_template_uses_the_usual_agenda(data: Path) -> None:
    run(data, "new", "meeting", "council", "2027-01-20", "--time", "18:00", "--venue", "Guildhall")
    meeting = load(data).meetings["2027-01-20-council"]
    assert [i.kind for i in meeting.agenda] == [
        ItemKind.apologies,
        ItemKind.declarations,
        ItemKind.minutes,
        ItemKind.questions,
        ItemKind.urgent_business,
    ]
    assert meeting.agenda[2].minutes_of == "2026-12-16-council"
    assert (meeting.start.isoformat(), meeting.venue) == ("18:00:00", "Guildhall")


def test_new_meeting_never_overwrites_without_force(data: Path) -> None:
    run(data, "new", "meeting", "cabinet", "2027-02-02")
    path = data / "meetings" / "2027-02-02-cabinet" / "meeting.yml"
    path.write_text(path.read_text() + "# the clerk's note\n")
    refused = run(data, "new", "meeting", "cabinet", "2027-02-02", status=2)
    assert refused.stderr.strip() == (
        f"papers: {path} already exists; it was left as it is (use --force to replace it)"
    )
    assert "# the clerk's note" in path.read_text()
    run(data, "new", "meeting", "cabinet", "2027-02-02", "--force")
    assert "# the clerk's note" not in path.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "2027-01-01"], "papers: no body with id 'nobody'; expected one of: "),
        (["cabinet", "2027-13-01"], "Invalid value for 'DATE'"),
        (["cabinet", "2027-01-05", "--time", "7pm"], "'7pm' is not a time (expected HH:MM)"),
    ],
)
def test_new_meeting_usage_errors_are_one_line_and_exit_2(
    data: Path, args: list[str], message: str
) -> None:
    result = run(data, "new", "meeting", *args, status=2)
    assert message in result.stderr and "Traceback" not in result.stderr


# --- papers new report ---------------------------------------------------------------------


def test_new_report_adds_the_report_and_its_item_keeping_the_clerks_file(data: Path) -> None:
    path = data / "meetings" / "2026-12-16-council" / "meeting.yml"
    before = path.read_text()
    result = run(data, "new", "report", "2026-12-16-council", "Pay Policy Statement 2027/28")
    assert "added as item 9 of 2026-12-16-council" in result.stdout
    after = path.read_text()
    # Only the new item and the renumbered closing item change; quotes and flow style stay.
    assert after.startswith(before.rsplit('  - {number: "9"', 1)[0])
    assert after.endswith(
        '  - number: "9"\n    report: pay-policy-statement-2027-28\n    purpose: decision\n'
        '  - {number: "10", kind: urgent-business}\n'
    )
    warnings = checks_clean(data)
    report = load(data).reports["pay-policy-statement-2027-28"]
    assert report.draft is True and report.title == "Pay Policy Statement 2027/28"
    headings = [line for line in report.body.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Background" and "## Financial implications" in headings
    assert "pay-policy-statement-2027-28.md:5: warning: placeholder: report_of: " in warnings


def test_new_report_uses_the_councils_headings(data: Path) -> None:
    site = data / "site.yml"
    site.write_text(site.read_text() + "report_sections: [Purpose, Options, Implications]\n")
    run(data, "new", "report", "2026-12-16-council", "Members' allowances", "--id", "allowances")
    body = load(data).reports["allowances"].body
    assert [x for x in body.splitlines() if x.startswith("## ")] == [
        "## Purpose",
        "## Options",
        "## Implications",
    ]


def test_a_report_added_after_publication_is_a_late_item(data: Path) -> None:
    result = run(data, "new", "report", "2026-12-01-cabinet", "Waste contract extension")
    assert "marked late: record the reason for urgency" in result.stdout
    agenda = load(data).meetings["2026-12-01-cabinet"].agenda
    item = next(i for i in agenda if i.report == "waste-contract-extension")
    assert item.late and agenda[agenda.index(item) + 1].kind is ItemKind.urgent_business
    assert item.late_reason.startswith("TO DO:")
    assert "warning: placeholder: late_reason: 'TO DO:" in checks_clean(data)


def test_new_report_refuses_an_id_another_meeting_uses(data: Path) -> None:
    result = run(
        data,
        "new",
        "report",
        "2026-12-16-council",
        "Budget",
        "--id",
        "budget-proposals-2027-28",
        status=2,
    )
    assert "report id 'budget-proposals-2027-28' is already used by" in result.stderr
    assert "choose another with --id" in result.stderr


# --- papers new minutes --------------------------------------------------------------------


def test_new_minutes_drafts_from_the_agenda_and_the_membership(data: Path) -> None:
    result = run(data, "new", "minutes", "2026-12-01-cabinet")
    assert "status set to held" in result.stdout
    warnings = checks_clean(data)
    papers = load(data)
    meeting = papers.meetings["2026-12-01-cabinet"]
    minutes = meeting.minutes
    assert meeting.status is MeetingStatus.held and minutes.draft is True
    members = papers.bodies["cabinet"].members_on(meeting.date)
    assert [a.person for a in minutes.present] == [m.person for m in members]
    assert "martin-hale" not in [a.person for a in minutes.present]  # left in June 2026
    assert minutes.chair == "ruth-okafor"
    assert [m.item for m in minutes.items] == [i.number for i in meeting.agenda]
    with_resolutions = [m.item for m in minutes.items if m.resolutions]
    deciding = [i.number for i in meeting.agenda if i.report or i.kind is ItemKind.minutes]
    assert with_resolutions == deciding and "3" in deciding  # the minutes and each report
    assert "minutes.yml:6: warning: placeholder: ended: '18:00'  # TO DO:" in warnings
    raw = yaml.safe_load((data / "meetings" / "2026-12-01-cabinet" / "minutes.yml").read_text())
    assert raw["items"][4]["resolutions"] == ["TO DO: the resolution, as agreed."]


def test_new_minutes_never_overwrites_without_force(data: Path) -> None:
    path = data / "meetings" / "2026-11-11-audit-governance" / "minutes.yml"
    before = path.read_text()
    result = run(data, "new", "minutes", "2026-11-11-audit-governance", status=2)
    assert "already exists; it was left as it is (use --force to replace it)" in result.stderr
    assert path.read_text() == before


def test_unknown_meeting_is_one_line(data: Path) -> None:
    result = run(data, "new", "minutes", "2031-01-01-cabinet", status=2)
    assert result.stderr.count("\n") == 1
    assert "no meeting with id '2031-01-01-cabinet'" in result.stderr


# --- friendly and scriptable ---------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["build"],
        ["new"],
        ["deadlines"],
        ["import"],
        ["new", "meeting"],
        ["new", "report"],
        ["new", "minutes"],
    ],
)
def test_every_writing_or_checking_command_has_examples_in_its_help(command: list[str]) -> None:
    result = papers_command(*command, "--help")
    assert result.returncode == 0
    assert "Examples:\n    papers " + " ".join(command) in result.stdout


def test_check_with_problems_exits_1(data: Path) -> None:
    (data / "meetings" / "2026-12-16-council" / "meeting.yml").write_text("body: [\n")
    _, problems, _ = load_with_problems(data)
    assert problems
    assert papers_command("check", "--data", str(data)).returncode == 1
