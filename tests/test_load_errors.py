"""Bad input: every problem is reported at once as path:line: field: message, never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import ROOT, copy_data, edit, papers_command

from committee_papers.load import load_with_problems

MEETING = "meetings/2026-01-28-audit-governance"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


def problems_for(data: Path) -> list[str]:
    _, problems, _ = load_with_problems(data)
    return [str(p) for p in problems]


def one_problem(data: Path, path: str, line: int, field: str) -> str:
    """Exactly one problem, at `path:line` for `field`; returns its message."""
    found = problems_for(data)
    matching = [p for p in found if p.startswith(f"{path}:{line}: {field}: ")]
    assert matching, f"no problem at {path}:{line} for {field}; got:\n" + "\n".join(found)
    assert len(found) == 1, "expected one problem, got:\n" + "\n".join(found)
    return matching[0]


def rel(data: Path, name: str) -> str:
    """How the loader prints a path (relative to the working folder where possible)."""
    path = data / name
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def test_demo_data_is_valid() -> None:
    assert problems_for(ROOT / "data") == []


def test_yaml_syntax_error_names_file_and_line(data: Path) -> None:
    line = edit(data / "people.yml", "ruth-okafor: {", "ruth-okafor: [{")
    (message,) = problems_for(data)
    # YAML notices the missing bracket on the next line and names where the list began.
    assert message.startswith(f"{rel(data, 'people.yml')}:{line + 1}: YAML syntax error:")
    assert f"while parsing a flow sequence at line {line}" in message


def test_yaml_syntax_error_in_report_front_matter(data: Path) -> None:
    report = data / MEETING / "risk-register-update-jan-2026.md"
    line = edit(report, "purpose: decision", "purpose: [decision")
    found = problems_for(data)
    assert any(
        p.startswith(f"{rel(data, str(report.relative_to(data)))}:") and "YAML syntax" in p
        for p in found
    ), found
    assert any(f":{line}:" in p or f":{line + 1}:" in p for p in found), found


def test_unknown_field_suggests_the_right_one(data: Path) -> None:
    line = edit(data / MEETING / "meeting.yml", "status: held", "status: held\nwebcats: x")
    message = one_problem(data, rel(data, f"{MEETING}/meeting.yml"), line + 1, "webcats")
    assert "unknown field" in message and "'webcast'" in message


def test_wrong_type_names_the_nested_field(data: Path) -> None:
    path = data / MEETING / "meeting.yml"
    line = edit(path, "    part: 2\n", "    part: two\n")
    message = one_problem(data, rel(data, f"{MEETING}/meeting.yml"), line, "agenda[7].part")
    assert "'two'" in message and "integer" in message


def test_impossible_date_is_reported_with_its_line(data: Path) -> None:
    line = edit(data / MEETING / "meeting.yml", "date: 2026-01-28", "date: 2026-11-31")
    message = one_problem(data, rel(data, f"{MEETING}/meeting.yml"), line, "date")
    assert "2026-11-31 is not a date (expected YYYY-MM-DD)" in message


def test_bad_time_in_minutes(data: Path) -> None:
    line = edit(data / MEETING / "minutes.yml", 'ended: "20:05"', 'ended: "25:05"')
    message = one_problem(data, rel(data, f"{MEETING}/minutes.yml"), line, "ended")
    assert "25:05 is not a time" in message


def test_duplicate_item_numbers(data: Path) -> None:
    line = edit(
        data / MEETING / "meeting.yml",
        '{number: "2", kind: declarations}',
        '{number: "1", kind: declarations}',
    )
    found = problems_for(data)
    where = f"{rel(data, f'{MEETING}/meeting.yml')}:{line}: agenda[1].number:"
    assert any(p.startswith(where) and "used more than once" in p for p in found), found


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "expected"),
    [
        (
            f"{MEETING}/meeting.yml",
            "body: audit-governance",
            "body: audit-committee",
            "body",
            "no body with id 'audit-committee'",
        ),
        (
            "bodies/planning.yml",
            "person: owen-pryce",
            "person: owen-price",
            "memberships[4].person",
            "no person with id 'owen-price'",
        ),
        (
            f"{MEETING}/meeting.yml",
            "report: risk-register-update-jan-2026",
            "report: risk-register-2026",
            "agenda[3].report",
            "no report with id 'risk-register-2026'",
        ),
        (
            f"{MEETING}/meeting.yml",
            'supplementary: ["2"]',
            'supplementary: ["5"]',
            "agenda[3].supplementary[0]",
            "has no appendix '5'",
        ),
        (
            f"{MEETING}/minutes.yml",
            "chair: peter-goodwin",
            "chair: peter-goodwine",
            "chair",
            "no person with id 'peter-goodwine'",
        ),
        (
            f"{MEETING}/minutes.yml",
            '- item: "6"',
            '- item: "16"',
            "items[5].item",
            "item 16 is not on the agenda",
        ),
    ],
)
def test_references_that_do_not_exist(
    data: Path, file: str, old: str, new: str, field: str, expected: str
) -> None:
    line = edit(data / file, old, new)
    found = problems_for(data)
    where = f"{rel(data, file)}:{line}: {field}: "
    assert any(p.startswith(where) and expected in p for p in found), "\n".join(found)


def test_minutes_of_a_meeting_that_does_not_exist(data: Path) -> None:
    path = data / MEETING / "meeting.yml"
    line = edit(
        path,
        '  - {number: "5", kind: questions}',
        '  - {number: "5", kind: minutes, minutes_of: 2025-12-01-audit-governance}',
    )
    found = problems_for(data)
    where = f"{rel(data, f'{MEETING}/meeting.yml')}:{line}: agenda[4].minutes_of: "
    assert any(p.startswith(where) and "no meeting with id" in p for p in found), found


def test_exempt_paragraph_the_jurisdiction_does_not_have(data: Path) -> None:
    report = f"{MEETING}/debt-write-off-jan-2026.md"
    line = edit(data / report, 'exempt: ["1", "3"]', 'exempt: ["1", "13"]')
    message = one_problem(data, rel(data, report), line, "exempt[1]")
    assert "'13' is not an exempt-information paragraph in England" in message
    assert "expected one of: 1, 2, 3, 4, 5, 6, 7" in message


def test_every_problem_is_listed_at_once(data: Path) -> None:
    edit(data / MEETING / "meeting.yml", "status: held", "status: hled")
    edit(data / "bodies/planning.yml", "kind: committee", "kind: comittee")
    edit(
        data / "people.yml",
        "kind: officer\n  title: Chief Executive",
        "kind: officer\n  title: Chief Executive\n  salary: 1",
    )
    found = problems_for(data)
    assert len(found) == 3, found
    assert [p.split(":")[0] for p in found] == sorted(p.split(":")[0] for p in found)


def test_papers_check_exits_non_zero_without_a_traceback(data: Path) -> None:
    edit(data / MEETING / "meeting.yml", "date: 2026-01-28", "date: 28/01/2026")
    result = papers_command("check", "--data", str(data), cwd=data.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert re.search(r"meeting\.yml:\d+: date: 28/01/2026 is not a date", result.stderr)
    assert "1 problem found" in result.stderr


def test_papers_check_json(data: Path) -> None:
    edit(data / MEETING / "meeting.yml", 'start: "18:30"', "start: noon")
    result = papers_command("check", "--json", "--data", str(data))
    assert result.returncode == 1
    (problem,) = json.loads(result.stdout)
    assert problem["field"] == "start" and problem["line"] == 3
    assert problem["path"].endswith("meeting.yml")


def test_papers_check_passes_on_the_demo() -> None:
    result = papers_command("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:")


def test_a_report_is_named_by_its_file(data: Path) -> None:
    report = f"{MEETING}/risk-register-update-jan-2026.md"
    edit(data / report, "title: Corporate Risk Register Update", "id: risks\ntitle: Corporate Risk")
    message = one_problem(data, rel(data, report), 2, "id")
    assert "its file name ('risk-register-update-jan-2026')" in message


def test_one_broken_meeting_does_not_flood_other_files(data: Path) -> None:
    later = data / "meetings" / "2026-07-22-audit-governance"
    later.mkdir()
    (later / "meeting.yml").write_text(
        'body: audit-governance\ndate: 2026-07-22\nstart: "18:30"\npublished: 2026-07-13\n'
        'agenda:\n  - {number: "1", kind: minutes, minutes_of: 2026-01-28-audit-governance}\n'
    )
    edit(data / MEETING / "meeting.yml", "status: held", "status: hold")
    found = problems_for(data)
    assert len(found) == 1 and "status: 'hold' is not allowed" in found[0], found


def test_table_rows_without_columns_show_every_key(data: Path) -> None:
    from committee_papers.load import load

    report = data / MEETING / "risk-register-update-jan-2026.md"
    text = report.read_text().replace(
        '  - label: "2"',
        """  - label: "3"
    title: Owners
    table:
      rows:
        - {Risk: Supply of housing, Owner: Director of Housing}
  - label: "2\"""",
        1,
    )
    report.write_text(text)
    papers = load(data)
    table = papers.reports["risk-register-update-jan-2026"].appendix("3").table
    assert [c.key for c in table.columns] == ["Risk", "Owner"]


def test_a_table_without_a_caption_is_a_warning_that_does_not_fail_check(data: Path) -> None:
    report = f"{MEETING}/risk-register-update-jan-2026.md"
    line = edit(data / report, "      Table: Risk ratings by score\n\n", "")
    _, problems, _ = load_with_problems(data)
    assert not problems and problems.errors == []
    (warning,) = problems.warnings
    assert str(warning) == (
        f"{rel(data, report)}:{line}: warning: table: this table has no caption, so screen"
        " readers name it from the heading above it; if the source has one, put a line"
        " 'Table: what the table shows' just above it"
    )
    result = papers_command("check", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == str(warning)
    assert result.stdout.startswith("OK: ")


def test_accessibility_settings_are_checked_with_the_rest(data: Path) -> None:
    line = edit(data / "site.yml", "statement_prepared: 2026-11-20", "statement_prepared: soon")
    message = one_problem(data, rel(data, "site.yml"), line, "accessibility.statement_prepared")
    assert "soon is not a date" in message
