"""The guard's withheld fragments (guard.secrets): passing over the objects the public
papers hold as they are finds exactly what walking every object finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import AS_OF, DATA, FIXTURE

from committee_papers import guard
from committee_papers.load import load
from committee_papers.model import Papers
from committee_papers.policy import Audience, Policy
from committee_papers.projection import project


def public_roots(shown: Papers) -> list[object]:
    """Every collection of the public papers, as the guard walks them."""
    return [
        shown.site,
        shown.people,
        shown.bodies,
        shown.meetings,
        shown.reports,
        *guard._decision_roots(shown),
    ]


def every_public_value(shown: Papers, shared: dict[int, object] | None = None) -> list[str]:
    """Everything the public papers say, in one walk of them all (no paper taken from a
    memo), dates as pages print them included; `shared` receives the objects walked."""
    found: list[str] = []
    guard._walk_public(public_roots(shown), found, {} if shared is None else shared)
    return found + list(guard._dates(shown))


def every_object_walked(full: Papers, shown: Papers) -> dict[str, str]:
    """`guard.secrets` as it was before objects were passed over: each walk whole."""
    public_values = set(every_public_value(shown))
    candidates: dict[str, str] = {}
    for paper, value in guard._withheld_candidates(full):
        if value in public_values:
            continue
        for fragment in guard.fragments(value):
            candidates.setdefault(fragment, paper)
    public = guard.Secrets(dict(candidates))
    for chunk in guard._chunks(sorted(public_values)):
        for fragment in public.find(guard._public_text(chunk)):
            candidates.pop(fragment, None)
    return candidates


@pytest.mark.parametrize("folder", [DATA, FIXTURE], ids=["demo", "fixture"])
def test_shared_objects_passed_over_give_the_same_secrets(folder: Path) -> None:
    full = load(folder)
    shown = project(full, Policy(full, Audience.public, dt.date.fromisoformat(AS_OF)))
    shared: dict[int, object] = {}
    every_public_value(shown, shared)
    assert shared  # the projection keeps objects as they are: some are passed over
    found = guard.secrets(full, shown)
    assert found.papers == every_object_walked(full, shown)
    assert found.papers  # the demo and the fixture withhold papers


def walked_by_calls(value: object, found: list[str], shared: dict[int, object]) -> None:
    """The public walk as one call per object (as it was before its loop over a stack)."""
    if type(value) is str:
        found.append(value)  # type: ignore[arg-type]
    elif type(value) in guard._ATOMS or isinstance(value, guard.Enum):
        return  # a str Enum too: a label, never text of the papers
    elif isinstance(value, str):
        found.append(value)
    elif isinstance(value, guard.BaseModel):
        shared[id(value)] = value
        for item in value.__dict__.values():
            walked_by_calls(item, found, shared)
    elif isinstance(value, list | tuple | set | frozenset):
        shared[id(value)] = value
        for item in value:
            walked_by_calls(item, found, shared)
    elif isinstance(value, dict):
        shared[id(value)] = value
        for key, item in value.items():
            walked_by_calls(key, found, shared)
            walked_by_calls(item, found, shared)


@pytest.mark.parametrize("folder", [DATA, FIXTURE], ids=["demo", "fixture"])
def test_the_public_walk_finds_every_string_and_object_a_call_per_object_finds(
    folder: Path,
) -> None:
    full = load(folder)
    shown = project(full, Policy(full, Audience.public, dt.date.fromisoformat(AS_OF)))
    roots = public_roots(shown)
    looped: tuple[list[str], dict[int, object]] = ([], {})
    called: tuple[list[str], dict[int, object]] = ([], {})
    guard._walk_public(roots, *looped)
    walked_by_calls(roots, *called)
    assert sorted(looped[0]) == sorted(called[0]) and len(looped[0]) > 300
    assert looped[1].keys() == called[1].keys()
