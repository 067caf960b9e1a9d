"""Images in reports' text, copied beside the report page that shows them.

`papers import` saves a Word report's pictures in the meeting folder (`images/<report>-1.png`)
and the report's Markdown refers to them relatively, so that `![alt](images/x.png)` on the
page /reports/<id>/ is /reports/<id>/images/x.png. Only reports the audience may see are
given (`papers` is the audience's projection), so an exempt report's pictures never reach
the public site.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import GENERATORS, OutputFile

if TYPE_CHECKING:
    from ..model import Papers, Report
    from ..policy import Policy

#: A Markdown image of a file in the meeting's images/ folder; no other path is copied.
IMAGE = re.compile(r"!\[[^\]]*\]\((images/[A-Za-z0-9][A-Za-z0-9._-]*)\)")


def files(papers: Papers, policy: Policy) -> Iterator[OutputFile]:
    # Only a report in a folder with an images/ folder can show one: asked once a folder,
    # where the pattern read ten years of reports' text (150 MB) on every build, 0.2 s.
    with_images: dict[str, bool] = {}
    shown: list[tuple[str, Report, str]] = []
    for report in papers.reports.values():
        folder = os.path.dirname(report.source)
        found = with_images.get(folder)
        if found is None:
            found = with_images[folder] = os.path.isdir(os.path.join(folder, "images"))
        if found:
            shown.append((report.id, report, folder))
    for _, report, folder in sorted(shown, key=lambda each: each[0]):
        for name in sorted(set(IMAGE.findall(report.body or ""))):
            path = Path(folder) / name
            if path.is_file():
                yield OutputFile(f"reports/{report.id}/{name}", path.read_bytes())


GENERATORS.append(files)
