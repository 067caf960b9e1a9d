"""A synthetic council archive in the project's own data format, for benchmarks.

    python bench/archive.py OUT [--meetings 3200] [--bodies 40] [--reports 8] [--words 1000]
                               [--years N]

Writes site.yml, people.yml, bodies/ and meetings/<id>/ (meeting.yml with an agenda, reports
with numbered text, minutes, appendices with CSV tables, some Part 2 items) into OUT. Text
comes from a vocabulary of a few thousand words drawn with Zipf-like frequencies, so search
indexes and compression behave as they do on real papers, not on random noise.

The archive counts back from its newest meeting: meeting k (0 = newest) has the same date,
body and text whatever `--meetings` is, so a 100-meeting archive is the newest 100 meetings
of the full one and a page can be compared between the two. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from itertools import accumulate
from pathlib import Path

from committee_papers.workdays import latest_publication

#: Ten years of 3,200 meetings: one meeting every 1.14 days on average.
MEETINGS_PER_YEAR = 320
NEWEST = dt.date(2026, 12, 9)
AS_OF = dt.date(2026, 11, 23)

# Common words first (they take the top Zipf ranks), then the invented stems below.
COMMON_WORDS = """
the of and to a in that is for be on as with by this will are it from at which council or
an have has not report be been would its their members committee services service budget
year plan should these also more other new any were all can officers such into may within
each under over there than where they per cent housing planning review policy funding
costs residents public district local area scheme support management proposed approved
current financial risk delivery contract period work development programme data option
options recommendation approval decision information community provision strategy
performance team community works capital revenue savings income team targets quarter
annual consultation equality legal implications environment climate transport waste
parking leisure licensing audit assurance governance health safety staff employees tenants
homes properties land site application applications accommodation
"""
COMMON = COMMON_WORDS.split()
SYLLABLES_WORDS = """
ba be bi bo bu ca ce co cu da de di do du fa fe fi fo ga ge go la le li lo lu ma me mi mo
mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa
we wi wo bran cal dor fen gar hol mar nor pen ros ster thorn val wen
"""
SYLLABLES = SYLLABLES_WORDS.split()
ENDINGS = ["", "", "s", "ed", "ing", "ion", "ment", "al", "ity", "er", "ly", "ance"]
HEADINGS = [
    "Background",
    "Current position",
    "Options considered",
    "Financial implications",
    "Legal implications",
    "Equality implications",
    "Risks",
    "Consultation",
    "Climate and environment",
    "Next steps",
]
BODY_NAMES = [
    "Planning",
    "Licensing",
    "Audit and Governance",
    "Overview and Scrutiny",
    "Housing Scrutiny",
    "Standards",
    "Employment",
    "Appeals",
    "Environment Scrutiny",
    "Community Safety",
    "Health and Wellbeing",
    "Pensions",
    "Regeneration",
    "Transport",
    "Corporate Parenting",
    "Climate",
]
FIRST_WORDS = "Ruth Daniel Priya Tom Grace Martin Susan James Elaine Nikhil Carol Owen Fiona Harry"
FIRST = FIRST_WORDS.split()
LAST_WORDS = """
Okafor Price Sharma Whitfield Adeyemi Hale Kerr Boateng Foster Rao Dempsey Pryce
"""
LAST = LAST_WORDS.split()
PARTIES = ["Liberal Democrats", "Conservative", "Labour", "Green Party", "Independent"]
WARDS = ["Abbey", "Castle", "Millfield", "Riverside", "Northgate", "Hollins", "Westbury"]


def vocabulary(seed: int, size: int = 6000) -> tuple[list[str], list[float]]:
    """`size` distinct words and their cumulative Zipf weights (rank r has weight 1/r^1.07)."""
    rng = random.Random(seed)
    words = list(dict.fromkeys(COMMON))
    seen = set(words)
    while len(words) < size:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        word = stem + rng.choice(ENDINGS)
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1 / (rank**1.07) for rank in range(1, size + 1)]
    return words, list(accumulate(weights))


class Writer:
    """Draws text from the vocabulary with one random stream per paper."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.words, self.cum = vocabulary(seed)

    def rng(self, *key: object) -> random.Random:
        return random.Random(f"{self.seed}:" + ":".join(map(str, key)))

    def sentence(self, rng: random.Random, lo: int = 8, hi: int = 22) -> str:
        words = rng.choices(self.words, cum_weights=self.cum, k=rng.randint(lo, hi))
        return (" ".join(words)).capitalize() + "."

    def paragraph(self, rng: random.Random, words: int) -> str:
        out: list[str] = []
        count = 0
        while count < words:
            s = self.sentence(rng)
            out.append(s)
            count += s.count(" ") + 1
        return " ".join(out)

    def phrase(self, rng: random.Random, lo: int = 3, hi: int = 7) -> str:
        words = rng.choices(self.words, cum_weights=self.cum, k=rng.randint(lo, hi))
        return " ".join(words).capitalize()


