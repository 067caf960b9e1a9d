"""One check, every problem, in words a clerk understands (issue 13, point 9).

`papers check` finds everything the build can fail on for reasons in the data; a broken file
hides nothing in another; YAML's silent traps and its indentation errors are explained with
the line to look at; CSV problems point at the CSV file's own line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import AS_OF, Site, build_site, copy_data, papers_command
from test_load_errors import MEETING, edit, one_problem, problems_for, rel

from committee_papers.load import load


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


# --- check finds what build would fail on -------------------------------------------------


def _no_logo_file(data: Path) -> tuple[int, str, str]:
    (data / "assets" / "logo.svg").unlink()
    return 7, "logo", f"'assets/logo.svg' is not a file in {rel(data, '')}"


def _logo_outside(data: Path) -> tuple[int, str, str]:
    line = edit(data / "site.yml", "logo: assets/logo.svg", "logo: ../../etc/passwd")
    return line, "logo", "'../../etc/passwd' is outside the data folder"


def _no_accessibility(data: Path) -> tuple[int, str, str]:
    text = (data / "site.yml").read_text()
    (data / "site.yml").write_text(text[: text.index("accessibility:")])
    return (
        3,  # the first line after the comments: site.yml as a whole
        "accessibility",
        (
            "is required: the accessibility statement needs the date it was prepared "
            "(accessibility: then statement_prepared: YYYY-MM-DD on the next line, indented)"
        ),
    )


@pytest.mark.parametrize("mistake", [_no_logo_file, _logo_outside, _no_accessibility])
def test_check_reports_what_the_build_would_fail_on(data: Path, mistake) -> None:
    line, field, message = mistake(data)
    expected = f"{rel(data, 'site.yml')}:{line}: {field}: {message}"
    checked = papers_command("check", "--data", str(data))
    assert checked.returncode == 1
    assert expected in checked.stderr.splitlines(), checked.stderr
    built = papers_command(
        "build", "--data", str(data), "--as-of", AS_OF, "-d", str(data.parent / "site")
    )
    assert built.returncode == 1
    assert expected in built.stderr, built.stderr
    assert "Traceback" not in built.stderr + checked.stderr


def test_the_sites_address_must_be_a_web_address(data: Path) -> None:
    line = edit(
        data / "site.yml",
        "site_url: https://papers.brackenford.example.gov.uk/",
        "site_url: papers.brackenford.example.gov.uk",
    )
    message = one_problem(data, rel(data, "site.yml"), line, "site_url")
    assert message.endswith(
        "'papers.brackenford.example.gov.uk' is not a web address (expected https://..., "
        "e.g. https://papers.example.gov.uk/)"
    )


# --- every problem in every file in one run ------------------------------------------------


def test_a_meeting_broken_in_three_files_reports_all_three(data: Path) -> None:
    meeting = edit(data / MEETING / "meeting.yml", "status: held", "status: hold")
    minutes = edit(data / MEETING / "minutes.yml", 'ended: "20:05"', 'ended: "8.05pm"')
    chair = edit(data / MEETING / "minutes.yml", "chair: peter-goodwin", "chair: peter-godwin")
    report = f"{MEETING}/risk-register-update-jan-2026.md"
    front = edit(data / report, "purpose: decision", "purpose: decide")
    assert sorted(problems_for(data)) == sorted(
        [
            f"{rel(data, MEETING)}/meeting.yml:{meeting}: status: 'hold' is not allowed; "
            "expected 'scheduled', 'held', 'cancelled', 'postponed' or 'moved'",
            f"{rel(data, MEETING)}/minutes.yml:{minutes}: ended: 8.05pm is not a time "
            "(expected HH:MM, 24-hour)",
            f"{rel(data, report)}:{front}: purpose: 'decide' is not allowed; "
            "expected 'decision', 'information' or 'discussion'",
        ]
    ), "the chair is only checked once the minutes are valid"
    edit(data / MEETING / "minutes.yml", 'ended: "8.05pm"', 'ended: "20:05"')
    found = problems_for(data)
    assert (
        f"{rel(data, MEETING)}/minutes.yml:{chair}: chair: no person with id 'peter-godwin' "
        "in people.yml"
    ) in found
    assert len(found) == 3, found


def test_a_report_on_no_agenda_is_found_beside_a_broken_meeting(data: Path) -> None:
    edit(data / MEETING / "meeting.yml", "status: held", "status: hold")
    report = data / MEETING / "risk-register-update-jan-2026.md"
    stray = report.with_name("stray-report-2026.md")
    stray.write_text(report.read_text())
    found = problems_for(data)
    assert len(found) == 2, found
    assert (
        f"{rel(data, MEETING)}/stray-report-2026.md:2: id: report 'stray-report-2026' is not "
        "on the agenda of any meeting"
    ) in found


def test_a_mistake_in_one_person_does_not_hide_references_to_others(data: Path) -> None:
    edit(data / "people.yml", "kind: co-opted", "kind: coopted")
    edit(data / MEETING / "minutes.yml", "chair: peter-goodwin", "chair: nobody-here")
    found = problems_for(data)
    assert any("kind: 'coopted' is not allowed" in p for p in found), found
    assert any("chair: no person with id 'nobody-here'" in p for p in found), found
    assert not any("no person with id 'margaret-ellis'" in p for p in found), found
    assert len(found) == 2, found


# --- YAML traps --------------------------------------------------------------------------


LIST_ITEM = (
    "this line looks like a new list item but is read as more of the text above it "
    "(a likely indentation mistake): line its '-' up with the '-' of the item above, or "
    "start the text with >- if the '-' belongs to it"
)


def test_a_resolution_indented_too_far_is_not_merged_silently(data: Path) -> None:
    minutes = data / MEETING / "minutes.yml"
    line = edit(
        minutes,
        "      - That the risk on the supply",
        "        - That the risk on the supply",
    )
    message = one_problem(
        data, rel(data, f"{MEETING}/minutes.yml"), line, "items[3].resolutions[0]"
    )
    assert message.endswith(LIST_ITEM)


def test_a_field_inside_a_plain_value_is_reported(data: Path) -> None:
    report = f"{MEETING}/risk-register-update-jan-2026.md"
    line = (
        edit(
            data / report,
            "  its priorities.",
            "  its priorities.\n  Note: the register was reviewed in January.",
        )
        + 1
    )
    edit(data / report, "summary: |", "summary:")
    (found,) = problems_for(data)
    assert found == (
        f"{rel(data, report)}:{line}: this line is indented differently from the lines around "
        "it (a likely indentation mistake): YAML read 'Note:' as a field inside the value on "
        "the line above, where no field can start; line it up with the fields it belongs "
        "with, or, if it is more of the text above, start that text with >-"
    )


def test_block_text_may_hold_dashes_and_colons(data: Path) -> None:
    report = f"{MEETING}/risk-register-update-jan-2026.md"
    edit(data / report, "  its priorities.", "  its priorities.\n  - Note: dashes and colons.")
    assert problems_for(data) == []


MISPLACED = (
    "this line is indented differently from the lines around it (a likely indentation "
    "mistake): YAML read {} as a field inside the value on the line above, where no field can "
    "start; line it up with the fields it belongs with, or, if it is more of the text above, "
    "start that text with >-"
)


@pytest.mark.parametrize(
    ("old", "new", "shift", "message"),
    [
        (
            'start: "18:30"',
            'start: "18:30"\n  venue: Committee Room 2',
            1,
            "this line is indented differently from the lines around it: YAML expected another "
            "field of the mapping that starts at line 1, lined up with its fields",
        ),
        (
            "    purpose: information",
            "   purpose: information",
            0,
            "this line is indented differently from the lines around it: YAML expected another "
            "'- ' item of the list that starts at line 12, or a field lined up with the fields "
            "of the item above",
        ),
        (
            "status: held",
            "status: held\n published: 2026-01-19",
            1,
            MISPLACED.format("'published:'"),
        ),
        (
            "venue: Committee Room 2, Brackenford House",
            "venue: Committee Room 2\nBrackenford House",
            1,
            "this line is read as a new field but has no ':' (a likely indentation mistake): if "
            "it continues the text above, indent it further than that field's name; if it is a "
            "field, put ': ' after its name",
        ),
        (
            "venue: Committee Room 2, Brackenford House",
            "venue: Room 2: Brackenford House",
            0,
            "this value contains ': ', which YAML reads as the start of another field: put the "
            'whole value in double quotes ("...") or start it with >-',
        ),
        (
            "clerk: ben-achebe",
            "clerk:\n\tben-achebe",
            1,
            "this line is indented with a tab; YAML needs spaces",
        ),
    ],
)
def test_indentation_errors_are_explained_with_the_line(
    data: Path, old: str, new: str, shift: int, message: str
) -> None:
    line = edit(data / MEETING / "meeting.yml", old, new) + shift
    (found,) = problems_for(data)
    assert found == f"{rel(data, MEETING)}/meeting.yml:{line}: {message}"


def test_a_mapping_indented_out_of_its_list_is_explained(data: Path) -> None:
    people = data / "people.yml"
    people.write_text("ruth-okafor:\n  name: Ruth Okafor\n kind: member\n")
    (found,) = problems_for(data)
    assert found == (
        f"{rel(data, 'people.yml')}:3: this line is indented differently from the lines around "
        "it: YAML expected another field of the mapping that starts at line 1, lined up with "
        "its fields"
    )


# --- CSV files and table cells -------------------------------------------------------------

CSV = f"{MEETING}/appendices/audit-actions.csv"
REPORT = f"{MEETING}/internal-audit-progress-q3-2025-26.md"


def test_csv_problems_are_reported_at_the_csvs_own_line(data: Path) -> None:
    edit(data / REPORT, "{key: Due}", "{key: Due, kind: date}")
    edit(data / CSV, "Head of HR,2025-09-30,Green", "Head of HR,2025-09-31,Green")
    edit(
        data / CSV, "Procurement Manager,2025-12-31,Amber", "Procurement Manager,31/12/2025,Purple"
    )
    edit(data / CSV, "Revenues Manager,2025-10-31,Red", "Revenues Manager 2025-10-31,Red")
    edit(data / CSV, "Parking Manager,2026-03-31,Amber", "Parking Manager,2026-03-31,")
    path = rel(data, CSV)
    assert problems_for(data) == [
        f"{path}:2: Due: '2025-09-31' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)",
        f"{path}:3: Status: 'Purple' is not a RAG status; expected Red, Amber, Green or Blue "
        "(or R, A, G, B), or blank for not rated",
        f"{path}:4: this row has 5 cells but the first line names 6 columns (Ref, Audit, "
        "Action, Owner, Due, Status); check for a missing or extra comma, or a comma inside a "
        "value that is not in double quotes",
    ]


def test_a_quoted_cell_over_two_lines_keeps_the_lines_after_it(data: Path) -> None:
    edit(data / REPORT, "{key: Due}", "{key: Due, kind: date}")
    edit(data / CSV, "Head of HR,", '"Head of\nHR",')
    edit(data / CSV, "Procurement Manager,2025-12-31", "Procurement Manager,2025-12-32")
    assert problems_for(data) == [
        f"{rel(data, CSV)}:4: Due: '2025-12-32' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"
    ]


def test_rows_in_yaml_are_reported_at_their_yaml_line(data: Path) -> None:
    report = data / MEETING / "risk-register-update-jan-2026.md"
    line = (
        edit(
            report,
            '  - label: "2"',
            '  - label: "3"\n    title: Owners\n    table:\n      columns: [Risk, {key: Review, '
            "kind: date}, {key: Status, kind: rag}]\n      rows:\n"
            "        - {Risk: Housing, Review: 30/02/2026, Status: G}\n"
            "        - {Risk: Flooding, Review: '', Status: ''}\n"
            '  - label: "2"',
        )
        + 5
    )
    message = one_problem(
        data,
        rel(data, f"{MEETING}/risk-register-update-jan-2026.md"),
        line,
        "appendices[1].table.rows[0].Review",
    )
    assert message.endswith("'30/02/2026' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")


def test_dates_and_unrated_cells_are_shown_in_words(tmp_path: Path) -> None:
    from test_identity import OTHER

    site = Site(build_site(tmp_path / "site", data_dir=OTHER))
    rows = site.article("reports/quay-shelter-repairs-2026/appendix-a").select("tbody tr")
    received = [row.select("td")[1].time for row in rows]
    assert [(t["datetime"], t.get_text()) for t in received] == [
        ("2026-09-12", "12 September 2026"),
        ("2026-09-15", "15 September 2026"),
        ("2026-09-20", "20 September 2026"),
    ]
    rating = rows[1].select("td")[2].select_one(".cp-rag")
    assert rating.get_text() == "Not rated" and "cp-rag--not-rated" in rating["class"]
    papers = load(OTHER)
    assert papers.reports["quay-shelter-repairs-2026"].appendix("A").table.row_lines == [2, 3, 4]
