"""A unique token in every field of every withheld thing: none public, all for members.

The fields are generated from the model classes, so a field added later is planted too and
the test fails until the projection withholds it (or, if it cannot be filled with text,
until it is named below with the reason). Withheld things: an exempt report and one with no
flag of its own under a Part 2 item, their appendices, an exempt and a draft appendix of a
public report, a draft and an embargoed report, a Part 2 item, the items of an agenda not
yet published, draft minutes (with corrections to earlier minutes), an exempt minute in
public minutes, and a person named only by an exempt report.
"""

from __future__ import annotations

import gzip
import itertools
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from support import build_site, copy_data

from committee_papers.model import (
    AgendaItem,
    Appendix,
    MinuteItem,
    Minutes,
    Person,
    Report,
)

TOKEN = "zqxtok"
MEETING = "meetings/2026-01-28-audit-governance"

#: Fields never filled with a token, and why. Everything else that holds text is planted.
NOT_TEXT = {
    "id": "an id is the file or key name",
    "number": "an item number has a fixed pattern",
    "item": "names an agenda item number",
    "label": "an appendix label has a fixed pattern",
    "part": "a number",
    "kind": "a choice from a list",
    "file": "names a file beside the paper (planted through text)",
    "key": "a column key is planted through the rows",
    "pages": "a page range has a fixed pattern",
}
#: Fields that name another object: filled with a real id so the papers stay valid.
REFERENCES = {
    "author": "zq-secret-person",
    "contact": "zq-secret-person",
    "asked_by": "zq-secret-person",
    "answered_by": "zq-secret-person",
    "person": "zq-secret-person",
    "for": "peter-goodwin",
    "chair": "peter-goodwin",
    "report": None,
    "minutes_of": None,
    "moved_to": None,
    "clerk": None,
    "reports": None,
    "companion": None,
    "arrived_during": None,
    "left_after": None,
}
#: Fields shown to the public by design for a withheld thing (what councils print).
PUBLIC_BY_DESIGN = {
    AgendaItem: {"title", "report_of", "purpose", "heading"},
    MinuteItem: {"public_summary"},
}
#: An appendix planted without a table or chart (those are planted on the reports' own).
NO_DATA = {"file", "table", "chart"}


