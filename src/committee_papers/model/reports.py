"""Reports and their appendices (text, tables with RAG status, charts, links)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from ..schemes import SafeUrl
from .base import AppendixLabel, ExemptField, Publication, Slug, Strict


class Purpose(StrEnum):
    decision = "decision"
    information = "information"
    discussion = "discussion"


class Rag(StrEnum):
    red = "Red"
    amber = "Amber"
    green = "Green"
    blue = "Blue"

    @classmethod
    def parse(cls, value: str) -> Rag:
        aliases = {"r": "Red", "a": "Amber", "g": "Green", "b": "Blue", "complete": "Blue"}
        text = value.strip()
        text = aliases.get(text.lower(), text).capitalize()
        return cls(text)


class ColumnKind(StrEnum):
    text = "text"
    number = "number"
    rag = "rag"
    date = "date"


class Column(Strict):
    key: str
    label: str | None = None
    kind: ColumnKind = ColumnKind.text

    @property
    def heading(self) -> str:
        return self.label or self.key


class Table(Strict):
    """A table from YAML rows or a CSV file beside the report; `kind: rag` columns are RAG."""

    caption: str | None = None
    file: str | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[dict[str, str | None]] = Field(default_factory=list)
    # Filled by the loader for a table read from `file`: the CSV's path and each row's line.
    source: str = Field(default="", exclude=True)
    row_lines: list[int] = Field(default_factory=list, exclude=True)

    @field_validator("columns", mode="before")
    @classmethod
    def _columns_as_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"key": c} if isinstance(c, str) else c for c in value]
        return value

    @model_validator(mode="after")
    def _columns_from_rows(self) -> Table:
        """Rows without declared columns show every key, in the order first met."""
        if not self.columns and self.rows:
            keys = dict.fromkeys(key for row in self.rows for key in row)
            self.columns = [Column(key=key) for key in keys]
        return self


class ChartKind(StrEnum):
    bar = "bar"
    horizontal_bar = "horizontal-bar"
    line = "line"


#: A chart value: finite, and small enough for a chart to draw (1e308 overflows its scale).
ChartValue = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]


class Series(Strict):
    name: str
    values: list[ChartValue]


class Chart(Strict):
    kind: ChartKind = ChartKind.bar
    title: str
    description: str = Field(description="text alternative: what the chart shows")
    x_label: str | None = None
    y_label: str | None = None
    categories: list[str]
    series: list[Series]

    @model_validator(mode="after")
    def _lengths_match(self) -> Chart:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series {s.name!r} has {len(s.values)} values for "
                    f"{len(self.categories)} categories"
                )
        return self


class Link(Strict):
    url: SafeUrl
    format: str | None = None
    size: str | None = None
    description: str | None = None


class Appendix(Publication):
    label: AppendixLabel
    title: str
    exempt: ExemptField = None
    text: str | None = None
    file: str | None = None
    table: Table | None = None
    chart: Chart | None = None
    link: Link | None = None
    link_only: bool = False
    note: str | None = None
    # Filled by the loader from `file`: the Markdown text read from disk.
    body: str | None = Field(default=None, exclude=True)
    report_id: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _has_content(self) -> Appendix:
        if not any((self.text, self.file, self.table, self.chart, self.link, self.note)):
            raise ValueError("an appendix needs one of: text, file, table, chart, link, note")
        if self.text and self.file:
            raise ValueError("give the appendix text inline (text) or in a file (file), not both")
        return self

    @property
    def id(self) -> str:
        return f"{self.report_id}/appendix-{self.label.lower()}"

    @property
    def slug(self) -> str:
        return f"appendix-{self.label.lower()}"

    @property
    def markdown(self) -> str | None:
        return self.text or self.body


class BackgroundPaper(Strict):
    title: str
    url: SafeUrl | None = None


class ReportVersion(Strict):
    """An earlier version of a report, replaced after publication, kept readable as it was.

    The version's text stays in `versions/<report-id>.v<n>.md` in the meeting folder (the
    whole report file as it was when replaced; v1 is the first), so nothing is rewritten
    and the earlier wording can be cited at its own address.
    """

    replaced: dt.date = Field(description="the day the next version replaced this one")
    note: str = Field(description="what changed, for readers")
    # Filled by the loader: the number (1 for the first entry) and the report as it was.
    number: int = Field(default=0, exclude=True)
    report: Report | None = Field(default=None, exclude=True)


class Author(Strict):
    """A report's author: a person in people.yml, or a name (and organisation) outside it."""

    person: Slug | None = None
    name: str | None = None
    title: str | None = None
    organisation: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: Any) -> Any:
        return {"person": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _someone(self) -> Author:
        if not (self.person or self.name or self.organisation):
            raise ValueError("an author is a person id, or a name and/or an organisation")
        return self


class RouteStep(Strict):
    """A body that considers the report (or will) and is not in the data: name and date."""

    body: str = Field(description="a body id, or the name of a body not in the data")
    date: dt.date
    outcome: str | None = None


class FromBody(Strict):
    """Recommendations the report carries from another body (e.g. a scrutiny committee)."""

    body: str
    date: dt.date | None = None
    text: str | None = None


class Numbering(StrEnum):
    written = "as-written"
    auto = "auto"


class RecommendationStyle(StrEnum):
    numbers = "1."
    numbers_paren = "1)"
    roman_paren = "i)"
    roman_both = "(i)"
    letters_paren = "a)"
    letters_both = "(a)"
    bullets = "bullets"


class Report(Publication):
    id: Slug
    title: str
    report_of: str
    author: Slug | None = None
    contact: Slug | None = None
    purpose: Purpose = Purpose.information
    exempt: ExemptField = None
    key_decision: bool = False
    wards: list[str] = Field(default_factory=list)
    forward_plan: str | None = None
    summary: str
    recommendations: list[str] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list)
    background_papers: list[BackgroundPaper] = Field(default_factory=list)
    report_number: str | None = Field(default=None, description='"17" for "Report No. 17"')
    companion: Slug | None = Field(default=None, description="the exempt (or public) companion")
    numbering: Numbering = Numbering.written
    recommendations_intro: str = "Members are asked to:"
    recommendations_style: RecommendationStyle = RecommendationStyle.numbers
    authors: list[Author] = Field(default_factory=list)
    implications: dict[str, str] = Field(default_factory=dict)
    portfolio: str | None = None
    cabinet_member: str | None = Field(default=None, description="person id or name")
    lead_officer: str | None = Field(default=None, description="person id or name")
    origin: str | None = Field(default=None, description="origin of the item")
    recommendations_from: FromBody | None = None
    route: list[RouteStep] = Field(default_factory=list)
    no_background_papers: bool = Field(default=False, exclude=True)
    # Filled by the loader: the Markdown after the front matter, and where it came from.
    body: str = Field(default="", exclude=True)
    body_line: int = Field(default=1, exclude=True)
    source: str = Field(default="", exclude=True)
    meeting_folder: str = Field(default="", exclude=True)
    versions: list[ReportVersion] = Field(
        default_factory=list, description="earlier versions, oldest first (see ReportVersion)"
    )

    @model_validator(mode="before")
    @classmethod
    def _background_papers_none(cls, value: Any) -> Any:
        """`background_papers: none` is what the report printed: "None", not an empty list."""
        papers = value.get("background_papers") if isinstance(value, dict) else None
        if isinstance(papers, str) and papers.strip().lower() == "none":
            return {**value, "background_papers": [], "no_background_papers": True}
        return value

    @property
    def contact_person(self) -> str | None:
        return self.contact or self.author

    def appendix(self, label: str) -> Appendix | None:
        return next((a for a in self.appendices if a.label == label), None)


ReportVersion.model_rebuild()
