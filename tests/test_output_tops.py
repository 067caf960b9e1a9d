"""The site's top entries the last build's outputs were written below, kept in the guard's
folder for the next build's first reading (sitefinish.py): only a prediction, so anything
unreadable in it is no prediction at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from committee_papers import sitefinish


@pytest.mark.parametrize(
    "text",
    ["", "not json", '{"api/": false}', '["api/", 3]', "null"],
    ids=["empty", "not json", "an object", "not all names", "null"],
)
def test_an_unreadable_list_is_no_prediction(tmp_path: Path, text: str) -> None:
    (tmp_path / sitefinish.OUTPUT_TOPS).write_text(text)
    assert sitefinish._expected_outputs(tmp_path) is None


def test_no_file_is_no_prediction_and_a_list_is_read_back(tmp_path: Path) -> None:
    assert sitefinish._expected_outputs(tmp_path) is None
    (tmp_path / sitefinish.OUTPUT_TOPS).write_text('["api/", "feed.xml", "meetings/"]')
    assert sitefinish._expected_outputs(tmp_path) == ["api/", "feed.xml", "meetings/"]
