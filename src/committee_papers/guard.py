"""The leak guard: after a public build, prove that no exempt or unpublished text is in it.

Templates decide what a page shows, and a template can be wrong: one that loops over every
report would print exempt ones too. So the guard does not trust the templates. It collects
the words of every paper the public may not see, then reads every byte of the output
(HTML text, attributes and comments, the search index, sitemaps, compressed files, PDF
text) and fails the build, naming the file and the paper, if any of those words are there.

Words are compared as sentences of at least a few words, normalised (case, spacing, curly
quotes), so that markup, escaping or typography cannot hide a leak. A sentence that is also
in some public paper ("That the report be noted.") proves nothing and is left out.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import text
from .model import Meeting, Papers, Report
from .policy import Audience, Policy

_MIN_WORDS = 5
_MIN_CHARS = 24
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)
#: Files with no text to leak (images are checked through their alt text in the HTML).
_BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot"}


@dataclass(frozen=True)
class Secret:
    """The words of one paper (or part of one) that the public must not see."""

    paper: str
    fragments: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Leak:
    file: str
    paper: str
    fragment: str

    def __str__(self) -> str:
        return f'{self.file}: contains text of {self.paper}: "{self.fragment[:80]}"'


def normalise(words: str) -> str:
    return _SPACE.sub(" ", words.translate(_TYPOGRAPHY)).strip().casefold()


def fragments(markdown_text: str | None) -> set[str]:
    """The sentences of some Markdown long enough to identify it."""
    plain = text.plain_text(markdown_text).translate(_TYPOGRAPHY)
    found = set()
    for sentence in _SENTENCE_END.split(plain):
        sentence = normalise(sentence)
        if len(sentence) >= _MIN_CHARS and len(sentence.split()) >= _MIN_WORDS:
            found.add(sentence)
    return found


# --- what must not be seen ----------------------------------------------------------------


def _report_texts(report: Report) -> Iterator[str | None]:
    yield report.summary
    yield from report.recommendations
    yield report.body
    yield from report.implications.values()
    yield report.origin
    if report.recommendations_from:
        yield report.recommendations_from.text
    for appendix in report.appendices:
        yield from _appendix_texts(appendix)


def _appendix_texts(appendix: Any) -> Iterator[str | None]:
    yield appendix.markdown
    yield appendix.note
    if appendix.table:
        for row in appendix.table.rows:
            yield " ".join(str(v) for v in row.values() if v)
    if appendix.chart:
        yield appendix.chart.description
    if appendix.link:
        yield appendix.link.description


def _minute_texts(entry: Any) -> Iterator[str | None]:
    yield entry.text
    for question in entry.questions:
        yield question.question
        yield question.answer
    for resolution in entry.resolutions:
        yield resolution.text
    yield from entry.corrections
    for block in entry.content:
        yield from (block.text, block.question, block.answer, *(block.resolved or []))
    if entry.recommendations_to:
        yield from entry.recommendations_to.text


def _collect(papers: Papers, policy: Policy) -> tuple[list[tuple[str, list[str | None]]], set[str]]:
    """(paper, its texts) for everything withheld, and the fragments of everything shown."""
    withheld: list[tuple[str, list[str | None]]] = []
    shown: list[str | None] = []
    for report in papers.reports.values():
        if not policy.show_report(report):
            withheld.append((f"report {report.id!r}", list(_report_texts(report))))
            continue
        shown.extend([report.summary, *report.recommendations, report.body])
        for appendix in report.appendices:
            texts = list(_appendix_texts(appendix))
            if policy.show_appendix(report, appendix):
                shown.extend(texts)
            else:
                withheld.append((f"appendix {appendix.label} of report {report.id!r}", texts))
    for meeting in papers.meetings.values():
        _collect_agenda(meeting, policy, withheld, shown)
        _collect_minutes(meeting, policy, withheld, shown)
    public = set().union(*(fragments(t) for t in shown)) if shown else set()
    return withheld, public


_Withheld = list[tuple[str, list[str | None]]]


def _collect_agenda(meeting: Meeting, policy: Policy, withheld: _Withheld, shown: list) -> None:
    for item in meeting.agenda:
        texts = [item.description, item.notes]
        if policy.show_agenda(meeting) and policy.show_item_detail(item):
            shown.extend(texts)
        else:
            withheld.append((f"agenda item {item.number} of meeting {meeting.id!r}", texts))


def _collect_minutes(meeting: Meeting, policy: Policy, withheld: _Withheld, shown: list) -> None:
    minutes = meeting.minutes
    if minutes is None:
        return
    for entry in minutes.items:
        texts = list(_minute_texts(entry))
        if policy.show_minutes(meeting) and policy.show_minute_item(meeting, entry):
            shown.extend(texts)
        else:
            withheld.append((f"minute {entry.item} of meeting {meeting.id!r}", texts))


def secrets(papers: Papers, as_of: Any) -> list[Secret]:
    """Every withheld paper with the sentences that would give it away."""
    policy = Policy(papers, Audience.public, as_of)
    withheld, public = _collect(papers, policy)
    found = []
    for paper, texts in withheld:
        own = set().union(*(fragments(t) for t in texts)) - public
        if own:
            found.append(Secret(paper, tuple(sorted(own))))
    return found


# --- reading every output file ------------------------------------------------------------


def readable_text(path: Path) -> Iterator[str]:
    """The text a reader or a machine could get from one output file, in every form."""
    suffix = path.suffix.lower()
    if suffix in _BINARY:
        return
    data = path.read_bytes()
    if suffix == ".gz":
        data, suffix = gzip.decompress(data), Path(path.stem).suffix.lower()
    if suffix == ".pdf":
        yield from _pdf_text(data)
        return
    raw = data.decode("utf-8", errors="replace")
    if suffix == ".json":
        with contextlib.suppress(ValueError):
            yield from _json_strings(json.loads(raw))
    yield html.unescape(raw)  # attributes, comments, scripts: everything in the file
    if suffix in {".html", ".htm", ".xml", ".svg", ".json"}:
        yield html.unescape(_TAG.sub(" ", raw))  # the text as read, markup removed


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        yield html.unescape(_TAG.sub(" ", value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _pdf_text(data: bytes) -> Iterator[str]:
    """Text of a PDF. Without pypdf, the raw streams (inflated) are read instead."""
    try:
        import io

        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
            try:
                yield zlib.decompress(stream).decode("latin-1")
            except zlib.error:
                yield stream.decode("latin-1")
        return
    reader = PdfReader(io.BytesIO(data))
    yield " ".join(page.extract_text() or "" for page in reader.pages)
    yield str(reader.metadata or "")


def scan(site_dir: Path, found: Iterable[Secret]) -> list[Leak]:
    """Every place in `site_dir` where a withheld paper's words appear."""
    secret_list = list(found)
    leaks: set[Leak] = set()
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        texts = [normalise(t) for t in readable_text(path)]
        for secret in secret_list:
            for fragment in secret.fragments:
                if any(fragment in t for t in texts):
                    leaks.add(Leak(str(path.relative_to(site_dir)), secret.paper, fragment))
                    break
    return sorted(leaks)


def check_site(site_dir: Path, papers: Papers, as_of: Any) -> list[Leak]:
    """The guard: leaks of exempt or unpublished text in a public site (empty when clean)."""
    return scan(site_dir, secrets(papers, as_of))
