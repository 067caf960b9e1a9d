"""Benchmark of agenda packs: one big pack against WeasyPrint's plain rendering of the same
content, the cache on a second build, and packs of different meetings on 1 and 2 cores.

    .venv/bin/python bench/pack.py            (or: make bench)
    .venv/bin/python bench/pack.py --parallel-only

The big pack is every public document of the demo council in one pack (over 150 pages):
front sheet, agenda with page ranges, each document on a right-hand page, PDF/UA-1. The
baseline is the same documents as one plain HTML document (no front sheet, ranges or blank
pages; each document on a new page), written as an untagged PDF and as PDF/UA-1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from markupsafe import Markup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from committee_papers.load import load  # noqa: E402
from committee_papers.outputs.packs import (  # noqa: E402
    MAIN,
    Document,
    PackPlan,
    PackTemplates,
    PdfSettings,
    build_pdfs,
    plan_packs,
)
from committee_papers.outputs.pdf import PdfJob, largest_first, render  # noqa: E402
from committee_papers.policy import Audience, Policy  # noqa: E402
from committee_papers.render import Renderer  # noqa: E402
from committee_papers.view import View  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
SITE_URL = "https://papers.brackenford.example.gov.uk/"
#: Meetings whose packs show the cache and the parallel layout (the latest ones).
SAMPLE = 6
#: Runs of the parallel layout on 1 and on 2 workers, taken in turn (the best of each counts).
ROUNDS = 2


def big_plan(view: View) -> PackPlan:
    """One meeting whose agenda carries every public document of the demo, renumbered."""
    papers = view.papers
    documents: list[Document] = []
    items = []
    for meeting in papers.meetings_in_date_order():
        for plan in plan_packs(view, None, meeting.id):
            for item in plan.items():
                number = str(len(items) + 1)
                new_item = item.model_copy(update={"number": number, "late": False})
                items.append(new_item)
                for doc in plan.documents_of(item):
                    anchor = f"item-{number}-{len(documents)}"
                    documents.append(
                        Document(
                            anchor, doc.kind, new_item, doc.report, doc.appendix, doc.minutes_of
                        )
                    )
    last = papers.meetings_in_date_order()[-1]
    meeting = last.model_copy(update={"agenda": items})
    return PackPlan(meeting, MAIN, documents)


def baseline_html(templates: PackTemplates, view: View, plan: PackPlan) -> str:
    """The same documents as one plain HTML document: no front sheet, ranges, blank pages."""
    css = templates.css.replace("break-before: right", "break-before: page")
    module = templates.pack_module
    head = str(module.document_head(view, "Baseline", view.site.council, Markup(css)))
    docs = plan.documents
    body = "".join(
        str(module.document(view, plan, doc, i == 0 or docs[i - 1].item != doc.item))
        for i, doc in enumerate(docs)
    )
    return f"{head}<body>{body}</body></html>"


def timed(job: PdfJob, **options: str) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of this process, pages. The machine is shared: CPU seconds
    are the fair comparison, wall seconds what a clerk waits."""
    from weasyprint import HTML

    wall, cpu = time.perf_counter(), time.process_time()
    document = HTML(string=job.html, base_url=job.base_url).render()
    document.write_pdf(**options)
    return time.perf_counter() - wall, time.process_time() - cpu, len(document.pages)


