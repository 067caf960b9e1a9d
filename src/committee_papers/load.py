"""Loading a council's `data/` folder into the validated model.

The layout a clerk edits:

    data/site.yml                          council settings
    data/people.yml                        members and officers, keyed by id
    data/bodies/<body-id>.yml              one body each
    data/meetings/<meeting-id>/meeting.yml the meeting and its agenda
    data/meetings/<meeting-id>/minutes.yml its minutes, once written
    data/meetings/<meeting-id>/<report-id>.md   reports first presented at that meeting
    data/meetings/<meeting-id>/appendices/      appendix files (Markdown, CSV)
    data/meetings/<meeting-id>/versions/        earlier versions of corrected reports
    data/decisions/<id>.yml, data/forward-plan.yml, data/notices.yml   (load_decisions.py)

Loading never stops at the first problem: it collects them all, then `links.check` adds the
problems between files, and only then does `load` raise `DataError` with the lot.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import datafiles, loadfork, tables
from .clerk.deadlines import check_deadlines
from .clerk.todo import placeholders, placeholders_in
from .linkcheck import check_markdown_links, links_in
from .links import check_links
from .listing import check_year_addresses
from .load_decisions import load_decisions, load_forward_plan, load_notices
from .loadcache import CacheStats, LoadCache, UnitMemory, no_gc, unit_files
from .model import Body, Meeting, Minutes, Papers, Person, Report, Site, Table
from .problems import DataError, LineMap, Problem, Problems, display_path
from .site_checks import check_site_settings
from .text import plain_text, remember_plain_text
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
    # Reports named on the agendas of meetings that failed to load, and the minutes of those
    # meetings: checked as far as they can be without their meeting.
    reports_named: set[str] = field(default_factory=set)
    orphan_minutes: list[Minutes] = field(default_factory=list)
    # Every key of people.yml, including people whose entry has a mistake (reported there):
    # a reference to them is not also "no such person".
    people_named: set[str] = field(default_factory=set)
    # Problems of links in officers' text, found when a file was loaded (and kept with it in
    # the load cache), keyed by the file's shown path; `check_markdown_links` uses them.
    link_problems: dict[str, list[Problem]] = field(default_factory=dict)
    # "TO DO" warnings of the folders whose files the load cache listed, keyed by folder.
    placeholders: dict[Path, list[Problem]] = field(default_factory=dict)
    # Plain text of the reports' summaries (for page descriptions), kept with their files.
    plain_texts: dict[str, str] = field(default_factory=dict)
    # What the last load took from the load cache (`loadcache.py`).
    cache: CacheStats = field(default_factory=CacheStats)
    # The papers loaded from a unit whose files the load cache knows, by id: the paper and
    # a key naming it by those files and its place in the unit (`origins`).
    origins: dict[int, tuple[Any, bytes]] = field(default_factory=dict)

    def new(self, path: Path) -> LineMap:
        where = LineMap(display_path(path))
        self.maps[where.path] = where
        return where

    def get(self, path: str) -> LineMap:
        return self.maps.get(path) or LineMap(path)

    def merge(self, other: Sources) -> None:
        """Take in what loading one unit of the data (a meeting folder, a body) found."""
        self.maps.update(other.maps)
        self.failed.update(other.failed)
        self.reports_named.update(other.reports_named)
        self.orphan_minutes.extend(other.orphan_minutes)
        self.people_named.update(other.people_named)
        self.link_problems.update(other.link_problems)
        self.placeholders.update(other.placeholders)
        self.plain_texts.update(other.plain_texts)


@dataclass
class _Unit:
    """What loading one unit found: its value, and what it adds to `Sources` and `Problems`."""

    value: Any
    sources: Sources
    found: list[Problem]

    def merge(self, sources: Sources, problems: Problems) -> Any:
        sources.merge(self.sources)
        problems.extend(self.found)
        return self.value


def _unit(root: Path, load: Callable[[Sources, Problems], Any]) -> tuple[_Unit, bool]:
    """Load one unit on its own, so its result can be kept; storable when it has no errors."""
    sources, problems = Sources(root=root), Problems()
    value = load(sources, problems)
    return _Unit(value, sources, problems.found), not problems


def load(data_dir: Path | str, cache: Path | str | None = None) -> Papers:
    """Load and validate everything below `data_dir`; raise `DataError` listing every problem."""
    papers, problems, _ = load_with_problems(data_dir, cache)
    if problems or papers is None:
        raise DataError(problems)
    return papers


def load_with_problems(
    data_dir: Path | str,
    cache: Path | str | None = None,
    memory: UnitMemory | None = None,
) -> tuple[Papers | None, Problems, Sources]:
    """Load and validate everything below `data_dir`, returning every problem found.

    `cache` is a folder for the load cache (`loadcache.py`, e.g. `.cache/load`): files
    unchanged since an earlier load are not read, parsed or validated again. The result is
    the same with or without it. `memory` keeps the units in this process for the next
    load (`mkdocs serve`), which then reads no cache file (`loadcache.UnitMemory`).
    """
    papers, problems, sources, _ = _loaded(Path(data_dir), cache, memory, checks_beside=False)
    return papers, problems, sources


def load_with_checks_beside(
    data_dir: Path | str, cache: Path | str | None = None, memory: UnitMemory | None = None
) -> tuple[Papers | None, Problems, Sources, loadfork.ChecksBeside | None]:
    """`load_with_problems`, but the checks between files may still be running in a fork
    when this returns (the fourth value, loadfork.ChecksBeside; never with a `memory`, whose
    memo of checks lives in this process): the problems returned are then those found
    reading the files, and the caller takes the rest from the fork before it uses the
    papers for anything that is kept."""
    return _loaded(Path(data_dir), cache, memory, checks_beside=True)


def _loaded(
    data: Path, cache: Path | str | None, memory: UnitMemory | None, checks_beside: bool
) -> tuple[Papers | None, Problems, Sources, loadfork.ChecksBeside | None]:
    with no_gc(), LoadCache(cache if data.is_dir() else None, data, memory) as units:
        papers, problems, sources, beside = _load_all(data, units, checks_beside)
        sources.cache = units.stats
        sources.origins = origins(units.kept)
        remember_plain_text(sources.plain_texts)
    return papers, problems, sources, beside


def origins(kept: dict[str, tuple[bytes, Any]]) -> dict[int, tuple[Any, bytes]]:
    """Each paper at the top of a unit the load cache keyed by its files (a meeting and
    its reports, a body), with a key made of the unit's key, its name and the paper's
    place in it; and the papers inside a meeting (`_inside`). Loaded papers are never
    changed after loading, so while the key is the same the paper is the same: the page
    cache keeps papers' fingerprints between builds by it (pagecache.Fingerprints) instead
    of reading ten years of papers again.

    A key is a digest of the unit's key and name, then the paper's place written out
    (`/3`, its type's name, `a5`): 160,000 papers each hashed on its own took 0.21 s of
    every build at ten years of papers, 0.13 s with one digest a unit."""
    found: dict[int, tuple[Any, bytes]] = {}
    blake2b = hashlib.blake2b
    for name, (key, unit) in kept.items():
        value = unit.value if isinstance(unit, _Unit) else unit
        _origins(value, blake2b(key + b"\0" + name.encode(), digest_size=16).digest(), found, 0)
    for paper, key in list(found.values()):
        if type(paper) is Meeting:
            _inside(paper, key, found)
    return found


#: Each paper type's name as it goes into a key (`_origins`).
_TYPE_NAMES: dict[type, bytes] = {}


def _origins(value: Any, place: bytes, found: dict[int, tuple[Any, bytes]], depth: int) -> None:
    if isinstance(value, BaseModel):
        kind = type(value)
        named = _TYPE_NAMES.get(kind)
        if named is None:
            named = _TYPE_NAMES[kind] = b"\0" + kind.__qualname__.encode()
        found[id(value)] = (value, place + named)
    elif depth < 4 and isinstance(value, list | tuple):
        for number, item in enumerate(value):
            _origins(item, place + b"/%d" % number, found, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for number, item in enumerate(value.values()):
            _origins(item, place + b"/%d" % number, found, depth + 1)


def _inside(meeting: Meeting, key: bytes, found: dict[int, tuple[Any, bytes]]) -> None:
    """Keys for a meeting's agenda items, minutes, resolutions and those present, from its
    own. The decisions register holds these as they were loaded (an entry of the minutes,
    its resolutions, the agenda item), and so do the answers of which meetings present a
    report: 25,000 decisions took 1.6 s to fingerprint field by field at ten years of
    papers, 0.6 s with these kept. Only these: keys for every paper inside a meeting cost
    more to make than they saved (bench/RESULTS.md)."""
    for number, item in enumerate(meeting.agenda):
        found[id(item)] = (item, key + b"\0a%d" % number)
    minutes = meeting.minutes
    if minutes is None:
        return
    for number, person in enumerate(minutes.present or ()):
        found[id(person)] = (person, key + b"\0p%d" % number)
    for number, entry in enumerate(minutes.items):
        place = key + b"\0m%d" % number
        found[id(entry)] = (entry, place)
        for each, resolution in enumerate(entry.resolutions):
            found[id(resolution)] = (resolution, place + b"r%d" % each)


def _load_all(
    data: Path, units: LoadCache, checks_beside: bool = False
) -> tuple[Papers | None, Problems, Sources, loadfork.ChecksBeside | None]:
    problems, sources = Problems(), Sources(root=data)
    if not data.is_dir():
        problems.add(display_path(data), (), "the data folder does not exist")
        return None, problems, sources, None
    site = _load_site(data / "site.yml", sources, problems)
    if site is not None:
        check_site_settings(site, data, sources.get(display_path(data / "site.yml")), problems)
    people = _load_people(data / "people.yml", sources, problems)
    bodies = _load_bodies(data / "bodies", sources, problems, units)
    meetings, reports = _load_meetings(data / "meetings", sources, problems, units)
    if site is None:
        return None, problems, sources, None

    def read(path: Path) -> tuple[Any, LineMap]:
        return _read_yaml(path, sources, problems)

    papers = Papers(
        site=site,
        people=people,
        bodies=bodies,
        meetings=meetings,
        reports=reports,
        decisions=load_decisions(data / "decisions", read, problems),
        forward_plan=load_forward_plan(data / "forward-plan.yml", read, problems),
        notices=load_notices(data / "notices.yml", read, problems),
    )
    memo = units.memory.checks if units.memory else None
    checks = partial(_checked, papers, sources, data, memo)
    beside = loadfork.checks_beside(checks) if checks_beside and memo is None else None
    if beside is None:
        problems.extend(checks())
    return papers, problems, sources, beside


def _checked(
    papers: Papers, sources: Sources, data: Path, memo: dict[str, Any] | None
) -> list[Problem]:
    """What the checks between files find: they read the papers and add problems."""
    problems = Problems()
    check_links(papers, sources, problems, memo)
    check_markdown_links(papers, sources, problems, memo)
    check_deadlines(papers, sources, problems, memo)
    check_year_addresses(papers, data, problems)
    problems.extend(placeholders(data, sources.placeholders))
    return problems.found


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
    before = len(problems.found)
    raw, where = _read_yaml(path, sources, problems)
    if raw is None:
        if len(problems.found) == before:
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
        sources.failed.add("people")
        return people
    if not isinstance(raw, dict):
        problems.add(where, (), "expected a mapping of person ids to people")
        sources.failed.add("people")
        return people
    sources.people_named.update(str(key) for key in raw)
    for key, value in raw.items():
        if isinstance(value, dict):
            value = {**value, "id": key}
        person = build(Person, value, where, problems, base=(key,))
        if person:
            people[key] = person
    return people


def _load_bodies(
    folder: Path, sources: Sources, problems: Problems, units: LoadCache
) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    for path in sorted(folder.glob("*.yml")):
        files = None if path.is_symlink() or not path.is_file() else [path]
        unit = units.unit(
            f"body:{path.name}", files, lambda p=path: _unit(sources.root, partial(_load_body, p))
        )
        body = unit.merge(sources, problems)
        if body:
            bodies[body.id] = body
    return bodies


def _load_body(path: Path, sources: Sources, problems: Problems) -> Body | None:
    before = len(problems.found)
    raw, where = _read_yaml(path, sources, problems)
    if _unreadable(raw, problems, before):
        sources.failed.add("bodies")  # already said why; no "no body with id" echoes
        return None
    if isinstance(raw, dict):
        raw = {**raw, "id": path.stem}
        where.lines.setdefault(("id",), 1)
    body = build(Body, raw, where, problems)
    if body:
        body.source = where.path
        sources.link_problems[where.path] = links_in(body, where)
    return body


def _load_meetings(
    folder: Path, sources: Sources, problems: Problems, units: LoadCache
) -> tuple[dict[str, Meeting], dict[str, Report]]:
    names = _folder_names(folder)
    # With a watcher (mkdocs serve), folders where nothing changed are not even listed.
    touched = units.touched_folders(folder)
    memory = units.memory
    kept = memory.sections.get("meetings") if memory is not None else None
    computed: dict[str, _Unit] = {}
    section = None
    if isinstance(kept, _Section) and touched is not None:
        section = _patched(kept, names, touched, folder, sources.root, units, computed)
    if section is None:
        section = _merged(folder, names, touched, sources.root, units, computed)
    if memory is not None:
        memory.sections["meetings"] = section
    sources.merge(section.sources)
    problems.extend(section.found)
    return section.meetings, section.reports


@dataclass
class _Section:
    """What the meeting folders gave a load, kept by `mkdocs serve` for the next one: when
    only a few folders changed and they hold the same files and papers as before, the next
    load patches it instead of merging 3,200 folders' results again (`_patched`)."""

    names: list[str]
    units: dict[str, _Unit]
    meetings: dict[str, Meeting]
    reports: dict[str, Report]
    sources: Sources
    found: list[Problem]
    #: Every folder loaded without errors, none failed, no report id used twice.
    plain: bool


def _meeting_unit(
    meeting_dir: Path, name: str, root: Path, units: LoadCache, problems: Problems
) -> _Unit | None:
    """A meeting folder's unit, loaded or from the cache; None for a link leading outside."""
    if datafiles.outside(meeting_dir, root):
        problems.add(
            display_path(meeting_dir),
            (),
            "is a symbolic link to a folder outside the data folder; move the folder in",
        )
        return None
    files = unit_files(meeting_dir)
    load = partial(_load_meeting_folder, meeting_dir, files)
    return units.unit(name, files, lambda: _unit(root, load))


def _merged(
    folder: Path,
    names: list[str],
    touched: set[str] | None,
    root: Path,
    units: LoadCache,
    computed: dict[str, _Unit],
) -> _Section:
    """Every meeting folder's unit (kept, cached or loaded), merged in the folders' order."""
    part, found = Sources(root=root), Problems()
    meetings: dict[str, Meeting] = {}
    reports: dict[str, Report] = {}
    loaded_units: dict[str, _Unit] = {}
    plain = True
    fork = None if touched is not None or computed else _forked(folder, names, root, units)
    ahead = None
    if fork is None and touched is None and not computed:
        ahead = _read_ahead(folder, names, root, units)
    for folder_name in names:
        name = f"meeting:{folder_name}"
        # Kept only for a plain folder (never a link) in which nothing changed since.
        unit = None if touched is None or folder_name in touched else units.kept_unit(name)
        if unit is None and ahead is not None:
            unit = ahead.take(name)
        if unit is None:
            handed = fork.take(name) if fork is not None else None
            if handed is not None:
                unit, problems = handed
                found.extend(problems)
            else:
                unit = computed.get(name) or _meeting_unit(
                    folder / folder_name, name, root, units, found
                )
            if unit is None:
                plain = False
                continue
        loaded_units[name] = unit
        plain = plain and name in units.kept and _clean(unit)
        meeting, loaded = unit.merge(part, found)
        if meeting is None:
            part.failed.update({"meetings", name})
        else:
            meetings[meeting.id] = meeting
        for report in loaded:
            if report.id in reports:
                first = reports[report.id].source
                found.add(
                    report.source, ("id",), f"report id {report.id!r} is also used by {first}"
                )
                plain = False
                continue
            reports[report.id] = report
    return _Section(names, loaded_units, meetings, reports, part, found.found, plain)


def _forked(folder: Path, names: list[str], root: Path, units: LoadCache) -> loadfork.Fork | None:
    """A fork loading the last part of the meeting folders, on a cold load (loadfork.py)."""

    def load(name: str) -> loadfork.Loaded:
        problems = Problems()
        unit = _meeting_unit(folder / name.removeprefix("meeting:"), name, root, units, problems)
        return unit, problems.found

    return loadfork.start([f"meeting:{n}" for n in names], units, load)


def _read_ahead(
    folder: Path, names: list[str], root: Path, units: LoadCache
) -> loadfork.ReadAhead | None:
    """The stored units of the meeting folders read while a fork works out their keys, on
    a warm load (loadfork.ReadAhead)."""

    def key_of(name: str) -> bytes | None:
        meeting_dir = folder / name.removeprefix("meeting:")
        if datafiles.outside(meeting_dir, root):
            return None  # loaded by the build process, which reports it
        return units.folder_key(meeting_dir)

    return loadfork.read_ahead([f"meeting:{n}" for n in names], units, key_of)


def _patched(
    kept: _Section,
    names: list[str],
    touched: set[str],
    folder: Path,
    root: Path,
    units: LoadCache,
    computed: dict[str, _Unit],
) -> _Section | None:
    """The last load's meeting folders with the changed ones loaded again, or None when a
    whole merge is needed: other folders, or a changed folder that has errors now or had,
    or holds other files or papers than before (the dicts keep their order only while
    their keys are the same)."""
    if not kept.plain or names != kept.names or units.memory is None:
        return None
    remembered = units.memory.units
    if any(f"meeting:{n}" not in remembered for n in names if n not in touched):
        return None
    changed = [n for n in names if n in touched]
    new_units = dict(kept.units)
    for folder_name in changed:
        name = f"meeting:{folder_name}"
        unit = _meeting_unit(folder / folder_name, name, root, units, Problems())
        if unit is None:
            return None
        computed[name] = unit
        if name not in units.kept or not _clean(unit) or not _same_keys(kept.units[name], unit):
            return None
        new_units[name] = unit
    units.keep_units(f"meeting:{n}" for n in names if n not in touched)
    part = Sources(root=root)
    part.maps = kept.sources.maps.copy()
    part.link_problems = kept.sources.link_problems.copy()
    part.placeholders = kept.sources.placeholders.copy()
    part.plain_texts = kept.sources.plain_texts.copy()
    meetings, reports = kept.meetings.copy(), kept.reports.copy()
    for folder_name in changed:
        unit = new_units[f"meeting:{folder_name}"]
        meeting, loaded = unit.value
        meetings[meeting.id] = meeting
        reports.update((report.id, report) for report in loaded)
        part.maps.update(unit.sources.maps)
        part.link_problems.update(unit.sources.link_problems)
        part.placeholders.update(unit.sources.placeholders)
        part.plain_texts.update(unit.sources.plain_texts)
    found = list(chain.from_iterable(new_units[f"meeting:{n}"].found for n in names))
    return _Section(names, new_units, meetings, reports, part, found, True)


def _clean(unit: _Unit) -> bool:
    """A meeting folder that loaded whole: nothing failed, nothing left over."""
    made = unit.sources
    return (
        unit.value[0] is not None
        and not made.failed
        and not made.reports_named
        and not made.orphan_minutes
        and not made.people_named
    )


def _same_keys(before: _Unit, now: _Unit) -> bool:
    """The same meeting, reports, files and summaries: patching keeps every dict's order."""
    return (
        before.value[0].id == now.value[0].id
        and [r.id for r in before.value[1]] == [r.id for r in now.value[1]]
        and before.sources.maps.keys() == now.sources.maps.keys()
        and before.sources.link_problems.keys() == now.sources.link_problems.keys()
        and before.sources.placeholders.keys() == now.sources.placeholders.keys()
        and before.sources.plain_texts.keys() == now.sources.plain_texts.keys()
    )


def _folder_names(folder: Path) -> list[str]:
    """The names of the folders in `folder` (links to folders included), sorted as their
    paths sort; from the directory's listing, with no stat of each folder where the file
    system tells the kind of each entry."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        return sorted(entry.name for entry in entries if entry.is_dir())


def _load_meeting_folder(
    meeting_dir: Path, files: list[Path] | None, sources: Sources, problems: Problems
) -> tuple[Meeting | None, list[Report]]:
    """One meeting folder: the meeting, its minutes and the reports first presented there,
    with the problems of links in their text and the folder's "TO DO" placeholders."""
    meeting = _load_meeting(meeting_dir, sources, problems)
    if meeting is not None:
        sources.link_problems[meeting.source] = links_in(meeting, sources.get(meeting.source))
        if meeting.minutes:
            source = meeting.minutes.source
            sources.link_problems[source] = links_in(meeting.minutes, sources.get(source))
    loaded = []
    for path in sorted(meeting_dir.glob("*.md")):
        report = _load_report(path, meeting_dir, sources, problems)
        if report is None:
            sources.failed.add(f"report:{path.stem}")
            continue
        sources.link_problems[report.source] = links_in(report, sources.get(report.source))
        if report.summary:
            sources.plain_texts[report.summary] = plain_text(report.summary)
        loaded.append(report)
    if files is not None:
        sources.placeholders[meeting_dir] = placeholders_in(files)
    return meeting, loaded


def _load_meeting(meeting_dir: Path, sources: Sources, problems: Problems) -> Meeting | None:
    """The meeting and its minutes. The minutes are read and checked even when meeting.yml
    is broken, so one broken file never hides the mistakes in another."""
    before = len(problems.found)
    raw, where = _read_yaml(meeting_dir / "meeting.yml", sources, problems)
    if isinstance(raw, dict):
        raw = {**raw, "id": meeting_dir.name}
    meeting = None if _unreadable(raw, problems, before) else build(Meeting, raw, where, problems)
    minutes = None
    minutes_path = meeting_dir / "minutes.yml"
    if minutes_path.exists():
        before = len(problems.found)
        raw_minutes, minutes_where = _read_yaml(minutes_path, sources, problems)
        if not _unreadable(raw_minutes, problems, before):
            minutes = build(Minutes, raw_minutes, minutes_where, problems)
        if minutes:
            minutes.source = minutes_where.path
    if meeting is None:
        if not isinstance(raw, dict):  # unreadable: its agenda is unknown
            sources.failed.add("agendas")
        sources.reports_named.update(_reports_named(raw))
        if minutes is not None:
            sources.orphan_minutes.append(minutes)
        return None
    meeting.source = where.path
    meeting.minutes = minutes
    return meeting


def _unreadable(raw: Any, problems: Problems, before: int) -> bool:
    """The file could not be read or parsed, and that is already reported: validating
    nothing would only add "expected a mapping of fields, found nothing"."""
    return raw is None and len(problems.found) > before


def _reports_named(raw: Any) -> set[str]:
    """Report ids named on the agenda of a meeting.yml that failed to load, so that its
    reports are not also reported as on no agenda."""
    agenda = raw.get("agenda") if isinstance(raw, dict) else None
    if not isinstance(agenda, list):
        return set()
    return {item["report"] for item in agenda if isinstance(item, dict) and item.get("report")}


def _load_report(
    path: Path,
    meeting_dir: Path,
    sources: Sources,
    problems: Problems,
    report_id: str | None = None,
) -> Report | None:
    """A report from its file; `report_id` is given for an earlier version's file."""
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
    before = len(problems.found)
    raw = parse_yaml(front, where, problems, first_line=2)
    if _unreadable(raw, problems, before):
        return None
    if isinstance(raw, dict):
        if "id" in raw:
            problems.add(
                where, ("id",), f"a report's id is its file name ({path.stem!r}); remove id:"
            )
        raw = {**raw, "id": report_id or path.stem}
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
        if appendix.table:
            tables.check_cells(appendix.table, where, (*loc, "table"), problems)
    if report_id is None:
        _load_versions(report, meeting_dir, where, sources, problems)
    return report


def _load_versions(
    report: Report, meeting_dir: Path, where: LineMap, sources: Sources, problems: Problems
) -> None:
    """Each entry of `versions:` reads its file, versions/<report-id>.v<n>.md, as it was."""
    for number, version in enumerate(report.versions, start=1):
        version.number = number
        name = f"versions/{report.id}.v{number}.md"
        path = meeting_dir / name
        if not path.is_file():
            problems.add(
                where,
                ("versions", number - 1),
                f"file {name!r} does not exist in {display_path(meeting_dir)}; keep version "
                f"{number} there as it was published",
            )
            continue
        version.report = _load_report(path, meeting_dir, sources, problems, report.id)


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
    if text is not None:
        csv_path = display_path(meeting_dir / table.file)
        tables.read_csv(text, table, csv_path, where, loc, problems)
