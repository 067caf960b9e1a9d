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

from .base import (
    SLUG,
    AppendixLabel,
    ExemptField,
    Exemption,
    ItemNumber,
    Publication,
    Slug,
    Strict,
    exemption,
)
from .meetings import (
    DEFAULT_TITLES,
    AgendaItem,
    Attendee,
    Declaration,
    ItemKind,
    Meeting,
    MeetingStatus,
    MinuteItem,
    Minutes,
    Question,
    Resolution,
    Substitution,
)
from .papers import Papers
from .people import ROLE_ORDER, Body, BodyKind, Membership, Person, PersonKind, Role
from .reports import (
    Appendix,
    BackgroundPaper,
    Chart,
    ChartKind,
    Column,
    ColumnKind,
    Link,
    Purpose,
    Rag,
    Report,
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
    "BackgroundPaper",
    "Body",
    "BodyKind",
    "Chart",
    "ChartKind",
    "Column",
    "ColumnKind",
    "Contact",
    "Declaration",
    "ExemptField",
    "Exemption",
    "ItemKind",
    "ItemNumber",
    "Jurisdiction",
    "Link",
    "Meeting",
    "MeetingStatus",
    "Membership",
    "MinuteItem",
    "Minutes",
    "Papers",
    "Person",
    "PersonKind",
    "Publication",
    "Purpose",
    "Question",
    "Rag",
    "Report",
    "Resolution",
    "Role",
    "Series",
    "Signatory",
    "Site",
    "Slug",
    "Strict",
    "Substitution",
    "Table",
    "exemption",
]
