"""Build benchmark: this project against plain mkdocs-material on the same content.

    python bench/build.py                  # the full default archive (3,200 meetings)
    python bench/build.py --meetings 400   # a smaller one

For two archive sizes (`--small`, 100 meetings by default, and `--meetings`) it writes a
synthetic archive (bench/archive.py), builds it with `papers build` (every check and the
guard on), writes the same content as plain Markdown pages and builds them with plain
mkdocs-material (hub-only nav, its built-in search), and prints wall time, peak memory of
the child processes, output size, their ratio and the time per page. Then, on the larger
archive: publishing one new meeting, `mkdocs serve` showing an edited report, the size of a
meeting page against the same page in the small archive, the largest page of each kind
(bench/pagesizes.py) at both sizes, and a first search query in headless Chromium. The last
line holds the figures the issue asks for.

Both builds run in this same run, one after the other, never at once: the machine is shared,
so only ratios measured together mean anything. A folder left by an earlier run is moved
aside and removed only after the last measurement: on a file system without a journal (this
machine's ext4) the kernel passes over every inode freed in the last minutes each time it
makes a file, so removing an archive of ten years just before the first build made that
build, not the baseline after it, pay for the clean-up (`set_aside`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import pagesizes  # noqa: E402
from archive import AS_OF, write_archive  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


@dataclass
class Run:
    seconds: float
    peak_mb: float
    size_mb: float
    pages: int
    log: str
    #: CPU seconds (user and system) of the command and every child process it waited for.
    cpu: float = 0.0


def children_cpu() -> float:
    """CPU seconds (user and system) of every finished child process tree so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: CPU seconds of the last `measured` command (its whole process tree).
LAST_CPU = [0.0]


