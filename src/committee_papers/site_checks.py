"""Checks of site.yml that the built site depends on, run by `papers check` and the build alike.

A build must never fail on something `check` passed: the logo is a file the site copies, and
the accessibility statement (a page every council's site publishes) needs the date it was
prepared. Both are checked here, in the engine, so both doors report them the same way.
"""

from __future__ import annotations

from pathlib import Path

from .model import Site
from .problems import LineMap, Problems, display_path


def check_site_settings(site: Site, data_dir: Path, where: LineMap, problems: Problems) -> None:
    if site.logo:
        logo = (data_dir / site.logo).resolve()
        if data_dir.resolve() not in logo.parents:
            problems.add(where, ("logo",), f"{site.logo!r} is outside the data folder")
        elif not logo.is_file():
            problems.add(
                where, ("logo",), f"{site.logo!r} is not a file in {display_path(data_dir)}"
            )
    if site.accessibility is None:
        problems.add(
            where,
            ("accessibility",),
            "is required: the accessibility statement needs the date it was prepared "
            "(accessibility: then statement_prepared: YYYY-MM-DD on the next line, indented)",
        )