def timed_render(job: PdfJob) -> tuple[int, float, int]:
    """Render one job as render_all's workers do; with the process id and its CPU seconds."""
    cpu = time.process_time()
    pdf = render(job)
    return os.getpid(), time.process_time() - cpu, pdf.pages


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parallel(templates: PackTemplates, view: View, sample: list[str], base: str) -> None:
    """Packs of different meetings on 1 and on 2 processes (no cache), measured so that a
    shared machine disturbs it little: CPU seconds of every process, not only wall time.

    With 1 worker the packs are laid out one after another in this process (as render_all
    does). With 2, spawned workers (as render_all's) each lay out whole packs; the build
    waits for the busier one, so on an idle machine its wall time would be that worker's
    CPU seconds (its packs plus its start: Python, WeasyPrint's import). The ratio of the
    1-worker CPU seconds to that is the speed-up 2 cores give when nothing else runs; the
    measured wall-time ratio is what this machine gave under its load.
    """
    jobs = [
        PdfJob(p.path, templates.pack_html(view, p, None), base)
        for m in sample
        for p in plan_packs(view, None, m)
    ]
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for _ in range(ROUNDS):
        for workers in (1, 2):
            load = os.getloadavg()[0]
            wall, own, kids = time.perf_counter(), time.process_time(), children_cpu()
            if workers == 1:
                results = [timed_render(job) for job in jobs]
            else:
                # In the order render_all gives its workers: largest first.
                ordered = [job for job, _ in largest_first([(job, "") for job in jobs])]
                context = multiprocessing.get_context("spawn")
                with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
                    results = list(pool.map(timed_render, ordered))
            wall = time.perf_counter() - wall
            own, kids = time.process_time() - own, children_cpu() - kids
            per_worker: dict[int, float] = {}
            for pid, cpu, _ in results:
                per_worker[pid] = per_worker.get(pid, 0.0) + cpu
            layout = sum(cpu for _, cpu, _ in results)
            # A worker's start: what its process cost beyond laying out its packs.
            start = (kids - layout) / len(per_worker) if workers > 1 else 0.0
            runs[workers].append(
                {
                    "wall": wall,
                    "cpu": own + kids,
                    "layout": layout,
                    "busiest": max(per_worker.values()) + start,
                    "start": start,
                    "pages": sum(pages for _, _, pages in results),
                    "load": load,
                }
            )
    for workers, found in runs.items():
        for run in found:
            print(
                f"{len(jobs)} packs, {run['pages']} pages, {workers} worker(s): "
                f"{run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU in all "
                f"({run['layout']:.1f} s laying out; start of each worker {run['start']:.1f} s), "
                f"busiest process {run['busiest']:.1f} s CPU, load average {run['load']:.1f}"
            )
    one = min(r["cpu"] for r in runs[1])
    two = min(r["busiest"] for r in runs[2])
    walls = min(r["wall"] for r in runs[1]) / min(r["wall"] for r in runs[2])
    print(
        f"speed-up of 2 workers: {one / two:.2f} from CPU seconds (1-worker CPU / busiest of "
        f"2 workers), {walls:.2f} from wall time on this machine; CPU overhead of 2 workers "
        f"{min(r['cpu'] for r in runs[2]) / one:.2f} times the CPU of 1"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parallel-only", action="store_true", help="only the 1- and 2-worker comparison"
    )
    options = parser.parse_args()
    papers = load(ROOT / "data")
    policy = Policy(papers, Audience.public, AS_OF)
    renderer = Renderer(papers, policy, [ROOT / "macros"])
    templates = PackTemplates(renderer.env)
    view = View(papers, policy, SITE_URL)
    base = str(ROOT / "docs") + "/"
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    # Fonts and WeasyPrint's import, once, in this process (the 1-worker runs lay out here).
    timed(PdfJob("warm", "<p>Warm up fonts and imports.</p>"))
    meetings = [m.id for m in papers.meetings_in_date_order() if plan_packs(view, None, m.id)]
    sample = meetings[-SAMPLE:]
    if options.parallel_only:
        parallel(templates, view, sample, base)
        return

    plan = big_plan(view)
    pack = PdfJob("big", templates.pack_html(view, plan, None), base)
    plain = PdfJob("plain", baseline_html(templates, view, plan), base)
    pack_s, pack_cpu, pack_pages = timed(pack, pdf_variant="pdf/ua-1")
    plain_s, plain_cpu, plain_pages = timed(plain)
    ua_s, ua_cpu, _ = timed(plain, pdf_variant="pdf/ua-1")
    print(
        f"pack (PDF/UA-1): {pack_pages} pages, {pack_cpu:.1f} s CPU "
        f"({pack_pages / pack_cpu:.1f} pages/s), {pack_s:.1f} s wall"
    )
    print(
        f"baseline, plain HTML, untagged: {plain_pages} pages, {plain_cpu:.1f} s CPU "
        f"({plain_pages / plain_cpu:.1f} pages/s), {plain_s:.1f} s wall"
    )
    print(
        f"baseline, plain HTML, PDF/UA-1: {plain_pages} pages, {ua_cpu:.1f} s CPU, "
        f"{ua_s:.1f} s wall"
    )
    print(
        f"ratio pack / baseline (CPU): {pack_cpu / plain_cpu:.2f} against untagged, "
        f"{pack_cpu / ua_cpu:.2f} against PDF/UA-1; target <= 1.3"
    )

    # The cache: a second build of the same meetings' packs lays nothing out again.
    with tempfile.TemporaryDirectory() as folder:
        settings = PdfSettings(SITE_URL, base, Path(folder), reports=False, meetings=sample)
        times = []
        for _ in range(2):
            start = time.perf_counter()
            index = build_pdfs(renderer.env, renderer.view, settings)
            times.append(time.perf_counter() - start)
        cached = sum(pdf.cached for pdf in index.rendered.values())
        print(
            f"packs of {len(sample)} meetings ({len(index.files)} PDFs): first build "
            f"{times[0]:.1f} s, second build {times[1]:.2f} s ({cached} read from the cache)"
        )

    parallel(templates, view, sample, base)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