def slug(text: str) -> str:
    return "-".join(text.lower().replace(" and ", " ").split())


def bodies(count: int) -> list[tuple[str, str, str]]:
    """(id, name, kind) of each body: Council, Cabinet, then committees and sub-committees."""
    out = [("council", "Council", "council"), ("cabinet", "Cabinet", "cabinet")]
    i = 0
    while len(out) < count:
        base = BODY_NAMES[i % len(BODY_NAMES)]
        n = i // len(BODY_NAMES)
        name = f"{base} Committee" if n == 0 else f"{base} Sub-Committee {n}"
        out.append((slug(name), name, "committee" if n == 0 else "sub-committee"))
        i += 1
    return out[:count]


def people(count_members: int = 120, count_officers: int = 60) -> list[dict[str, str]]:
    out = []
    for i in range(count_members):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        out.append(
            {
                "id": f"{slug(name)}-{i}",
                "name": name,
                "honorific": "Cllr",
                "kind": "member",
                "party": PARTIES[i % len(PARTIES)],
                "ward": WARDS[i % len(WARDS)],
            }
        )
    for i in range(count_officers):
        name = f"{FIRST[(i + 3) % len(FIRST)]} {LAST[(i + 5) % len(LAST)]}"
        out.append(
            {
                "id": f"officer-{slug(name)}-{i}",
                "name": name,
                "kind": "officer",
                "title": f"Head of {BODY_NAMES[i % len(BODY_NAMES)]}",
            }
        )
    return out


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    import json

    return json.dumps(text)


