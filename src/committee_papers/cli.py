"""The `papers` command: what clerks need beyond `mkdocs build`.

A thin layer: it calls the engine, formats problems for people, and sets the exit code.
Nothing else in the package prints.
"""

from __future__ import annotations

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
        click.echo(
            f"OK: {len(papers.bodies)} bodies, {len(papers.meetings)} meetings, "
            f"{len(papers.reports)} reports, {len(papers.people)} people."
        )
    sys.exit(1 if problems else 0)
