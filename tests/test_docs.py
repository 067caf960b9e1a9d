"""Documentation tests: the docs can never fall behind the code.

Like Datasette's `test_docs.py`, each test reads the code for what exists (the macros in
`render.MACROS`, the fields of the model, the `papers` commands, the URL scheme) and fails,
naming what is missing, when the documentation does not describe it.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

import click
import pytest
import yaml

from committee_papers import model, render, urls
from committee_papers.cli import main as papers_cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "committee_papers"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- reading Markdown: headings and their sections, outside fenced code -------------------


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    text: str


def sections(markdown: str) -> list[Section]:
    """Every heading with the text under it, up to the next heading of its level or higher."""
    heads: list[tuple[int, str, int]] = []
    lines = markdown.splitlines()
    fenced = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = re.match(r"^(#{1,6})\s+(.+?)\s*$", line)
        if match and not fenced:
            heads.append((len(match.group(1)), match.group(2), index))
    found = []
    for position, (level, title, start) in enumerate(heads):
        end = next((i for lv, _, i in heads[position + 1 :] if lv <= level), len(lines))
        found.append(Section(level, title, "\n".join(lines[start + 1 : end])))
    return found


def plain(title: str) -> str:
    return title.replace("`", "")


# --- macros: docs/macros.md ---------------------------------------------------------------

MACROS_MD = DOCS / "macros.md"


def macro_headings() -> dict[str, str]:
    """Documented macros, `name(arguments)` headings, keyed by name."""
    found = {}
    for section in sections(read(MACROS_MD)):
        match = re.fullmatch(r"`(\w+)\((.*)\)`", section.title)
        if section.level == 3 and match:
            found[match.group(1)] = match.group(2)
    return found


def signature_of(name: str) -> str:
    """A macro's arguments as a page passes them (the site supplies `base` itself)."""
    params = inspect.signature(getattr(render.Renderer, name)).parameters.values()
    return ", ".join(
        p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}"
        for p in params
        if p.name not in {"self", "base"}
    )


@pytest.mark.parametrize("name", render.MACROS)
def test_macro_is_documented(name: str) -> None:
    text = read(MACROS_MD)
    assert name in macro_headings() or f"`{name}(" in text, (
        f"macro {name!r} is in render.MACROS but not documented in docs/macros.md: "
        f"add a heading `{name}(...)` with its arguments, what it renders and an example"
    )


@pytest.mark.parametrize("name", [n for n in render.MACROS if hasattr(render.Renderer, n)])
def test_documented_macro_arguments_match_the_code(name: str) -> None:
    documented = macro_headings().get(name)
    if documented is None:
        pytest.skip(f"{name} has no heading (test_macro_is_documented reports it)")
    assert documented == signature_of(name), (
        f"docs/macros.md documents {name}({documented}) but the macro is {name}"
        f"({signature_of(name)})"
    )


def test_every_documented_macro_is_offered_to_pages() -> None:
    stale = sorted(set(macro_headings()) - set(render.MACROS))
    assert not stale, f"docs/macros.md documents macros that render.MACROS lacks: {stale}"


def test_macro_examples_are_not_run_on_the_macros_page() -> None:
    # The examples are written as real calls; mkdocs-macros would run them otherwise.
    assert re.search(r"^render_macros: false$", read(MACROS_MD), re.M)


# --- fields a clerk writes: docs/data.md ---------------------------------------------------

DATA_MD = DOCS / "data.md"


def data_classes() -> list[type[model.Strict]]:
    """Every class of the model that a clerk's files are validated against."""
    return [
        cls
        for _, cls in inspect.getmembers(model, inspect.isclass)
        if issubclass(cls, model.Strict) and cls is not model.Strict
        if cls.__module__.startswith(model.__name__)
    ]


def written_fields(cls: type[model.Strict]) -> list[str]:
    """Fields as a clerk spells them (aliases such as `for`), not those the loader fills."""
    return [info.alias or name for name, info in cls.model_fields.items() if not info.exclude]


def loader_fields(cls: type[model.Strict]) -> list[str]:
    return [name for name, info in cls.model_fields.items() if info.exclude]


def class_section(cls: type) -> Section | None:
    """The section of docs/data.md whose heading names the class."""
    pattern = re.compile(rf"\b{cls.__name__}\b")
    return next((s for s in sections(read(DATA_MD)) if pattern.search(plain(s.title))), None)


FIELDS = [(cls, field) for cls in data_classes() for field in written_fields(cls)]


def test_the_model_has_fields_to_document() -> None:
    names = {cls.__name__ for cls in data_classes()}
    assert {"Site", "Meeting", "AgendaItem", "Report", "Appendix", "Minutes"} <= names
    assert len(FIELDS) > 100


@pytest.mark.parametrize(
    ("cls", "field"), FIELDS, ids=[f"{cls.__name__}.{field}" for cls, field in FIELDS]
)
def test_every_field_a_clerk_writes_is_documented(cls: type, field: str) -> None:
    section = class_section(cls)
    assert section is not None, (
        f"docs/data.md has no section for {cls.__name__}: add a heading naming it, with a "
        "table of its fields (field, type, required/default, meaning)"
    )
    assert f"`{field}`" in section.text, (
        f"{cls.__name__}.{field} is not documented in the {section.title!r} section of docs/data.md"
    )


@pytest.mark.parametrize("cls", [c for c in data_classes() if loader_fields(c)], ids=str)
def test_fields_the_loader_fills_are_not_listed_as_fields_to_write(cls: type) -> None:
    section = class_section(cls)
    if section is None:
        pytest.skip(f"no section for {cls.__name__} (reported by the field tests)")
    written = set(written_fields(cls))
    listed = {f for f in loader_fields(cls) if f not in written and f"| `{f}` |" in section.text}
    assert not listed, f"{cls.__name__}: {sorted(listed)} are filled by the loader, not written"


