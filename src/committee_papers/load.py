"""Loading a council's `data/` folder into the validated model.

The layout a clerk edits:

    data/site.yml                          council settings
    data/people.yml                        members and officers, keyed by id
    data/bodies/<body-id>.yml              one body each
    data/meetings/<meeting-id>/meeting.yml the meeting and its agenda
    data/meetings/<meeting-id>/minutes.yml its minutes, once written
    data/meetings/<meeting-id>/<report-id>.md   reports first presented at that meeting
    data/meetings/<meeting-id>/appendices/      appendix files (Markdown, CSV)

Loading never stops at the first problem: it collects them all, then `links.check` adds the
problems between files, and only then does `load` raise `DataError` with the lot.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import datafiles
from .linkcheck import check_markdown_links
from .links import check_links
from .model import Body, Column, Meeting, Minutes, Papers, Person, Report, Site, Table
from .problems import DataError, LineMap, Problems, display_path
from .validation import build
from .yamlsource import parse_yaml, split_front_matter


@dataclass
class Sources:
    """Line maps of every file read, so later checks can point at lines too."""

    maps: dict[str, LineMap] = field(default_factory=dict)
    # Kinds of file that failed to load: checks that depend on them would only echo the
    # same mistake as a flood of "no such person" problems, so they are skipped.
    failed: set[str] = field(default_factory=set)
    # The data folder: nothing read may resolve outside it.
    root: Path = Path("data")

    def new(self, path: Path) -> LineMap:
        where = LineMap(display_path(path))
        self.maps[where.path] = where
        return where

    def get(self, path: str) -> LineMap:
        return self.maps.get(path) or LineMap(path)


def load(data_dir: Path | str) -> Papers:
    """Load and validate everything below `data_dir`; raise `DataError` listing every problem."""
    papers, problems, _ = load_with_problems(data_dir)
    if problems or papers is None:
        raise DataError(problems)
    return papers


def load_with_problems(data_dir: Path | str) -> tuple[Papers | None, Problems, Sources]:
    data = Path(data_dir)
    problems, sources = Problems(), Sources(root=data)
    if not data.is_dir():
        problems.add(display_path(data), (), "the data folder does not exist")
        return None, problems, sources
    site = _load_site(data / "site.yml", sources, problems)
    before = len(problems.found)
    people = _load_people(data / "people.yml", sources, problems)
    if len(problems.found) > before:
        sources.failed.add("people")
    bodies = _load_bodies(data / "bodies", sources, problems)
    meetings, reports = _load_meetings(data / "meetings", sources, problems)
    if site is None:
        return None, problems, sources
    papers = Papers(site=site, people=people, bodies=bodies, meetings=meetings, reports=reports)
    check_links(papers, sources, problems)
    check_markdown_links(papers, sources, problems)
    return papers, problems, sources


def _read_yaml(path: Path, sources: Sources, problems: Problems) -> tuple[Any, LineMap]:
    where = sources.new(path)
    try:
        text = datafiles.read_text(path, sources.root)
    except FileNotFoundError:
        problems.add(where, (), "file is missing")
        return None, where
    except datafiles.Unreadable as error:
        problems.add(where, (), str(error))
        return None, where
    return parse_yaml(text, where, problems), where


def _jurisdictions() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("jurisdictions.yml").read_text("utf-8")
    return parse_yaml(text, LineMap("jurisdictions.yml"), Problems())


def _load_site(path: Path, sources: Sources, problems: Problems) -> Site | None:
    raw, where = _read_yaml(path, sources, problems)
    if raw is None:
        if path.exists():
            problems.add(where, (), "is empty; expected the council's settings")
        return None
    if isinstance(raw, dict) and isinstance(raw.get("jurisdiction"), str):
        presets = _jurisdictions()
        name = raw["jurisdiction"]
        if name not in presets:
            problems.add(
                where,
                ("jurisdiction",),
                f"{name!r} is not a known jurisdiction; expected one of: {', '.join(presets)}"
                " or a mapping with name, clear_days, exempt_paragraphs, exempt_schedule,"
                " exclusion_statute",
            )
            return None
        raw = {**raw, "jurisdiction": presets[name]}
    return build(Site, raw, where, problems)


def _load_people(path: Path, sources: Sources, problems: Problems) -> dict[str, Person]:
    raw, where = _read_yaml(path, sources, problems)
    people: dict[str, Person] = {}
    if raw is None:
        return people
    if not isinstance(raw, dict):
        problems.add(where, (), "expected a mapping of person ids to people")
        return people
    for key, value in raw.items():
        if isinstance(value, dict):
            value = {**value, "id": key}
        person = build(Person, value, where, problems, base=(key,))
        if person:
            people[key] = person
    return people


def _load_bodies(folder: Path, sources: Sources, problems: Problems) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for path in sorted(folder.glob("*.yml")):
        raw, where = _read_yaml(path, sources, problems)
        if raw is None and any(p.path == where.path for p in problems.found):
            sources.failed.add("bodies")  # unreadable, already said why
            continue
        if isinstance(raw, dict):
            raw = {**raw, "id": path.stem}
            where.lines.setdefault(("id",), 1)
        body = build(Body, raw, where, problems)
        if body:
            body.source = where.path
            bodies[body.id] = body
    return bodies


def _load_meetings(
    folder: Path, sources: Sources, problems: Problems
) -> tuple[dict[str, Meeting], dict[str, Report]]:
    meetings: dict[str, Meeting] = {}
    reports: dict[str, Report] = {}
    for meeting_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        if datafiles.outside(meeting_dir, sources.root):
            problems.add(
                display_path(meeting_dir),
                (),
                "is a symbolic link to a folder outside the data folder; move the folder in",
            )
            continue
        meeting = _load_meeting(meeting_dir, sources, problems)
        if meeting is None:
            sources.failed.update({"meetings", f"meeting:{meeting_dir.name}"})
        else:
            meetings[meeting.id] = meeting
        for path in sorted(meeting_dir.glob("*.md")):
            report = _load_report(path, meeting_dir, sources, problems)
            if report is None:
                sources.failed.add(f"report:{path.stem}")
                continue
            if report.id in reports:
                first = reports[report.id].source
                problems.add(
                    report.source, ("id",), f"report id {report.id!r} is also used by {first}"
                )
                continue
            reports[report.id] = report
    return meetings, reports


def _load_meeting(meeting_dir: Path, sources: Sources, problems: Problems) -> Meeting | None:
    raw, where = _read_yaml(meeting_dir / "meeting.yml", sources, problems)
    if raw is None and any(p.path == where.path for p in problems.found):
        return None  # unreadable, already said why: one problem, not two
    if isinstance(raw, dict):
        raw = {**raw, "id": meeting_dir.name}
    meeting = build(Meeting, raw, where, problems)
    minutes_path = meeting_dir / "minutes.yml"
    if meeting is None:
        return None
    meeting.source = where.path
    if minutes_path.exists():
        raw_minutes, minutes_where = _read_yaml(minutes_path, sources, problems)
        meeting.minutes = build(Minutes, raw_minutes, minutes_where, problems)
        if meeting.minutes:
            meeting.minutes.source = minutes_where.path
    return meeting


def _load_report(
    path: Path, meeting_dir: Path, sources: Sources, problems: Problems
) -> Report | None:
    where = sources.new(path)
    try:
        text = datafiles.read_text(path, sources.root)
    except datafiles.Unreadable as error:
        problems.add(where, (), str(error))
        return None
    front, body, body_line = split_front_matter(text)
    if front is None:
        problems.add(where, (), "a report starts with front matter between two '---' lines", line=1)
        return None
    raw = parse_yaml(front, where, problems, first_line=2)
    if isinstance(raw, dict):
        if "id" in raw:
            problems.add(
                where, ("id",), f"a report's id is its file name ({path.stem!r}); remove id:"
            )
        raw = {**raw, "id": path.stem}
    report = build(Report, raw, where, problems)
    if report is None:
        return None
    report.body, report.body_line = body, body_line
    report.source, report.meeting_folder = where.path, meeting_dir.name
    for index, appendix in enumerate(report.appendices):
        appendix.report_id = report.id
        loc = ("appendices", index)
        if appendix.file:
            appendix.body = _read_text(meeting_dir, appendix.file, where, (*loc, "file"), problems)
        if appendix.table and appendix.table.file:
            _fill_table_from_csv(meeting_dir, appendix.table, where, (*loc, "table"), problems)
    return report


def _read_text(
    meeting_dir: Path, name: str, where: LineMap, loc: tuple, problems: Problems
) -> str | None:
    path = (meeting_dir / name).resolve()
    if meeting_dir.resolve() not in path.parents:
        problems.add(where, loc, f"{name!r} is outside the meeting folder")
        return None
    try:
        return datafiles.read_text(path, meeting_dir)
    except FileNotFoundError:
        problems.add(where, loc, f"file {name!r} does not exist in {display_path(meeting_dir)}")
    except datafiles.Unreadable as error:
        problems.add(where, loc, f"file {name!r} {error}")
    return None


def _fill_table_from_csv(
    meeting_dir: Path, table: Table, where: LineMap, loc: tuple, problems: Problems
) -> None:
    text = _read_text(meeting_dir, table.file, where, (*loc, "file"), problems)
    if text is None:
        return
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    declared = {c.key for c in table.columns}
    for missing in sorted(declared - set(header)):
        problems.add(where, (*loc, "columns"), f"column {missing!r} is not in {table.file}")
    if not table.columns:
        table.columns = [Column(key=h) for h in header]
    table.rows = [dict(row) for row in reader]
