"""The `papers` command: what clerks need beyond `mkdocs build`.

A thin layer: it calls the engine, formats problems for people, and sets the exit code.
Nothing else in the package prints.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from . import quickexit
from .asof import parse_as_of
from .clerk import deadlines as clerk_deadlines
from .load import load_with_problems
from .model import Papers
from .problems import format_problems, problems_as_json

if TYPE_CHECKING:
    from .clerk.scaffold import Written

#: Exit statuses, as README.md documents them.
OK, PROBLEMS, USAGE = 0, 1, 2
#: `papers check` keeps the papers as loaded here (loadcache.py), as the build does.
LOAD_CACHE = Path(".cache") / "load"

DATE = click.DateTime(formats=["%Y-%m-%d"])
DATA_OPTION = click.option(
    "--data", "data_dir", default="data", show_default=True, type=click.Path(), help="Data folder."
)
FORCE_OPTION = click.option("--force", is_flag=True, help="Replace a file that already exists.")


def examples(*lines: str) -> str:
    """The epilog of a command's --help: examples a clerk can copy."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@click.group()
@click.version_option(package_name="committee-papers")
def main() -> None:
    """Publish a council's committee papers from the data in data/."""


@main.command(epilog=examples("papers check", "papers check --data other-council/data --json"))
@click.option("--data", "data_dir", default="data", show_default=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def check(data_dir: str, as_json: bool) -> None:
    """Validate the papers without building: every problem, with file, line and field.

    Also checks publication deadlines, and lists the "TO DO" placeholders left by `papers
    new` and `papers import` as warnings (they do not change the exit status).
    """
    papers, problems, _ = load_with_problems(Path(data_dir), LOAD_CACHE)
    if as_json:
        click.echo(problems_as_json(problems))
    elif problems:
        click.echo(format_problems(problems), err=True)
    else:
        assert papers is not None
        for warning in problems.warnings:
            click.echo(str(warning), err=True)
        click.echo(
            f"OK: {len(papers.bodies)} bodies, {len(papers.meetings)} meetings, "
            f"{len(papers.reports)} reports, {len(papers.people)} people."
        )
    sys.exit(PROBLEMS if problems else OK)


@main.command(
    epilog=examples(
        "papers build",
        "papers build --members",
        "papers build --as-of 2026-12-08 -d /tmp/preview",
    )
)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path())
@click.option("--members", is_flag=True, help="Build the members' site, exempt papers included.")
@click.option("-d", "--site-dir", default=None, help="Output folder (site/ or site-members/).")
@click.option(
    "--as-of",
    default=None,
    metavar="YYYY-MM-DD",
    callback=lambda _ctx, _param, value: _checked_date(value),
    help="Publish as on this date (default: today in London).",
)
@click.option("--data", "data_dir", default=None, type=click.Path(), help="Another data folder.")
@click.option(
    "--templates", "templates_dir", default=None, type=click.Path(), help="Another macros folder."
)
@click.option("--no-packs", is_flag=True, help="Skip the PDF packs (a quick preview).")
def build(
    config_file: str,
    members: bool,
    site_dir: str | None,
    as_of: str | None,
    data_dir: str | None,
    templates_dir: str | None,
    no_packs: bool,
) -> None:
    """Build the site atomically: the old site stays until the new one has passed every check."""
    from .mkdocs_plugin import build_site  # the only way into MkDocs, kept out of `check`

    _show_build_log()
    audience = "members" if members else "public"
    target = site_dir or ("site-members" if members else "site")
    try:
        build_site(
            config_file,
            audience=audience,
            as_of=as_of,
            site_dir=target,
            data_dir=data_dir,
            templates_dir=templates_dir,
            packs=False if no_packs else None,
        )
    except SystemExit:  # MkDocs has logged the reason (its Abort is a SystemExit)
        click.echo(f"Build failed. The site in {target}/ was left as it was.", err=True)
        sys.exit(1)
    except Exception as error:  # not one MkDocs reports: a fault of this program, named
        click.echo(
            f"Build failed: an internal error ({type(error).__name__}: {error}). "
            f"The site in {target}/ was left as it was.",
            err=True,
        )
        sys.exit(1)
    click.echo(f"Built the {audience} site into {target}/.")


def _checked_date(value: str | None) -> str | None:
    """--as-of must be YYYY-MM-DD between 1970 and 2100: refused before anything is built."""
    if value is not None:
        try:
            parse_as_of(value)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None
    return value


# --- commands that write data (the clerk package does the work) ---------------------------


def _papers(data_dir: str) -> Papers:
    """The papers as they load now; stop with the problems if they cannot be read at all."""
    papers, problems, _ = load_with_problems(Path(data_dir))
    if papers is None:
        click.echo(format_problems(problems), err=True)
        sys.exit(PROBLEMS)
    if problems:
        click.echo(f"note: the papers have {len(problems)} problems; see `papers check`", err=True)
    return papers