ENUM_VALUES = [
    (enum, member.value)
    for _, enum in inspect.getmembers(model, inspect.isclass)
    if issubclass(enum, StrEnum) and enum.__module__.startswith(model.__name__)
    for member in enum
]


@pytest.mark.parametrize(
    ("enum", "value"), ENUM_VALUES, ids=[f"{e.__name__}.{v}" for e, v in ENUM_VALUES]
)
def test_every_allowed_value_is_documented(enum: type, value: str) -> None:
    assert f"`{value}`" in read(DATA_MD), (
        f"{enum.__name__} allows {value!r}, which docs/data.md does not mention"
    )


def jurisdiction_presets() -> list[str]:
    text = resources.files("committee_papers").joinpath("jurisdictions.yml").read_text("utf-8")
    return list(yaml.safe_load(text))


@pytest.mark.parametrize("preset", jurisdiction_presets())
def test_every_jurisdiction_preset_is_documented(preset: str) -> None:
    section = class_section(model.Jurisdiction)
    assert section is not None and f"`{preset}`" in section.text, (
        f"the jurisdiction preset {preset!r} is not in the Jurisdiction section of docs/data.md"
    )


def test_data_page_examples_are_not_run() -> None:
    # The page shows `{{ 7*7 }}` staying as typed; mkdocs-macros must not evaluate it.
    assert re.search(r"^render_macros: false$", read(DATA_MD), re.M)


# --- the `papers` command: README.md -------------------------------------------------------

README = ROOT / "README.md"
COMMANDS = sorted(papers_cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_papers_command_is_in_the_readme(command: str) -> None:
    assert f"papers {command}" in read(README), f"`papers {command}` is not in README.md"


OPTIONS = [
    (command, opt)
    for command in COMMANDS
    for param in papers_cli.commands[command].params
    if isinstance(param, click.Option)
    for opt in param.opts
]


@pytest.mark.parametrize(("command", "option"), OPTIONS, ids=[f"{c} {o}" for c, o in OPTIONS])
def test_every_papers_option_is_in_the_readme(command: str, option: str) -> None:
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", read(README)), (
        f"option {option} of `papers {command}` is not in README.md"
    )


def test_every_module_is_in_the_readme_layout() -> None:
    modules = sorted(p.name for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")
    missing = [m for m in modules if m not in read(README)]
    assert not missing, f"README.md's layout of the repository lacks: {missing}"


def test_readme_links_to_pages_that_exist() -> None:
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)\)", read(README))
    assert {"docs/data.md", "docs/urls.md", "docs/macros.md"} <= set(targets)
    assert [t for t in targets if not (ROOT / t).exists()] == []


# --- URLs: docs/urls.md --------------------------------------------------------------------

URLS_MD = DOCS / "urls.md"


def url_patterns_in_code() -> list[str]:
    """The URL scheme as urls.py's docstring states it: `/meetings/<meeting-id>/` and so on."""
    return re.findall(r"^\s+(/\S*)\s", urls.__doc__ or "", re.M)


def test_urls_py_states_every_kind_of_url() -> None:
    patterns = " ".join(url_patterns_in_code())
    for part in ("/committees/", "/meetings/", "/reports/", "/people/", "appendix-"):
        assert part in patterns


@pytest.mark.parametrize("pattern", url_patterns_in_code())
def test_every_url_pattern_is_documented(pattern: str) -> None:
    assert f"`{pattern}`" in read(URLS_MD), f"the URL {pattern} is not in docs/urls.md"


def documented_url_regexes() -> list[re.Pattern[str]]:
    patterns = re.findall(r"`(/[^`#\s]*)`", read(URLS_MD))
    return [
        re.compile("^" + re.sub(r"<[^>]+>", "[a-z0-9-]+", re.escape(p).replace(r"\-", "-")) + "$")
        for p in patterns
        if "<" in p or p.count("/") == 2
    ]


def sample_objects() -> list[tuple[object, str]]:
    """One object of each kind that has a page, built inline (the demo data may be mid-edit)."""
    body = model.Body(id="planning", name="Planning Committee", kind="committee")
    meeting = model.Meeting(
        id="2026-01-28-planning", body="planning", date="2026-01-28", start="18:30"
    )
    report = model.Report(id="budget-2026", title="Budget", report_of="Director", summary="S.")
    appendix = model.Appendix(label="B", title="Prices", text="T.", report_id="budget-2026")
    person = model.Person(id="ruth-okafor", name="Ruth Okafor", kind="member")
    return [
        ("committees", ""),
        ("meetings", ""),
        ("people", ""),
        (body, ""),
        (meeting, ""),
        (meeting, "minutes"),
        (report, ""),
        (report, "v1"),
        (appendix, ""),
        (person, ""),
        (urls.YearListing(2025), ""),
        (urls.YearListing(2025, body=body), ""),
        (urls.YearListing(2025, "decisions"), ""),
        (urls.YearListing(2025, "decisions", month=3), ""),
        (urls.YearListing(2025, "people", person=person), ""),
    ]


SAMPLES = sample_objects()


@pytest.mark.parametrize(
    ("obj", "part"),
    SAMPLES,
    ids=[
        obj if isinstance(obj, str) else type(obj).__name__ + (f"-{part}" if part else "")
        for obj, part in SAMPLES
    ],
)
def test_every_url_the_site_makes_matches_a_documented_pattern(obj: object, part: str) -> None:
    url = "/" + urls.url_for(obj, part)
    assert any(regex.match(url) for regex in documented_url_regexes()), (
        f"{url} matches no URL pattern in docs/urls.md"
    )
