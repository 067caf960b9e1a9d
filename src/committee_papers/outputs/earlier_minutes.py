"""Files of minutes of meetings held before the site began, published beside the agenda.

An agenda item may approve the minutes of a meeting that is not in the data
(`earlier_minutes: {file: ...}`): the file sits in the meeting's folder and is published at
`meetings/<meeting-id>/<file>` once the agenda is, so the agenda's link works. Part 2 items
never publish theirs to the public.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import GENERATORS, OutputFile

if TYPE_CHECKING:
    from ..model import Papers
    from ..policy import Policy


def files(papers: Papers, policy: Policy) -> Iterator[OutputFile]:
    for meeting in papers.meetings_in_date_order():
        if not policy.show_agenda(meeting):
            continue
        for item in meeting.agenda:
            earlier = item.earlier_minutes
            if earlier is None or not earlier.file or not policy.show_item_detail(item):
                continue
            source = Path(meeting.source).parent / earlier.file
            if source.is_file():
                yield OutputFile(f"meetings/{meeting.id}/{earlier.file}", source.read_bytes())


GENERATORS.append(files)
