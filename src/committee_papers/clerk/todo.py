"""Placeholders left for the clerk: every "TO DO" in the data, with its file and line.

`papers new ...` and `papers import` mark what they could not fill with "TO DO:". The
placeholders are valid data (so the files load), which is why `papers check` lists them as
warnings: they do not stop a build, but a clerk sees what is left before publishing.
"""

from __future__ import annotations

from pathlib import Path

from ..problems import WARNING, Problem, display_path

MARK = "TO DO:"


def placeholders(data: Path) -> list[Problem]:
    """One warning per line of a YAML or Markdown file in `data` that holds "TO DO:"."""
    found = []
    for path in sorted([*data.rglob("*.yml"), *data.rglob("*.md")]):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # the loader reports unreadable files
        for number, line in enumerate(lines, start=1):
            if MARK in line:
                text = line.strip().lstrip("#-").strip()
                found.append(
                    Problem(display_path(path), number, "", f"placeholder: {text}", WARNING)
                )
    return found
