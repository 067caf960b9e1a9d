"""The `papers` command: what clerks need beyond `mkdocs build`.

A thin layer: it calls the engine, formats problems for people, and sets the exit code.
Nothing else in the package prints.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .asof import parse_as_of
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
def build(
    config_file: str,
    members: bool,
    site_dir: str | None,
    as_of: str | None,
    data_dir: str | None,
    templates_dir: str | None,
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
        )
    except (Exception, SystemExit):  # MkDocs has logged the reason; its Abort is a SystemExit
        click.echo(f"Build failed. The site in {target}/ was left as it was.", err=True)
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
