"""Placeholders left for the clerk: every "TO DO" in the data, with its file and line.

`papers new ...` and `papers import` mark what they could not fill with "TO DO:". The
placeholders are valid data (so the files load), which is why `papers check` lists them as
warnings: they do not stop a build, but a clerk sees what is left before publishing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..problems import WARNING, Problem, display_path

MARK = "TO DO:"


def placeholders(data: Path, done: Mapping[Path, list[Problem]] | None = None) -> list[Problem]:
    """One warning per line of a YAML or Markdown file in `data` that holds "TO DO:".

    `done` holds the warnings of folders already scanned (as the loader read them, or from
    its cache): they are not read again.
    """
    # By their absolute paths as text: ten years of papers are 3,200 folders to look up,
    # and the load cache keeps the folders as the load that stored them named the data
    # folder (`papers check --data data` and a build's absolute path share one cache).
    known = {os.path.abspath(folder): warnings for folder, warnings in (done or {}).items()}
    found: list[Problem] = []
    paths: list[Path] = []
    # What Path.rglob("*.yml") and ("*.md") find (no descent into linked folders), pruned.
    for top, folders, names in os.walk(data):
        kept = []
        inside = os.path.abspath(top)
        for name in folders:
            warnings = known.get(os.path.join(inside, name))
            if warnings is not None:
                found.extend(warnings)
            else:
                kept.append(name)
        folders[:] = kept
        paths.extend(Path(top, name) for name in names if name.endswith((".yml", ".md")))
    return found + placeholders_in(sorted(paths))


def placeholders_in(paths: Iterable[Path]) -> list[Problem]:
    """The "TO DO" warnings of the YAML and Markdown files among `paths`."""
    found = []
    for path in paths:
        if not path.name.endswith((".yml", ".md")):
            continue
        try:
            data = path.read_bytes()
            if MARK.encode() not in data:
                continue  # almost every file: no need to decode and split it
            lines = data.decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # the loader reports unreadable files
        for number, line in enumerate(lines, start=1):
            if MARK in line:
                text = line.strip().lstrip("#-").strip()
                found.append(
                    Problem(display_path(path), number, "", f"placeholder: {text}", WARNING)
                )
    return found