def _write(action: Callable[[], Written]) -> None:
    """Run a command that writes a file; a refusal is one line and exit status 2."""
    from .clerk.scaffold import ClerkError

    try:
        written = action()
    except ClerkError as error:
        click.echo(f"papers: {error}", err=True)
        sys.exit(USAGE)
    click.echo(f"Wrote {written.path}")
    for note in written.notes:
        click.echo(f"  {note}")


@main.group(
    epilog=examples(
        "papers new meeting cabinet 2027-02-02",
        'papers new report 2027-02-02-cabinet "Budget 2027/28"',
        "papers new minutes 2027-02-02-cabinet",
    )
)
def new() -> None:
    """Start a meeting, a report or minutes from what the data already knows."""


@new.command(
    "meeting",
    epilog=examples(
        "papers new meeting planning 2027-01-13",
        'papers new meeting cabinet 2027-02-02 --time 18:00 --venue "Council Chamber"',
    ),
)
@click.argument("body")
@click.argument("date", type=DATE, metavar="DATE")
@click.option("--time", "start", default=None, metavar="HH:MM", help="Start (default_time).")
@click.option("--venue", default=None, help="Venue (default: the body's default_venue).")
@DATA_OPTION
@FORCE_OPTION
def new_meeting_command(
    body: str, date: dt.datetime, start: str | None, venue: str | None, data_dir: str, force: bool
) -> None:
    """Create data/meetings/DATE-BODY/meeting.yml with the body's standing agenda."""
    try:
        time = dt.time.fromisoformat(start) if start else None
    except ValueError as error:
        raise click.BadParameter(
            f"{start!r} is not a time (expected HH:MM)", param_hint="--time"
        ) from error
    from .clerk.scaffold import new_meeting  # ruamel.yaml loads only for the clerk's commands

    papers = _papers(data_dir)
    _write(lambda: new_meeting(papers, Path(data_dir), body, date.date(), time, venue, force))


@new.command(
    "report",
    epilog=examples(
        'papers new report 2027-01-13-planning "Planning enforcement annual report"',
        'papers new report 2027-02-02-cabinet "Budget 2027/28" --id budget-2027-28',
    ),
)
@click.argument("meeting")
@click.argument("title")
@click.option("--id", "report_id", default=None, help="The report's id (default: from TITLE).")
@DATA_OPTION
@FORCE_OPTION
def new_report_command(
    meeting: str, title: str, report_id: str | None, data_dir: str, force: bool
) -> None:
    """Add a report (cover block and the council's headings) and its agenda item."""
    from .clerk.scaffold import new_report

    papers = _papers(data_dir)
    _write(lambda: new_report(papers, Path(data_dir), meeting, title, report_id, force))


@new.command("minutes", epilog=examples("papers new minutes 2026-12-01-cabinet"))
@click.argument("meeting")
@DATA_OPTION
@FORCE_OPTION
def new_minutes_command(meeting: str, data_dir: str, force: bool) -> None:
    """Draft minutes.yml from the agenda and the membership on the day."""
    from .clerk.scaffold import new_minutes

    papers = _papers(data_dir)
    _write(lambda: new_minutes(papers, Path(data_dir), meeting, force))


@main.command(
    "import",
    epilog=examples(
        "papers import ~/Downloads/budget.docx --meeting 2027-02-02-cabinet",
        "papers import report.docx --meeting 2027-02-02-cabinet --id budget-2027-28",
    ),
)
@click.argument("docx", type=click.Path(exists=True, dir_okay=False))
@click.option("--meeting", required=True, help="The meeting id (its folder in data/meetings/).")
@click.option("--id", "report_id", default=None, help="The report's id (default: from its title).")
@DATA_OPTION
@FORCE_OPTION
def import_command(
    docx: str, meeting: str, report_id: str | None, data_dir: str, force: bool
) -> None:
    """Import a Word report (.docx) into the meeting's folder, as a draft, on its agenda.

    Headings, paragraph numbers, lists, tables and images are kept; the cover table fills
    the report's fields where it can, and what it could not place is listed, one per line.
    """
    from .clerk.scaffold import ClerkError
    from .clerk.word import import_report  # mammoth and markdownify load only when needed

    papers = _papers(data_dir)

    def step(message: str) -> None:
        click.echo(f"{message}...", err=True)

    try:
        done = import_report(papers, Path(data_dir), Path(docx), meeting, report_id, force, step)
    except ClerkError as error:
        click.echo(f"papers: {error}", err=True)
        sys.exit(USAGE)
    click.echo(f"Wrote {done.path}")
    for note in done.notes:
        click.echo(f"  {note}")
    for line in done.unmapped:
        click.echo(f"to check: {line}")