class Planter:
    """Makes data for a model class with a unique token in every text field."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.planted: dict[str, str] = {}

    def token(self, where: str) -> str:
        value = f"{TOKEN}{next(self.counter):04d}"
        self.planted[value] = where
        return value

    def fill(self, cls: type[BaseModel], where: str, skip: set[str] = frozenset()) -> dict:
        data: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            key = info.alias or name
            if info.exclude or key in skip or key in NOT_TEXT:
                continue
            if key in REFERENCES and not _is_model(info.annotation):
                if REFERENCES[key]:
                    data[key] = REFERENCES[key]
                continue
            value = self.sample(info.annotation, f"{where}.{key}", key)
            if value is not None:
                data[key] = value
        return data

    def sample(self, annotation: Any, where: str, key: str) -> Any:
        if key == "content":  # blocks of a minute: one kind each
            return [
                {"text": self.text(f"{where}.text", "")},
                {"question": self.text(f"{where}.q", ""), "answer": self.text(f"{where}.a", "")},
                {"resolved": [self.text(f"{where}.resolved", "")]},
            ]
        if key == "date":  # the date of a step or meeting outside the data
            return "2026-01-05"
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            return self.sample(args[0], where, key)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            if any(a is str for a in options):
                return self.text(where, key)
            return self.sample(options[0], where, key) if len(options) == 1 else None
        if origin is list:
            inner = self.sample(args[0], f"{where}[0]", key)
            return [inner] if inner is not None else None
        if origin is dict:
            return {self.token(f"{where} key"): self.token(f"{where} value")}
        if annotation is str:
            return self.text(where, key)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.fill(annotation, where) or None
        return None

    def text(self, where: str, key: str) -> str:
        token = self.token(where)
        if key in {"url", "webcast", "web"}:
            return f"https://example.org/{token}"
        if key == "email":
            return f"{token}@example.org"
        return f"The words {token} are here"


def _is_model(annotation: Any) -> bool:
    inner = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    return any(isinstance(a, type) and issubclass(a, BaseModel) for a in inner)


def report_file(
    planter: Planter, name: str, where: str, versions: bool = True, **fixed: Any
) -> str:
    """A report with a token in every field; with an earlier version, whose file the caller
    writes (a date cannot hold a token, so `versions` is filled here)."""
    data = planter.fill(Report, where, skip=set(fixed) | {"appendices", "chart", "versions"})
    if versions:
        note = planter.text(f"{where}.versions[0].note", "")
        data["versions"] = [{"replaced": "2026-01-21", "note": note}]
    appendix = planter.fill(
        Appendix, f"{where}.appendices[0]", skip={"file", "link_only", "table", "chart"}
    )
    appendix.update(label="1", table=_table(planter, f"{where}.appendices[0].table"))
    appendix["chart"] = _chart(planter, f"{where}.appendices[0].chart")
    data["appendices"] = [appendix]
    data.update(fixed)
    body = (
        f"## Heading {planter.token(where + ' heading')}\n\n{planter.text(where + ' body', '')}\n"
    )
    return "---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n" + body


def _table(planter: Planter, where: str) -> dict:
    column = "figures"  # a key, shown only through its label
    return {
        "caption": planter.text(f"{where}.caption", ""),
        "columns": [{"key": column, "label": planter.text(f"{where}.label", "")}],
        "rows": [{column: planter.text(f"{where}.cell", "")}],
    }


def _chart(planter: Planter, where: str) -> dict:
    return {
        "title": planter.text(f"{where}.title", ""),
        "description": planter.text(f"{where}.description", ""),
        "x_label": planter.text(f"{where}.x_label", ""),
        "y_label": planter.text(f"{where}.y_label", ""),
        "categories": [planter.text(f"{where}.category", "")],
        "series": [{"name": planter.text(f"{where}.series", ""), "values": ["1"]}],
    }


def plant(data: Path) -> dict[str, str]:
    planter = Planter()
    meeting = data / MEETING
    people = data / "people.yml"
    person = planter.fill(Person, "person named only by an exempt report")
    person["kind"] = "officer"
    people.write_text(
        people.read_text() + yaml.safe_dump({"zq-secret-person": person}, sort_keys=False)
    )
    withheld = {
        "zq-exempt": ("exempt report", {"exempt": ["3"]}),
        "zq-under-part2": ("report with no flag under a Part 2 item", {}),
        "zq-draft": ("draft", {"draft": "true"}),
        "zq-embargoed": ("embargoed", {"publish_on": "2026-12-10"}),
    }
    (meeting / "versions").mkdir()
    for name, (where, fixed) in withheld.items():
        (meeting / f"{name}.md").write_text(report_file(planter, name, where, **fixed))
        (meeting / "versions" / f"{name}.v1.md").write_text(
            report_file(planter, name, f"{where}, version 1", versions=False, **fixed)
        )
    public = planter.fill(
        Report, "public report", skip={"appendices", "author", "contact", "authors", "versions"}
    )
    public["author"] = "ben-achebe"
    public["appendices"] = [
        {**planter.fill(Appendix, "exempt appendix", skip=NO_DATA), "label": "1", "exempt": "3"},
        {**planter.fill(Appendix, "draft appendix", skip=NO_DATA), "label": "2", "draft": "true"},
    ]
    public_text = {
        key: f"A public {key} of the report"
        if isinstance(value, str) and key not in REFERENCES
        else value
        for key, value in public.items()
    }
    # Only the appendices of the public report are withheld: its own fields are public.
    for key in list(planter.planted):
        if planter.planted[key].startswith("public report"):
            del planter.planted[key]
    (meeting / "zq-public.md").write_text(
        "---\n" + yaml.safe_dump(public_text, sort_keys=False) + "---\nA public report.\n"
    )
    part2 = planter.fill(
        AgendaItem, "Part 2 item", skip=PUBLIC_BY_DESIGN[AgendaItem] | {"supplementary"}
    )
    part2.update(number="9", part="2", report="zq-exempt", late="true", exempt=["3"])
    under = {"number": "10", "part": "2", "report": "zq-under-part2", "title": "Item ten"}
    meeting_yml = meeting / "meeting.yml"
    agenda = yaml.safe_load(meeting_yml.read_text())
    agenda["agenda"][3:3] = [
        {"number": "4a", "report": "zq-public"},
        {"number": "4b", "report": "zq-draft", "title": "A report to come"},
        {"number": "4c", "report": "zq-embargoed", "title": "Another report to come"},
    ]
    agenda["agenda"] += [part2, under]
    meeting_yml.write_text(yaml.safe_dump(agenda, sort_keys=False))
    minutes_yml = meeting / "minutes.yml"
    minutes = yaml.safe_load(minutes_yml.read_text())
    exempt_minute = planter.fill(
        _minute_item_class(),
        "exempt minute",
        skip={"questions", "resolutions", "corrections"} | PUBLIC_BY_DESIGN[MinuteItem],
    )
    exempt_minute.update(item="6", exempt="1")
    exempt_minute.update(_minute_lists(planter, "exempt minute"))
    minutes["items"] = [i for i in minutes["items"] if i["item"] != "6"] + [exempt_minute]
    minutes_yml.write_text(yaml.safe_dump(minutes, sort_keys=False))
    _later_meeting_with_draft_minutes(planter, data)
    _future_agenda(planter, data)
    return planter.planted


def _minute_item_class() -> type[BaseModel]:
    return Minutes.model_fields["items"].annotation.__args__[0]


def _minute_lists(planter: Planter, where: str) -> dict:
    return {
        "questions": [
            {
                "question": planter.text(f"{where}.question", ""),
                "answer": planter.text(f"{where}.answer", ""),
                "asked_by": "zq-secret-person",
            }
        ],
        "resolutions": [planter.text(f"{where}.resolution", "")],
        "corrections": [planter.text(f"{where}.correction", "")],
    }


def _later_meeting_with_draft_minutes(planter: Planter, data: Path) -> None:
    folder = data / "meetings/2026-03-11-audit-governance"
    folder.mkdir()
    (folder / "meeting.yml").write_text(
        "body: audit-governance\ndate: 2026-03-11\nstart: '18:30'\nstatus: held\n"
        "published: 2026-03-02\nagenda:\n  - {number: '1', kind: apologies}\n"
        "  - {number: '2', kind: minutes, minutes_of: 2026-01-28-audit-governance}\n"
    )
    people_lists = {"present", "in_attendance", "apologies", "substitutes", "declarations"}
    minutes = planter.fill(
        Minutes, "draft minutes", skip={"items", "started", "ended"} | people_lists
    )
    minutes.update(draft="true", chair="peter-goodwin", present=["peter-goodwin"], ended="19:00")
    minutes["declarations"] = [
        {"person": "peter-goodwin", "item": "2", "interest": planter.text("declaration", "")}
    ]
    item = planter.fill(
        _minute_item_class(),
        "draft minutes item",
        skip={"questions", "resolutions", "corrections", "exempt"},
    )
    item["item"] = "2"
    item.update(_minute_lists(planter, "draft minutes item"))
    minutes["items"] = [item]
    (folder / "minutes.yml").write_text(yaml.safe_dump(minutes, sort_keys=False))


def _future_agenda(planter: Planter, data: Path) -> None:
    folder = data / "meetings/2026-12-30-audit-governance"
    folder.mkdir()
    item = planter.fill(AgendaItem, "item of an unpublished agenda", skip={"supplementary"})
    item.update(number="1", late="true")
    agenda = yaml.safe_dump([item], sort_keys=False).replace("\n", "\n  ")
    (folder / "meeting.yml").write_text(
        "body: audit-governance\ndate: 2026-12-30\nstart: '18:30'\nstatus: scheduled\n"
        "published: 2026-12-20\nagenda:\n  " + agenda.rstrip() + "\n"
    )


def every_byte(site: Path) -> str:
    """Names and contents of every file, compressed ones opened, lower-cased."""
    found = []
    for path in sorted(site.rglob("*")):
        found.append(str(path.relative_to(site)))
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            found.append(data.decode("utf-8", errors="replace"))
    return "\n".join(found).lower()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data = copy_data(tmp_path_factory.mktemp("tokens") / "data")
    return data, plant(data)


def test_every_field_is_planted(planted: tuple[Path, dict[str, str]]) -> None:
    data, tokens = planted
    from committee_papers.load import load_with_problems

    _, problems, _ = load_with_problems(data)
    assert not problems, "\n".join(str(p) for p in problems.errors)
    assert len(tokens) > 120


def test_no_withheld_token_in_any_byte_or_file_name_of_the_public_site(
    planted: tuple[Path, dict[str, str]],
) -> None:
    data, tokens = planted
    site = build_site(data.parent / "public", data_dir=data)
    text = every_byte(site)
    leaked = sorted(f"{token}: {where}" for token, where in tokens.items() if token in text)
    assert leaked == []
    assert not (site / "people/zq-secret-person").exists()


@pytest.fixture(scope="module")
def members_site(planted: tuple[Path, dict[str, str]]) -> Path:
    data, _ = planted
    return build_site(data.parent / "members", data_dir=data, audience="members")


def test_every_withheld_token_is_in_the_members_site(
    planted: tuple[Path, dict[str, str]], members_site: Path
) -> None:
    _, tokens = planted
    text = every_byte(members_site)
    missing = sorted(f"{token}: {where}" for token, where in tokens.items() if token not in text)
    assert missing == [], "\n".join(missing)


def test_the_guard_finds_every_withheld_token_in_the_members_site(
    planted: tuple[Path, dict[str, str]], members_site: Path
) -> None:
    """The guard's strength, on real output of every kind (pages, search index, open data,
    feeds, calendars): shown the members' site as if it were public, it reports every
    planted token that it holds as secret."""
    import datetime as dt

    from committee_papers.guard import scan, secrets
    from committee_papers.load import load
    from committee_papers.policy import Audience, Policy
    from committee_papers.projection import project

    data, tokens = planted
    papers = load(data)
    shown = project(papers, Policy(papers, Audience.public, dt.date(2026, 11, 23)))
    found = secrets(papers, shown)
    held = {token for token in tokens if any(token in fragment for fragment in found.papers)}
    reported = " ".join(leak.fragment for leak in scan(members_site, found))
    assert len(held) > 100
    assert sorted(token for token in held if token not in reported) == []
