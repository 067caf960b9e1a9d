"""The validated model of a council's papers.

These classes are the single description of what a clerk may write in `data/`: every field,
its type and its default, one module per part of the domain (site, people, reports,
meetings). They know nothing of HTML or MkDocs; `load.py` fills them from
files and `links.py` checks the references between them.

Identifiers are stable and readable because they become URLs and, later, open-data ids:
people and bodies by their key, meetings by their folder name, reports by their file name,
appendices by report id plus label.
"""

from __future__ import annotations

from .base import SLUG, AppendixLabel, ItemNumber, Publication, Slug, Strict
from .meetings import (
    DEFAULT_TITLES,
    AgendaItem,
    Attendee,
    Declaration,
    EarlierMinutes,
    ItemKind,
    Meeting,
    MeetingStatus,
    MinuteBlock,
    MinuteItem,
    Minutes,
    OnwardRecommendation,
    Question,
    Resolution,
    Substitution,
)
from .papers import Papers
from .people import ROLE_ORDER, Body, BodyKind, Membership, Person, PersonKind, Role
from .reports import (
    Appendix,
    Author,
    BackgroundPaper,
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    FromBody,
    Link,
    Numbering,
    Purpose,
    Rag,
    RecommendationStyle,
    Report,
    RouteStep,
    Series,
    Table,
)
from .site import Accessibility, Contact, Jurisdiction, Signatory, Site

__all__ = [
    "DEFAULT_TITLES",
    "ROLE_ORDER",
    "SLUG",
    "Accessibility",
    "AgendaItem",
    "Appendix",
    "AppendixLabel",
    "Attendee",
    "Author",
    "BackgroundPaper",
    "Body",
    "BodyKind",
    "Chart",
    "ChartKind",
    "Column",
    "ColumnKind",
    "Contact",
    "Declaration",
    "EarlierMinutes",
    "FromBody",
    "ItemKind",
    "ItemNumber",
    "Jurisdiction",
    "Link",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "MinuteBlock",
    "MinuteItem",
    "Minutes",
    "Numbering",
    "OnwardRecommendation",
    "Papers",
    "Person",
    "PersonKind",
    "Publication",
    "Purpose",
    "Question",
    "Rag",
    "RecommendationStyle",
    "Report",
    "Resolution",
    "Role",
    "RouteStep",
    "Series",
    "Signatory",
    "Site",
    "Slug",
    "Strict",
    "Substitution",
    "Table",
]
