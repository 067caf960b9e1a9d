"""A file's line map as the load cache keeps it: its lines are unpickled only when read."""

from __future__ import annotations

import copy
import pickle

from committee_papers.problems import LineMap, Problems

UNPICKLED: list[str] = []


class _Noted(str):
    """A key that notes when it is unpickled."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return _noted, (str(self),)


def _noted(text: str) -> _Noted:
    UNPICKLED.append(text)
    return _Noted(text)


def test_lines_unpickled_only_when_read() -> None:
    UNPICKLED.clear()
    kept = pickle.loads(pickle.dumps(LineMap("data/people.yml", {(_Noted("alice"),): 4})))
    assert kept.path == "data/people.yml"
    assert UNPICKLED == []
    problems = Problems()
    problems.add(kept, ("alice", "name"), "expected text")
    assert UNPICKLED == ["alice"]
    assert [(p.path, p.line, p.field) for p in problems] == [("data/people.yml", 4, "alice.name")]


def test_a_map_never_read_pickles_to_the_same_bytes() -> None:
    UNPICKLED.clear()
    original = LineMap("data/site.yml", {(_Noted("name"),): 1, ("address", 0): 3})
    once = pickle.dumps(original)
    again = pickle.dumps(pickle.loads(once))
    assert again == once
    assert UNPICKLED == []


def test_an_unpickled_map_is_the_map() -> None:
    original = LineMap("data/bodies/cabinet.yml", {(): 1, ("members", 2): 9})
    kept = pickle.loads(pickle.dumps(original))
    assert kept == original and original == kept
    assert kept.line_of(("members", 2, "role")) == 9
    kept.lines[("chair",)] = 12
    assert kept != original
    assert pickle.loads(pickle.dumps(kept)).line_of(("chair",)) == 12
    assert copy.deepcopy(kept) == kept
    shallow = copy.copy(original)
    assert shallow.lines is original.lines