def measured(command: list[str], cwd: Path, log: Path) -> tuple[float, float]:
    """Run `command`; return wall seconds and the peak memory (MB) of it and its children
    (its CPU seconds are left in LAST_CPU).

    /usr/bin/time reports the largest resident set of the process tree it waited for, as
    getrusage(RUSAGE_CHILDREN) does, so the Pagefind child of a build counts.
    """
    start = time.perf_counter()
    cpu = children_cpu()
    with log.open("w") as out:
        result = subprocess.run(
            ["/usr/bin/time", "-f", "PEAK_KB=%M", *command],
            cwd=cwd,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.perf_counter() - start
    LAST_CPU[0] = children_cpu() - cpu
    text = log.read_text()
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed; see {log}:\n{text[-3000:]}")
    peak = max(int(line.split("=")[1]) for line in text.splitlines() if "PEAK_KB=" in line)
    return seconds, peak / 1024


def tree_size(folder: Path) -> tuple[float, int]:
    """Bytes (as MB) of every file in `folder`, and its number of HTML pages."""
    total = pages = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            pages += path.suffix == ".html"
    return total / 1e6, pages


# --- the project ---------------------------------------------------------------------------


def project_config(work: Path, data: Path, serve_meetings: int = 0) -> Path:
    """A mkdocs.yml like the demo's, for the archive's data and a minimal docs/ folder."""
    docs = work / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(
        "# Synthetic District Council\n\nCommittee papers of a synthetic council, for "
        "benchmarks. See [committees](committees/index.md) and [meetings](meetings/index.md).\n"
    )
    (docs / "about.md").write_text("# About this site\n\nA synthetic archive.\n")
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config = config.replace("data_dir: !ENV [PAPERS_DATA, data]", f"data_dir: {data}")
    config = config.replace("data_dir: data", f"data_dir: {data}")
    config = config.replace("templates_dir: macros", f"templates_dir: {ROOT / 'macros'}")
    config = config.replace("include_dir: macros", f"include_dir: {ROOT / 'macros'}")
    if serve_meetings:
        config = config.replace("serve_meetings: 40", f"serve_meetings: {serve_meetings}")
    nav_start = config.index("\nnav:")
    nav_end = config.index("\nvalidation:")
    nav = (
        "\nnav:\n  - Home: index.md\n  - Committees: committees/index.md\n"
        "  - Meetings: meetings/index.md\n  - People: people/index.md\n"
        "  - Decisions: decisions/index.md\n  - Calendar: calendar/index.md\n"
        "  - Search: search/index.md\n  - About: about.md\n"
    )
    config = config[:nav_start] + nav + config[nav_end:]
    config = f"docs_dir: {docs}\n" + config
    path = work / "mkdocs.yml"
    path.write_text(config)
    return path


def papers_build(config: Path, site: Path) -> list[str]:
    """The command that builds the archive's public site, full or after one new meeting."""
    return [
        str(BIN / "papers"),
        "build",
        "-f",
        str(config),
        "--as-of",
        AS_OF.isoformat(),
        "-d",
        str(site),
        # Plain material has no PDFs: the same content is the pages, feeds and data.
        "--no-packs",
    ]


def build_project(work: Path, data: Path) -> Run:
    config = project_config(work, data)
    site = work / "site"
    seconds, peak = measured(
        papers_build(config, site),
        work,
        work / "project.log",
    )
    size, pages = tree_size(site)
    return Run(seconds, peak, size, pages, (work / "project.log").read_text(), LAST_CPU[0])


# --- the baseline: the same content as plain Markdown, plain mkdocs-material --------------


def write_plain(data: Path, docs: Path) -> int:
    """The archive's public pages as hand-written Markdown, as a council might keep them."""
    from committee_papers.load import load
    from committee_papers.policy import Audience, Policy

    papers = load(data)
    policy = Policy(papers, Audience.public, AS_OF)
    shutil.rmtree(docs, ignore_errors=True)
    pages = 0

    def page(rel: str, text: str) -> None:
        nonlocal pages
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pages += 1

    page("index.md", f"# {papers.site.council}\n\nCommittee papers.\n")
    bodies = sorted(papers.bodies.values(), key=lambda b: b.name)
    page(
        "committees/index.md",
        "# Committees\n\n" + "".join(f"- [{b.name}]({b.id}/index.md)\n" for b in bodies),
    )
    meetings = sorted(papers.meetings.values(), key=lambda m: (m.date, m.id))
    page(
        "meetings/index.md",
        "# Meetings\n\n" + "".join(f"- [{m.date} {m.body}]({m.id}/index.md)\n" for m in meetings),
    )
    people = sorted(papers.people.values(), key=lambda p: p.id)
    page(
        "people/index.md",
        "# People\n\n" + "".join(f"- [{p.display_name}]({p.id}/index.md)\n" for p in people),
    )
    for p in people:
        page(f"people/{p.id}/index.md", f"# {p.display_name}\n\n{p.title or ''}\n")
    for b in bodies:
        own = [m for m in meetings if m.body == b.id]
        page(
            f"committees/{b.id}/index.md",
            f"# {b.name}\n\n{b.purpose or ''}\n\n## Meetings\n\n"
            + "".join(f"- [{m.date}](../../meetings/{m.id}/index.md)\n" for m in own),
        )
    for m in meetings:
        items = []
        for item in m.agenda:
            report = papers.reports.get(item.report or "")
            if report and policy.show_report(report):
                items.append(f"{item.number}. [{report.title}](../../reports/{report.id}/index.md)")
            else:
                items.append(f"{item.number}. {item.title or item.kind.value}")
        page(
            f"meetings/{m.id}/index.md",
            f"# {m.body} {m.date}\n\n## Agenda\n\n" + "\n".join(items) + "\n",
        )
        if m.minutes and policy.show_minutes(m):
            lines = [f"# Minutes: {m.body} {m.date}\n"]
            for entry in m.minutes.items:
                if policy.show_minute_item(m, entry):
                    lines.append(f"## Item {entry.item}\n\n{entry.text or ''}\n")
                    lines += [f"- {r.text}" for r in entry.resolutions]
            page(f"meetings/{m.id}/minutes/index.md", "\n".join(lines) + "\n")
    for report in papers.reports.values():
        if not policy.show_report(report):
            continue
        recs = "".join(f"1. {r}\n" for r in report.recommendations)
        page(
            f"reports/{report.id}/index.md",
            f"# {report.title}\n\n## Summary\n\n{report.summary}\n\n"
            f"## Recommendations\n\n{recs}\n## Report\n\n{report.body}\n",
        )
        for appendix in report.appendices:
            if not policy.show_appendix(report, appendix):
                continue
            body = appendix.markdown or ""
            if appendix.table:
                cols = [c.heading for c in appendix.table.columns]
                rows = [
                    "| "
                    + " | ".join(str(r.get(c.key) or "") for c in appendix.table.columns)
                    + " |"
                    for r in appendix.table.rows
                ]
                body = "\n".join(
                    [
                        f"Table: {appendix.table.caption or ''}\n",
                        "| " + " | ".join(cols) + " |",
                        "|" + "---|" * len(cols),
                        *rows,
                    ]
                )
            page(
                f"reports/{report.id}/{appendix.slug}/index.md",
                f"# Appendix {appendix.label}: {appendix.title}\n\n{body}\n",
            )
    return pages


def build_material(work: Path, data: Path) -> Run:
    docs = work / "plain-docs"
    write_plain(data, docs)
    config = work / "plain-mkdocs.yml"
    config.write_text(
        f"site_name: Synthetic District Council\nsite_url: https://example.org/\n"
        f"docs_dir: {docs}\nsite_dir: {work / 'plain-site'}\n"
        "theme:\n  name: material\n  features: [navigation.tabs]\nplugins:\n  - search\n"
        "markdown_extensions: [tables]\n"
        "nav:\n  - Home: index.md\n  - Committees: committees/index.md\n"
        "  - Meetings: meetings/index.md\n  - People: people/index.md\n"
    )
    seconds, peak = measured(
        [str(BIN / "mkdocs"), "build", "-q", "-f", str(config)], work, work / "material.log"
    )
    size, pages = tree_size(work / "plain-site")
    return Run(seconds, peak, size, pages, "", LAST_CPU[0])


# --- the everyday jobs on the larger archive -----------------------------------------------


#: The new meeting's agenda goes out on the last lawful day before 30 November (five clear
#: working days), before the as-of date, as `papers check` requires.
PUBLISHED = dt.date(2026, 11, 20)


def add_meeting(data: Path) -> str:
    """A new meeting (a copy of the newest one, on 30 November): the everyday publication.

    Called again on the same data, it copies the newest meeting of another body (one
    not copied yet), so each call publishes one more meeting, one a body: once every body
    has one, it stops with a message saying so.
    """
    meetings = sorted((data / "meetings").iterdir(), reverse=True)
    newest = next(
        (
            m
            for m in meetings
            if not m.name.endswith("-new")
            and not (data / "meetings" / f"2026-11-30-{m.name[11:]}-new").exists()
        ),
        None,
    )
    if newest is None:
        raise SystemExit(
            f"{data / 'meetings'}: every body has a new meeting on 30 November already "
            f"({len(list((data / 'meetings').glob('*-new')))} of them); write the archive "
            "again (bench/archive.py) or remove the folders ending in -new"
        )
    day = newest.name[:10]
    new_id = f"2026-11-30-{newest.name[11:]}-new"
    target = data / "meetings" / new_id
    shutil.copytree(newest, target)
    (target / "minutes.yml").unlink(missing_ok=True)
    for report in list(target.glob("*.md")):
        text = report.read_text().replace(newest.name, new_id)
        report.unlink()
        (target / report.name.replace(newest.name, new_id)).write_text(text)
    for csv in list((target / "appendices").glob("*.csv")):
        csv.rename(csv.with_name(csv.name.replace(newest.name, new_id)))
    meeting = (target / "meeting.yml").read_text().replace(newest.name, new_id)
    meeting = meeting.replace(f"date: {day}", "date: 2026-11-30")
    meeting = "\n".join(
        f"published: {PUBLISHED.isoformat()}" if line.startswith("published:") else line
        for line in meeting.splitlines()
    )
    meeting = meeting.replace("status: held", "status: scheduled")
    meeting = "\n".join(line for line in meeting.splitlines() if "kind: minutes" not in line)
    (target / "meeting.yml").write_text(meeting + "\n")
    return new_id


def publish_one_meeting(work: Path, data: Path) -> tuple[float, float]:
    """Wall and CPU seconds to publish one new meeting into the already built archive."""
    add_meeting(data)
    config = work / "mkdocs.yml"
    seconds, _ = measured(
        papers_build(config, work / "site"),
        work,
        work / "incremental.log",
    )
    for line in (work / "incremental.log").read_text().splitlines():
        if "Page cache:" in line or "Steps:" in line or "Search index:" in line:
            print(line.strip())
    return seconds, LAST_CPU[0]


def process_cpu(pid: int) -> float:
    """CPU seconds a running process (and its finished children) has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_edit(work: Path, data: Path, serve_meetings: int) -> tuple[float, float]:
    """Wall and CPU seconds from saving an edited report to `mkdocs serve` serving it.

    The report is put back as it was afterwards: `data` is the built archive's, and the
    new meeting published next (`publish_one_meeting`) would otherwise publish the edit
    too (a report of a meeting after the as-of date, so withheld: its meeting loaded and
    its text cut into fragments again). Single re-builds of the scratch archive with and
    without that edit took 12.76 and 13.68 s in turn: within this machine's noise."""
    newest = sorted(p for p in (data / "meetings").iterdir() if p.is_dir())[-2]
    report = sorted(newest.glob("*.md"))[0]
    text = report.read_text()
    config = project_config(work / "serve", data, serve_meetings)
    port = free_port()
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=work,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/reports/{report.stem}/"
        wait_for(url, lambda body: True, 3600)
        marker = f"Edited at {time.monotonic_ns()}"
        time.sleep(2)  # let the first build's livereload settle
        cpu = process_cpu(server.pid)
        start = time.perf_counter()
        report.write_text(text.replace("\n## ", f"\n{marker}\n\n## ", 1))
        wait_for(url, lambda body: marker in body, 3600)
        return time.perf_counter() - start, process_cpu(server.pid) - cpu
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()
        report.write_text(text)  # the archive as it was built


def wait_for(url: str, ready, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not become ready in {timeout} s")


def meeting_page_growth(small: Path, large: Path) -> tuple[str, float, float]:
    """Bytes of the same meeting page in the small and the large archive."""
    small_pages = sorted((small / "meetings").glob("20*/index.html"))
    page = small_pages[len(small_pages) // 2].relative_to(small)
    return str(page), (small / page).stat().st_size, (large / page).stat().st_size


def first_query(site: Path, word: str) -> tuple[float, float]:
    """KB transferred and ms to the first result of a search in headless Chromium."""
    from search import first_query as measure

    return measure(site, word)


def common_word(site: Path) -> str:
    """A word most pages contain, so the query is a worst case for result loading."""
    return "budget"


def compile_package(cwd: Path) -> None:
    """Compile this package's modules to bytecode, as the `papers` command run in `cwd`
    imports it, before anything is timed. mkdocs, material and every other installed
    library have theirs from pip; an editable install writes this package's on its first
    import, unless PYTHONDONTWRITEBYTECODE is set (as on the machines these figures come
    from), and then every build compiled some 15,000 lines afresh (0.4 s), which no
    council's installed copy does."""
    subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import compileall, os, committee_papers as p; "
            "compileall.compile_dir(os.path.dirname(p.__file__), quiet=1)",
        ],
        cwd=cwd,
        env=ENV,
        check=True,
    )


def wait_for_background(work: Path, limit: float = 300.0) -> float:
    """Wait until no job a build left running in the background (publish.py: an old site's
    deletion, the next build's folders) works in `work`, so that none runs beside the next
    measurement; the seconds waited."""
    from committee_papers.publish import jobs_running

    start = time.perf_counter()
    inside = str(work.resolve()) + os.sep
    while time.perf_counter() - start < limit:
        if not any(folder.startswith(inside) for folder in jobs_running()):
            break
        time.sleep(0.2)
    return time.perf_counter() - start


def print_pair(ours: Run, plain: Run) -> None:
    """One archive built by both tools: each build's figures, then their ratios."""
    for name, run in (("committee-papers", ours), ("plain material", plain)):
        print(
            f"{name:>17}: {run.seconds:7.1f} s  peak {run.peak_mb:6.0f} MB  "
            f"output {run.size_mb:7.1f} MB  {run.pages} pages  "
            f"{1000 * run.seconds / max(run.pages, 1):.1f} ms/page  "
            f"CPU {run.cpu:.1f} s ({1000 * run.cpu / max(run.pages, 1):.1f} ms/page)"
        )
    print(
        f"{'ratio':>17}: {ours.seconds / plain.seconds:.2f} (time), "
        f"{ours.cpu / max(plain.cpu, 1e-9):.2f} (CPU), "
        f"{ours.size_mb / plain.size_mb:.2f} (size)",
        flush=True,
    )


def build_round(work: Path, number: int, data: Path, skip_material: bool) -> tuple[Run, Run]:
    """Both tools' first builds of the archive in `work` again, in a folder of their own
    (`round-N` inside it: no cache of an earlier build), one after the other. The machine
    is shared and its pace moves by 10% within an hour, so one pair of builds can say 0.94
    or 1.10 of the same code: rounds in turn give a ratio to trust (`rounds_ratio`)."""
    folder = work / f"round-{number}"
    folder.mkdir()
    print(f"== round {number}: building with committee-papers ...", flush=True)
    ours = build_project(folder, data)
    wait_for_background(folder)
    plain = Run(float("nan"), float("nan"), float("nan"), 0, "")
    if not skip_material:
        print(f"== round {number}: building with plain mkdocs-material ...", flush=True)
        plain = build_material(folder, data)
    print_pair(ours, plain)
    return ours, plain


def more_rounds(ours: Run, plain: Run, work: Path, args: argparse.Namespace) -> tuple[float, float]:
    """Rounds 2 to `--rounds` of the builds of the larger archive in `work` (`build_round`),
    the first being `ours` and `plain`, after every other measurement: each round writes
    some 4 GB, after which the system no longer holds the first build's files in memory,
    and the new meeting published into that build would be measured from the disk. The
    median ratio of all rounds, and the largest peak."""
    rounds = [(ours, plain)]
    if args.rounds > 1:
        # The same archive written afresh (it is the same for the same seed): the first
        # one's data has had a report edited and a meeting added since.
        data = write_archive(work / "rounds-data", meetings=args.meetings)
        for number in range(2, args.rounds + 1):
            rounds.append(build_round(work, number, data, args.skip_material))
    return rounds_ratio(rounds), max(run.peak_mb for run, _ in rounds)


def rounds_ratio(rounds: list[tuple[Run, Run]]) -> float:
    """The median of the rounds' ratios of wall time, each round's printed."""
    ratios = [ours.seconds / plain.seconds for ours, plain in rounds]
    if len(ratios) > 1:
        listed = ", ".join(f"{ratio:.3f}" for ratio in ratios)
        print(f"ratios of the {len(ratios)} rounds: {listed}; median {median(ratios):.3f}")
    return median(ratios)


def set_aside(work: Path) -> Path | None:
    """Move an earlier run's folder `work` out of the way (a rename: no file is freed), to
    be removed once every figure is measured (`remove`); the folder it went to, if any."""
    if not work.exists():
        return None
    aside = work.with_name(f"{work.name}.old-{os.getpid()}")
    work.rename(aside)
    return aside


def remove(folders: list[Path | None]) -> None:
    for folder in folders:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=3200)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp/committee-papers-bench"))
    parser.add_argument("--serve-meetings", type=int, default=20)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument(
        "--builds-only",
        action="store_true",
        help="only the two builds at each size (no serve, new meeting or browser)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="build the larger archive this many times with each tool, in turn, each "
        "round in a fresh folder; the ratio printed last is the median of the rounds'",
    )
    parser.add_argument(
        "--skip-material",
        action="store_true",
        help="leave out the plain-material baseline (its ratio prints as nan)",
    )
    args = parser.parse_args(argv)
    results = {}
    old = [set_aside(args.work / f"m{meetings}") for meetings in {args.small, args.meetings}]
    for meetings in sorted({args.small, args.meetings}):
        work = args.work / f"m{meetings}"
        work.mkdir(parents=True)
        data = write_archive(work / "data", meetings=meetings)
        compile_package(work)
        print(f"== {meetings} meetings: building with committee-papers ...", flush=True)
        ours = build_project(work, data)
        print(f"committee-papers build: {ours.seconds:.1f} s wall, {LAST_CPU[0]:.1f} s CPU")
        waited = wait_for_background(work)
        print(f"its jobs in the background (the next build's folders) ended {waited:.1f} s later")
        steps = [line for line in ours.log.splitlines() if "Steps:" in line or "Pagefind" in line]
        print("\n".join(steps))
        if args.skip_material:
            plain = Run(float("nan"), float("nan"), float("nan"), 0, "")
        else:
            print(f"== {meetings} meetings: building with plain mkdocs-material ...", flush=True)
            plain = build_material(work, data)
        results[meetings] = (ours, plain, work)
        print_pair(ours, plain)
    if args.builds_only:
        more_rounds(*results[args.meetings], args)
        remove(old)
        return
    ours, plain, work = results[args.meetings]
    small_work = results[args.small][2]
    page, small_bytes, large_bytes = meeting_page_growth(small_work / "site", work / "site")
    print(
        f"meeting page {page}: {small_bytes} B at {args.small}, {large_bytes} B at "
        f"{args.meetings} meetings ({100 * (large_bytes / small_bytes - 1):+.1f}%)"
    )
    print("size of each kind of page and file (the largest of each kind), at both sizes:")
    print(
        pagesizes.table(
            [
                (f"{args.small} meetings", small_work / "site"),
                (f"{args.meetings} meetings", work / "site"),
            ]
        )
    )
    material_index = work / "plain-site" / "search" / "search_index.json"
    if material_index.exists():
        print(f"material's search index: {material_index.stat().st_size / 1e6:.1f} MB")
    print(f"Pagefind: {tree_size(work / 'site' / 'pagefind')[0]:.1f} MB on disk")
    kb = ms = float("nan")
    if not args.skip_browser:
        kb, ms = first_query(work / "site", common_word(work / "site"))
        print(f"first query in Chromium: {kb:.0f} KB, {ms:.0f} ms")
    serve, serve_cpu = serve_edit(work, work / "data", args.serve_meetings)
    print(f"serve shows an edited report after {serve:.1f} s ({serve_cpu:.1f} s CPU)", flush=True)
    incremental, incremental_cpu = publish_one_meeting(work, work / "data")
    print(
        f"publishing one new meeting: {incremental:.1f} s ({incremental_cpu:.1f} s CPU)",
        flush=True,
    )
    ratio, peak = more_rounds(ours, plain, work, args)
    remove(old)
    print(
        f"ratio_vs_material={ratio:.2f} incremental_s={incremental:.1f} "
        f"serve_edit_s={serve:.1f} peak_rss_mb={peak:.0f} first_query_kb={kb:.0f} "
        f"first_query_ms={ms:.0f}"
    )


if __name__ == "__main__":
    main()