@main.command(
    epilog=examples(
        "papers deadlines", "papers deadlines --from 2027-01-01", "papers deadlines --json"
    )
)
@click.option("--from", "start", type=DATE, default=None, help="First day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the deadlines as JSON.")
@DATA_OPTION
def deadlines(start: dt.datetime | None, as_json: bool, data_dir: str) -> None:
    """List the next meetings and the last day their papers can be published."""
    papers = _papers(data_dir)
    today = start.date() if start else dt.datetime.now(ZoneInfo("Europe/London")).date()
    found = clerk_deadlines.upcoming(papers, today)
    if as_json:
        click.echo(json.dumps([d.as_json() for d in found], indent=2))
        return
    if not found:
        click.echo(f"No meetings on or after {clerk_deadlines.long_date(today)}.")
    for d in found:
        click.echo(
            f"{d.meeting}  {d.body}, {clerk_deadlines.long_date(d.date)}: publish by "
            f"{clerk_deadlines.long_date(d.deadline)} ({d.describe()})"
        )


@main.command()
@click.argument("meeting_id")
@click.option("--members", is_flag=True, help="Also the non-public (Part 2) pack.")
@click.option("-o", "--output", default="packs", show_default=True, type=click.Path())
@click.option("--as-of", default=None, metavar="YYYY-MM-DD", help="Publish as on this date.")
@click.option("--data", "data_dir", default="data", show_default=True, type=click.Path())
@click.option("--templates", "templates_dir", default="macros", show_default=True)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path())
def pack(
    meeting_id: str,
    members: bool,
    output: str,
    as_of: str | None,
    data_dir: str,
    templates_dir: str,
    config_file: str,
) -> None:
    """Build one meeting's agenda packs (PDF) into a folder, without building the site."""
    import datetime as dt

    from .outputs import write
    from .outputs.packs import PdfSettings, build_pdfs
    from .policy import Audience, Policy
    from .projection import project, withheld_ids
    from .render import Renderer

    papers, problems, _ = load_with_problems(Path(data_dir))
    if problems or papers is None:
        click.echo(format_problems(problems), err=True)
        sys.exit(1)
    if meeting_id not in papers.meetings:
        click.echo(f"There is no meeting {meeting_id!r} in {data_dir}/meetings/.", err=True)
        sys.exit(1)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        click.echo(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)", err=True)
        sys.exit(1)
    audience = Audience.members if members else Audience.public
    # As in a build: the public packs are drawn from the public projection; the full papers
    # only lay out the non-public pack (into the cache) for the Part 2 page numbers.
    full_policy = Policy(papers, audience, day)
    shown = project(papers, full_policy)
    policy = Policy(shown, audience, day)
    renderer = Renderer(shown, policy, [Path(templates_dir)], withheld_ids(papers, shown))
    site = _site_settings(Path(config_file))
    settings = PdfSettings(
        site_url=getattr(papers.site, "site_url", None) or site.get("site_url") or "",
        base_url=str(Path(config_file).parent / (site.get("docs_dir") or "docs")),
        cache=Path(config_file).parent / ".cache" / "packs",
        reports=False,
        meetings=[meeting_id],
    )
    index = build_pdfs(
        renderer.env,
        renderer.view,
        settings,
        lambda name, pdf: click.echo(f"{name}: {pdf.pages} pages", err=True),
        papers,
    )
    if not index.files:
        click.echo(f"{meeting_id} has no pack: its agenda is not published yet.", err=True)
        sys.exit(1)
    out = Path(output)
    write(out, [type(f)(Path(f.path).name, f.data) for f in index.files])
    for f in index.files:
        click.echo(str(out / Path(f.path).name))


def _site_settings(config_file: Path) -> dict[str, str]:
    """site_url and docs_dir from mkdocs.yml, read without MkDocs (its tags are ignored)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, yaml.YAMLError):
        return {}
    return {
        k: str(data[k]) for k in ("site_url", "docs_dir") if isinstance(data, dict) and data.get(k)
    }


def _show_build_log() -> None:
    """Print MkDocs' messages (warnings, errors, the guard's report) as `mkdocs build` does."""
    logger = logging.getLogger("mkdocs")
    if any(getattr(h, "_papers", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    handler._papers = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logging.getLogger("mkdocs.plugins.macros").setLevel(logging.WARNING)


def run() -> None:
    """The `papers` program (the console script): `main`, then an exit that leaves a
    build's heap to the kernel instead of freeing it object by object (quickexit.py).
    Tests invoke `main` itself, in their own process."""
    try:
        main()
    except SystemExit as done:
        quickexit.leave(done.code)
    quickexit.leave(OK)


if __name__ == "__main__":  # pragma: no cover - `python -m committee_papers.cli`
    run()
