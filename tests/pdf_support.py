"""Reading produced PDFs as a reader would: page text, page numbers, bookmarks, ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader

BLANK = "This page is intentionally left blank"
RANGE = re.compile(r"\(Pages (\d+) - (\d+)\)")


@dataclass
class Mark:
    level: int
    title: str
    index: int  # 0-based page index
    children: list[Mark] = field(default_factory=list)


class Pack:
    """A pack read back with pypdf."""

    def __init__(self, path: Path):
        self.path = path
        self.reader = PdfReader(str(path))
        self.texts = [" ".join((p.extract_text() or "").split()) for p in self.reader.pages]
        found = re.search(r"Page (\d+)", self.texts[0])
        assert found, f"{path}: no page number on the first page"
        self.first = int(found.group(1))
        self.marks = self._marks(self.reader.outline, 1)

    def _marks(self, outline: list[Any], level: int) -> list[Mark]:
        marks: list[Mark] = []
        for entry in outline:
            if isinstance(entry, list):
                marks[-1].children = self._marks(entry, level + 1)
            else:
                index = self.reader.get_destination_page_number(entry)
                marks.append(Mark(level, entry.title, index))
        return marks

    @property
    def pages(self) -> int:
        return len(self.texts)

    def number(self, index: int) -> int:
        return self.first + index

    def blank(self, index: int) -> bool:
        return BLANK in self.texts[index]

    def items(self) -> list[Mark]:
        """The level-1 bookmarks of documents (after the front sheet and the agenda)."""
        return [m for m in self.marks if m.title not in ("Front sheet", "Agenda")]

    def real_ranges(self) -> dict[str, tuple[int, int]]:
        """Item number -> (first page, last page) of its documents, from the layout read back."""
        items = self.items()
        ranges: dict[str, tuple[int, int]] = {}
        for i, mark in enumerate(items):
            end = items[i + 1].index - 1 if i + 1 < len(items) else self.pages - 1
            while self.blank(end):
                end -= 1
            ranges[mark.title.split(".")[0]] = (self.number(mark.index), self.number(end))
        return ranges

    def agenda_text(self) -> str:
        """The text of the pack's own agenda, up to its first document."""
        agenda = next(m for m in self.marks if m.title == "Agenda")
        stop = self.items()[0].index if self.items() else self.pages
        return " ".join(self.texts[agenda.index : stop])

    def agenda_ranges(self) -> list[tuple[int, int]]:
        """The ranges printed on the pack's own agenda, in order."""
        return [(int(a), int(b)) for a, b in RANGE.findall(self.agenda_text())]
