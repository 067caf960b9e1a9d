"""The `papers` command: what clerks need beyond `mkdocs build`.

A thin layer: it calls the engine, formats problems for people, and sets the exit code.
Nothing else in the package prints.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .load import load_with_problems
from .problems import format_problems, problems_as_json


@click.group()
@click.version_option(package_name="committee-papers")
def main() -> None:
    """Publish a council's committee papers from the data in data/."""


@main.command()
@click.option("--data", "data_dir", default="data", show_default=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def check(data_dir: str, as_json: bool) -> None:
    """Validate the papers without building: every problem, with file, line and field."""
    papers, problems, _ = load_with_problems(Path(data_dir))
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
    sys.exit(1 if problems else 0)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path())
@click.option("--members", is_flag=True, help="Build the members' site, exempt papers included.")
@click.option("-d", "--site-dir", default=None, help="Output folder (site/ or site-members/).")
@click.option("--as-of", default=None, metavar="YYYY-MM-DD", help="Publish as on this date.")
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
    except (Exception, SystemExit):  # MkDocs has logged the reason; its Abort is a SystemExit
        click.echo(f"Build failed. The site in {target}/ was left as it was.", err=True)
        sys.exit(1)
    click.echo(f"Built the {audience} site into {target}/.")


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
    renderer = Renderer(papers, Policy(papers, audience, day), [Path(templates_dir)])
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


if __name__ == "__main__":  # pragma: no cover - `python -m committee_papers.cli`
    main()
