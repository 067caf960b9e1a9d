"""`papers import report.docx`: an officer's Word report made into the project's format.

Word goes to HTML with mammoth (maintained, and driven by the document's styles, so
headings stay headings; its own Markdown output is deprecated), the HTML is tidied here
with BeautifulSoup (the cover table read into front-matter fields, Summary and
Recommendations sections lifted out, headings moved under the page's own, captions added),
and markdownify turns the rest into Markdown with pipe tables. Whatever could not be placed
in a field is returned as one line each, for the clerk to finish by hand.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mammoth
from bs4 import BeautifulSoup, Tag
from markdownify import markdownify

from ..model import Papers, Purpose
from .scaffold import (
    TODO,
    ClerkError,
    add_to_agenda,
    check_report_id,
    dump_yaml,
    slugify,
    write_new,
)

#: Word's "Title" style (often used for the report's subject) becomes a heading we can find.
STYLE_MAP = "p[style-name='Title'] => h1.title:fresh\np[style-name='Subtitle'] => h2:fresh"

#: Labels of cover-table cells, as councils write them, and the field each fills.
COVER_LABELS = {
    "subject": "title",
    "title": "title",
    "report title": "title",
    "report of": "report_of",
    "report from": "report_of",
    "lead officer": "report_of",
    "from": "report_of",
    "report author": "author",
    "author": "author",
    "contact officer": "author",
    "contact officers": "author",
    "purpose": "purpose",
    "purpose of report": "purpose",
    "wards": "wards",
    "wards affected": "wards",
    "ward": "wards",
    "key decision": "key_decision",
    "forward plan": "forward_plan",
    "forward plan reference": "forward_plan",
    "forward plan ref": "forward_plan",
    "summary": "summary",
    "executive summary": "summary",
    "recommendation": "recommendations",
    "recommendations": "recommendations",
}

#: Body sections lifted into front-matter fields (their heading text, numbers stripped).
SECTIONS = {
    "summary": "summary",
    "executive summary": "summary",
    "recommendation": "recommendations",
    "recommendations": "recommendations",
}

_PURPOSE = re.compile(r"\b(decision|information|discussion)\b", re.I)
_LEAD_IN = re.compile(r"(asked|invited|recommended)\b.*:\s*$", re.I)


@dataclass
class Imported:
    """The report written, and what the clerk still has to place by hand."""

    path: Path
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_report(
    papers: Papers,
    data: Path,
    docx: Path,
    meeting_id: str,
    report_id: str | None = None,
    force: bool = False,
    progress: Any = None,
) -> Imported:
    """Convert `docx` into data/meetings/<meeting>/<id>.md and add it to the agenda."""
    from .scaffold import _meeting  # one lookup, one message for an unknown meeting

    say = progress or (lambda _message: None)
    meeting = _meeting(papers, meeting_id)
    folder = data / "meetings" / meeting_id
    images: list[tuple[str, bytes]] = []

    def image(picture: Any) -> dict[str, str]:
        extension = (picture.content_type or "image/png").split("/")[-1].replace("jpeg", "jpg")
        with picture.open() as stream:
            images.append((extension, stream.read()))
        attributes = {"src": f"__image_{len(images)}__"}
        if picture.alt_text:
            attributes["alt"] = picture.alt_text
        return attributes

    say(f"Reading {docx.name}")
    try:
        with docx.open("rb") as stream:
            result = mammoth.convert_to_html(
                stream, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(image)
            )
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ClerkError(
            f"{docx}: is not a Word document (.docx) that can be read ({error})"
        ) from None
    soup = BeautifulSoup(result.value, "html.parser")
    unmapped: list[str] = []
    fields: dict[str, Any] = {}
    say("Reading the cover table")
    _read_cover(soup, fields, unmapped, papers)
    if "title" not in fields:
        heading = soup.find(["h1"])
        if heading is not None:
            fields["title"] = _text(heading)
            heading.decompose()
    say("Lifting the summary and recommendations")
    _lift_sections(soup, fields)
    report_id = check_report_id(
        papers, meeting_id, report_id or slugify(fields.get("title") or docx.stem), force
    )
    say("Converting the text")
    _shift_headings(soup)
    _escape_numbers(soup)
    _caption_tables(soup)
    names = _place_images(soup, images, folder, report_id, unmapped)
    body = markdownify(
        str(soup), heading_style="ATX", bullets="-", table_infer_header=True, escape_misc=False
    ).strip()
    body = re.sub(r"\n{3,}", "\n\n", body) + "\n"
    front = _front_matter(fields, docx, unmapped)
    path = folder / f"{report_id}.md"
    text = (
        f"---\n# Imported from {docx.name} by `papers import`. Check it against the original,\n"
        "# fill in each placeholder and remove `draft: true` when it is ready to publish.\n"
        + dump_yaml(front)
        + "---\n"
        + body
    )
    write_new(path, text, force)
    for name, data_bytes in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data_bytes)
    imported = Imported(path, unmapped)
    imported.notes.extend(add_to_agenda(data, meeting, report_id))
    imported.notes.extend(f"converter: {m.message}" for m in result.messages if m.type != "info")
    return imported


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _label(text: str) -> str:
    """'Report author(s):' -> 'report author': the form COVER_LABELS is keyed by."""
    words = re.sub(r"\(s\)", "", text.lower()).strip().rstrip(":").strip()
    return re.sub(r"^\d+[.)]?\s*", "", words)


def _cover_table(soup: BeautifulSoup) -> Tag | None:
    """The first table before any heading whose cells name at least two cover fields."""
    for table in soup.find_all("table"):
        heading = table.find_previous(["h1", "h2", "h3"])
        if heading is not None and "title" not in (heading.get("class") or []):
            return None
        cells = [_text(c) for c in table.find_all(["td", "th"])]
        hits = sum(1 for c in cells if _label(c.split(":")[0]) in COVER_LABELS)
        if hits >= 2:
            return table
    return None


def _read_cover(
    soup: BeautifulSoup, fields: dict[str, Any], unmapped: list[str], papers: Papers
) -> None:
    table = _cover_table(soup)
    if table is None:
        unmapped.append("no cover table found: fill in report_of, purpose and the rest by hand")
        return
    for row in table.find_all("tr"):
        cells = row.find_all(["td", "th"])
        index, left = 0, []
        while index < len(cells):
            cell = cells[index]
            text = _text(cell)
            label, _, rest = text.partition(":")
            name = COVER_LABELS.get(_label(label))
            if name and not rest.strip() and index + 1 < len(cells):
                value_cell = cells[index + 1]
                _set(fields, name, value_cell, _text(value_cell), unmapped, papers, label)
                index += 2
                continue
            if name and rest.strip():
                _set(fields, name, cell, rest.strip(), unmapped, papers, label)
            elif text and _PURPOSE.fullmatch(text.lower().removeprefix("for ").strip()):
                fields.setdefault("purpose", _PURPOSE.search(text).group(1).lower())
            elif text and text.lower() not in {"public", "open", "part 1"}:
                left.append(text)
            index += 1
        if left:
            unmapped.append("cover: " + " | ".join(left))
    table.decompose()


def _set(
    fields: dict[str, Any],
    name: str,
    cell: Tag,
    value: str,
    unmapped: list[str],
    papers: Papers,
    label: str,
) -> None:
    """Put one cover value into its field, or say why it could not go there."""
    if not value:
        return
    if name == "purpose":
        found = _PURPOSE.search(value)
        if found:
            fields["purpose"] = found.group(1).lower()
        else:
            unmapped.append(
                f"cover: {label.strip()}: {value} (purpose is decision, information "
                "or discussion; the text may belong in the summary)"
            )
    elif name == "author":
        person = _person(papers, value)
        if person:
            fields["author"] = person
        else:
            unmapped.append(
                f"cover: {label.strip()}: {value} (no such person in people.yml; "
                "add them and set author:)"
            )
    elif name == "wards":
        fields["wards"] = [w.strip() for w in re.split(r"[,;]|\band\b", value) if w.strip()]
    elif name == "key_decision":
        answer = value.lower()
        if answer.startswith(("yes", "no")):
            fields["key_decision"] = answer.startswith("yes")
        else:
            unmapped.append(f"cover: {label.strip()}: {value} (expected Yes or No)")
    elif name == "recommendations":
        fields["recommendations"] = _recommendations(cell)
    else:
        fields[name] = value


def _person(papers: Papers, text: str) -> str | None:
    """The id of the person whose name begins the text ('Ruth Okafor, Director of ...')."""
    lowered = text.lower()
    for person in papers.people.values():
        if lowered.startswith(person.name.lower()):
            return person.id
    return None


def _recommendations(container: Tag) -> list[str]:
    """List items if there are any, else paragraphs, without the 'Members are asked to:' lead."""
    items = [_text(li) for li in container.find_all("li")]
    if not items:
        items = [_text(p) for p in container.find_all("p")] or [_text(container)]
    return [i for i in items if i and not _LEAD_IN.search(i)]


def _lift_sections(soup: BeautifulSoup, fields: dict[str, Any]) -> None:
    """Move 'Summary' and 'Recommendations' sections of the body into their fields."""
    for heading in soup.find_all(re.compile(r"^h[1-6]$")):
        name = SECTIONS.get(_label(_text(heading)))
        if name is None or name in fields:
            continue
        level = int(heading.name[1])
        content: list[Tag] = []
        for sibling in heading.find_next_siblings():
            if re.fullmatch(r"h[1-6]", sibling.name or "") and int(sibling.name[1]) <= level:
                break
            content.append(sibling)
        holder = BeautifulSoup("<div></div>", "html.parser").div
        for element in content:
            holder.append(element.extract())
        if name == "summary":
            paragraphs = [_text(p) for p in holder.find_all(["p", "li"])]
            fields["summary"] = "\n\n".join(p for p in paragraphs if p)
        else:
            fields["recommendations"] = _recommendations(holder)
        heading.decompose()


def _shift_headings(soup: BeautifulSoup) -> None:
    """The report's top headings become `##`: the page's own title is the only h1."""
    headings = soup.find_all(re.compile(r"^h[1-6]$"))
    if not headings:
        return
    shift = 2 - min(int(h.name[1]) for h in headings)
    for heading in headings:
        heading.name = f"h{min(max(int(heading.name[1]) + shift, 2), 6)}"


def _escape_numbers(soup: BeautifulSoup) -> None:
    """An officer's '3. Text' paragraph keeps its number as text, not as a Markdown list."""
    for paragraph in soup.find_all("p"):
        first = paragraph.find(string=True)
        if first is not None and re.match(r"\s*\d+\.\s", first):
            first.replace_with(re.sub(r"^(\s*\d+)\.", r"\1\\.", first, count=1))