def write_archive(
    out: Path,
    meetings: int = 3200,
    body_count: int = 40,
    reports: int = 8,
    words: int = 1000,
    seed: int = 1,
    years: float | None = None,
) -> Path:
    """Write the archive into `out` (replacing it) and return it."""
    if out.exists():
        shutil.rmtree(out)
    (out / "bodies").mkdir(parents=True)
    (out / "meetings").mkdir()
    w = Writer(seed)
    (out / "site.yml").write_text(
        "council: Synthetic District Council\nshort_name: Synthetic\nlanguage: en-GB\n"
        "jurisdiction: england\ncontact:\n  email: democratic.services@synthetic.example\n"
        "accessibility:\n  statement_prepared: 2026-11-20\n",
        encoding="utf-8",
    )
    folk = people()
    members = [p for p in folk if p["kind"] == "member"]
    officers = [p for p in folk if p["kind"] == "officer"]
    lines = []
    for p in folk:
        fields = ", ".join(f"{k}: {q(v)}" for k, v in p.items() if k != "id")
        lines.append(f"{p['id']}: {{{fields}}}")
    (out / "people.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    all_bodies = bodies(body_count)
    panels: dict[str, list[str]] = {}
    for index, (body_id, name, kind) in enumerate(all_bodies):
        rng = w.rng("body", body_id)
        size = len(members) if kind == "council" else rng.randint(7, 12)
        panel = members if kind == "council" else rng.sample(members, size)
        panels[body_id] = [p["id"] for p in panel]
        roles = ["chair", "vice-chair"] + ["member"] * (len(panel) - 2)
        ms = "\n".join(
            f"  - {{person: {p['id']}, role: {role}, start: 2016-05-20}}"
            for p, role in zip(panel, roles, strict=True)
        )
        (out / "bodies" / f"{body_id}.yml").write_text(
            f"name: {q(name)}\nkind: {kind}\npurpose: {q(w.paragraph(rng, 40))}\n"
            f"clerk: {officers[index % len(officers)]['id']}\n"
            f"default_venue: Committee Room {index % 4 + 1}\nmemberships:\n{ms}\n",
            encoding="utf-8",
        )
    # Days between meetings: the full archive's pace, or `meetings` spread over `years`.
    span = 365.25 * years / meetings if years else 365.25 / MEETINGS_PER_YEAR
    ids: list[str] = []
    for k in range(meetings):
        day = NEWEST - dt.timedelta(days=int(k * span))
        body_id = all_bodies[k % len(all_bodies)][0]
        ids.append(f"{day.isoformat()}-{body_id}")
    for k in range(meetings):
        previous = ids[k + len(all_bodies)] if k + len(all_bodies) < meetings else None
        _meeting(out, w, k, ids[k], previous, panels, officers, reports, words)
    return out


def _meeting(
    out: Path,
    w: Writer,
    k: int,
    meeting_id: str,
    previous: str | None,
    panels: dict[str, list[str]],
    officers: list[dict[str, str]],
    reports: int,
    words: int,
) -> None:
    rng = w.rng("meeting", k)
    day = dt.date.fromisoformat(meeting_id[:10])
    body_id = meeting_id[11:]
    folder = out / "meetings" / meeting_id
    (folder / "appendices").mkdir(parents=True)
    held = day < AS_OF
    part2 = rng.random() < 0.15
    agenda = ['  - {number: "1", kind: apologies}', '  - {number: "2", kind: declarations}']
    minute_items = [
        '  - {item: "1", text: "There were no apologies."}',
        '  - {item: "2", text: "No interests were declared."}',
    ]
    number = 3
    if previous:
        agenda.append(f'  - {{number: "{number}", kind: minutes, minutes_of: {previous}}}')
        minute_items.append(
            f'  - {{item: "{number}", resolutions: ["That the minutes be approved."]}}'
        )
        number += 1
    count = reports - 1 if part2 else reports
    for r in range(reports):
        exempt = part2 and r == reports - 1
        report_id = f"{meeting_id}-r{r + 1}"
        purpose = rng.choice(("decision", "information", "discussion"))
        if exempt:
            agenda.append(f'  - {{number: "{number}", kind: exclusion, purpose: decision}}')
            minute_items.append(
                f'  - {{item: "{number}", resolutions: ["That the public be excluded."]}}'
            )
            number += 1
        part = ', part: 2, exempt: ["3"]' if exempt else ""
        agenda.append(f'  - {{number: "{number}", report: {report_id}, purpose: {purpose}{part}}}')
        extra = ', exempt: ["3"]' if exempt else ""
        minute_items.append(
            f'  - {{item: "{number}", text: {q(w.paragraph(rng, 40))}{extra}, '
            f"resolutions: [{q('That ' + w.phrase(rng, 6, 14).lower() + '.')}]}}"
        )
        number += 1
        _report(folder, w, rng, report_id, purpose, exempt, officers, words)
    assert count <= reports
    # Published on the last lawful day: five clear working days, bank holidays counted.
    published = latest_publication(day, 5, "england")
    status = "held" if held else "scheduled"
    (folder / "meeting.yml").write_text(
        f'body: {body_id}\ndate: {day.isoformat()}\nstart: "18:30"\nstatus: {status}\n'
        f"published: {published.isoformat()}\nagenda:\n" + "\n".join(agenda) + "\n",
        encoding="utf-8",
    )
    if held:
        panel = panels[body_id]
        present = rng.sample(panel, max(3, len(panel) * 3 // 4)) if len(panel) > 3 else panel
        (folder / "minutes.yml").write_text(
            f'started: "18:30"\nended: "20:{rng.randint(10, 59)}"\nchair: {panel[0]}\n'
            f"present: [{', '.join(sorted(set(present) | {panel[0]}))}]\n"
            "items:\n" + "\n".join(minute_items) + "\n",
            encoding="utf-8",
        )


def _report(
    folder: Path,
    w: Writer,
    rng: random.Random,
    report_id: str,
    purpose: str,
    exempt: bool,
    officers: list[dict[str, str]],
    words: int,
) -> None:
    author = rng.choice(officers)
    title = w.phrase(rng, 3, 8)
    front = [
        "---",
        f"title: {q(title)}",
        f"report_of: {q(author['title'])}",
        f"author: {author['id']}",
        f"purpose: {purpose}",
    ]
    if exempt:
        front.append('exempt: ["3"]')
    front += [
        f"summary: {q(w.paragraph(rng, 40))}",
        "recommendations:",
        f"  - {q(w.sentence(rng, 8, 15))}",
        f"  - {q(w.sentence(rng, 8, 15))}",
    ]
    if rng.random() < 0.4:
        csv_name = f"{report_id}.csv"
        rows = ["Ref,Service,Budget,Forecast,Status"]
        for i in range(rng.randint(6, 14)):
            service = w.phrase(rng, 2, 4)
            budget = rng.randint(10, 5000)
            forecast = budget + rng.randint(-200, 200)
            status = rng.choice(("Red", "Amber", "Green", "Blue"))
            rows.append(f"{report_id[-2:].upper()}-{i + 1},{service},{budget},{forecast},{status}")
        (folder / "appendices" / csv_name).write_text("\n".join(rows) + "\n", encoding="utf-8")
        front += [
            "appendices:",
            '  - label: "1"',
            f"    title: {q(w.phrase(rng, 3, 6))}",
            "    table:",
            f"      caption: {q(w.phrase(rng, 4, 8))}",
            f"      file: appendices/{csv_name}",
            "      columns:",
            "        - {key: Ref}",
            "        - {key: Service}",
            "        - {key: Budget, kind: number}",
            "        - {key: Forecast, kind: number}",
            "        - {key: Status, kind: rag}",
        ]
        if rng.random() < 0.3:
            front += [
                '  - label: "2"',
                f"    title: {q(w.phrase(rng, 3, 6))}",
                f"    text: {q(w.paragraph(rng, 120))}",
            ]
    front.append("---")
    body: list[str] = []
    remaining = words - 80
    headings = rng.sample(HEADINGS, 4)
    per_section = max(40, remaining // len(headings))
    for heading in headings:
        body.append(f"## {heading}")
        left = per_section
        while left > 0:
            size = rng.randint(50, 110)
            body.append(w.paragraph(rng, size))
            left -= size
    (folder / f"{report_id}.md").write_text(
        "\n".join(front) + "\n" + "\n\n".join(body) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--meetings", type=int, default=3200)
    parser.add_argument("--bodies", type=int, default=40)
    parser.add_argument("--reports", type=int, default=8, help="reports a meeting")
    parser.add_argument("--words", type=int, default=1000, help="words a report")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--years", type=float, default=None, help="spread the meetings over this many years"
    )
    args = parser.parse_args(argv)
    write_archive(
        args.out, args.meetings, args.bodies, args.reports, args.words, args.seed, args.years
    )
    print(f"wrote {args.meetings} meetings into {args.out}")


if __name__ == "__main__":
    main()
