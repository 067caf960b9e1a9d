"""Publication deadlines: known answers counted by hand, and how `papers check` reports them.

Each answer below was counted on a calendar: the day of publication and the day of the
meeting are left out, and so are weekends and the nation's bank holidays.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from support import DATA, copy_data, papers_command

from committee_papers.clerk.deadlines import deadline, long_date, upcoming
from committee_papers.load import load_with_problems
from committee_papers.model import Papers

D = dt.date


def council(tmp_path: Path, nation: str = "england", clear_days: int = 5) -> Path:
    """A copy of the demo whose rule is `clear_days` in `nation` (England's paragraphs kept)."""
    data = copy_data(tmp_path / "data", source=DATA)
    if (nation, clear_days) != ("england", 5):
        site_path = data / "site.yml"
        site = yaml.safe_load(site_path.read_text(encoding="utf-8"))
        rule = yaml.safe_load(
            (Path(__file__).parent.parent / "src/committee_papers/jurisdictions.yml").read_text()
        )["england"]
        site["jurisdiction"] = {**rule, "nation": nation, "clear_days": clear_days}
        site_path.write_text(yaml.safe_dump(site, sort_keys=False), encoding="utf-8")
    return data


def set_field(path: Path, field: str, value: str) -> None:
    """Add or replace a top-level `field:` line in a clerk's YAML file."""
    lines = [line for line in path.read_text().splitlines() if not line.startswith(f"{field}:")]
    lines.insert(1, f"{field}: {value}")
    path.write_text("\n".join(lines) + "\n")


def meeting_on(data: Path, meeting_id: str, day: dt.date) -> None:
    """Move a demo meeting to `day` (its id stays) and leave it unpublished."""
    path = data / "meetings" / meeting_id / "meeting.yml"
    set_field(path, "date", day.isoformat())
    text = "\n".join(line for line in path.read_text().splitlines() if "published:" not in line)
    path.write_text(text + "\n")


CASES = [
    # (nation, clear days, meeting, last day to publish, what it crosses)
    ("england", 5, D(2026, 12, 16), D(2026, 12, 8), "a weekend"),
    ("england", 3, D(2026, 12, 16), D(2026, 12, 10), "a weekend, three clear days"),
    ("england", 5, D(2026, 5, 7), D(2026, 4, 28), "the Early May bank holiday"),
    ("england", 5, D(2026, 12, 31), D(2026, 12, 21), "Christmas and Boxing Day (substitute)"),
    ("scotland", 3, D(2026, 12, 3), D(2026, 11, 26), "St Andrew's Day, Monday 30 November"),
    ("england", 3, D(2026, 12, 3), D(2026, 11, 29), "the same week in England"),
    ("scotland", 5, D(2026, 12, 3), D(2026, 11, 24), "St Andrew's Day, five clear days"),
    ("scotland", 3, D(2027, 1, 6), D(2026, 12, 29), "New Year and 2 January (substitute)"),
    ("england", 3, D(2027, 1, 6), D(2026, 12, 30), "New Year in England: no 2 January"),
]


@pytest.mark.parametrize(
    ("nation", "clear", "meeting", "last", "crossing"), CASES, ids=[c[4] for c in CASES]
)
def test_last_day_to_publish(
    papers: Papers, nation: str, clear: int, meeting: dt.date, last: dt.date, crossing: str
) -> None:
    rule = papers.site.jurisdiction.model_copy(update={"nation": nation, "clear_days": clear})
    ruled = papers.model_copy(
        update={"site": papers.site.model_copy(update={"jurisdiction": rule})}
    )
    moved = papers.meetings["2026-12-16-council"].model_copy(update={"date": meeting})
    assert deadline(ruled, moved) == last


def test_the_rule_comes_from_site_yml(tmp_path: Path) -> None:
    data = council(tmp_path, "scotland", 3)
    meeting_on(data, "2026-12-16-council", D(2026, 12, 3))
    loaded, _, _ = load_with_problems(data)  # moving the meeting upsets other checks
    assert deadline(loaded, loaded.meetings["2026-12-16-council"]) == D(2026, 11, 26)


def test_check_says_when_the_papers_should_have_gone_out(tmp_path: Path) -> None:
    data = council(tmp_path)
    path = data / "meetings" / "2026-12-16-council" / "meeting.yml"
    set_field(path, "published", "2026-12-09")
    result = papers_command("check", "--data", str(data))
    assert result.returncode == 1
    line = next(x for x in result.stderr.splitlines() if ": published:" in x)
    assert line.endswith(
        "meeting.yml:2: published: published on Wednesday 9 December 2026, 4 clear working "
        "days before the meeting; the last day to publish was Tuesday 8 December 2026"
    )
    set_field(path, "published", "2026-12-08")
    assert papers_command("check", "--data", str(data)).returncode == 0


def test_a_cancelled_meeting_has_no_deadline(tmp_path: Path) -> None:
    data = council(tmp_path)
    path = data / "meetings" / "2026-12-16-council" / "meeting.yml"
    set_field(path, "published", "2026-12-15")
    set_field(path, "status", "cancelled")
    _, problems, _ = load_with_problems(data)
    assert not [p for p in problems if p.field == "published"]


def test_a_report_out_after_the_deadline_needs_a_late_item(tmp_path: Path) -> None:
    data = council(tmp_path)
    report = data / "meetings" / "2026-12-01-cabinet" / "budget-proposals-2027-28.md"
    report.write_text(report.read_text().replace("---\n", "---\npublish_on: 2026-11-25\n", 1))
    _, problems, _ = load_with_problems(data)
    found = [str(p) for p in problems]
    assert len(found) == 1
    assert (
        "agenda[5].late: report 'budget-proposals-2027-28' is published on Wednesday 25 "
        in (found[0])
    )
    assert found[0].endswith(
        "mark the item late: true and record the reason for urgency (late_reason:)"
    )


def test_a_late_item_without_a_reason_is_an_error(tmp_path: Path) -> None:
    data = council(tmp_path)
    path = data / "meetings" / "2026-11-11-audit-governance" / "meeting.yml"
    text = path.read_text()
    start = text.index("    late_reason:")
    end = text.index("    notes:", start)
    path.write_text(text[:start] + text[end:])
    result = papers_command("check", "--data", str(data))
    assert result.returncode == 1
    assert "a late item records the reason for urgency (late_reason:)" in result.stderr


def test_deadlines_lists_the_next_meetings(tmp_path: Path) -> None:
    result = papers_command("deadlines", "--from", "2026-11-23", "--json", "--data", str(DATA))
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [d["meeting"] for d in listed] == ["2026-12-01-cabinet", "2026-12-16-council"]
    cabinet, council_meeting = listed
    assert cabinet["deadline"] == "2026-11-23" and cabinet["state"] == "published"
    assert council_meeting == {
        "meeting": "2026-12-16-council",
        "body": "Council",
        "date": "2026-12-16",
        "deadline": "2026-12-08",
        "published": None,
        "state": "due",
    }
    text = papers_command("deadlines", "--from", "2026-11-23", "--data", str(DATA)).stdout
    assert text.splitlines()[0].endswith(
        "publish by Monday 23 November 2026 (published Friday 20 November 2026, on time)"
    )
    text = papers_command("deadlines", "--from", "2026-12-09", "--data", str(DATA)).stdout
    assert text.strip() == (
        "2026-12-16-council  Council, Wednesday 16 December 2026: publish by "
        "Tuesday 8 December 2026 (not yet published: overdue)"
    )


def test_upcoming_marks_late_agendas(papers) -> None:
    late = [d for d in upcoming(papers, D(2026, 1, 1)) if d.state == "late"]
    assert late == []  # the demo's agendas all went out on time
    assert long_date(D(2026, 11, 30)) == "Monday 30 November 2026"