def _caption_tables(soup: BeautifulSoup) -> None:
    """Every table needs a caption: a 'Table ...' paragraph above it, or a placeholder."""
    for table in soup.find_all("table"):
        before = table.find_previous_sibling()
        words = _text(before) if before is not None and before.name == "p" else ""
        if re.match(r"table\b", words, re.I):
            before.string = "Table: " + re.sub(r"^table:\s*", "", words, flags=re.I)
        else:
            caption = soup.new_tag("p")
            caption.string = f"Table: {TODO} what the table shows"
            table.insert_before(caption)


def _place_images(
    soup: BeautifulSoup,
    images: list[tuple[str, bytes]],
    folder: Path,
    report_id: str,
    unmapped: list[str],
) -> list[tuple[str, bytes]]:
    """Give each image its file name in the meeting folder; note the ones without alt text."""
    names = []
    for number, (extension, content) in enumerate(images, start=1):
        name = f"images/{report_id}-{number}.{extension}"
        names.append((name, content))
        tag = soup.find("img", src=f"__image_{number}__")
        if tag is None:
            continue
        tag["src"] = name
        if not tag.get("alt"):
            tag["alt"] = f"{TODO} describe image {number}"
            unmapped.append(f"image {number} ({name}) has no alt text: describe it")
    return names


def _front_matter(fields: dict[str, Any], docx: Path, unmapped: list[str]) -> dict[str, Any]:
    """Fields in the order of docs/data.md, with placeholders where Word gave nothing."""
    front: dict[str, Any] = {"title": fields.get("title") or docx.stem}
    if "title" not in fields:
        unmapped.append(f"no title found: the file name {docx.stem!r} was used")
    if "report_of" not in fields:
        unmapped.append("no 'Report of' found: report_of is a placeholder")
    front["report_of"] = fields.get("report_of", f"{TODO} who the report is from")
    for name in ("author", "purpose", "key_decision", "wards", "forward_plan"):
        if name in fields:
            front[name] = fields[name]
    if "purpose" not in front:
        front["purpose"] = Purpose.information.value
        unmapped.append("no purpose found: set purpose (decision, information or discussion)")
    front["draft"] = True
    if "summary" not in fields:
        unmapped.append("no summary found: summary is a placeholder")
    front["summary"] = fields.get("summary") or f"{TODO} a summary of the report."
    if fields.get("recommendations"):
        front["recommendations"] = fields["recommendations"]
    return front
