"""An index made once for a build's papers and audience (perpapers.OncePerPapers)."""

from __future__ import annotations

from typing import Any

from committee_papers.perpapers import OncePerPapers


class _Papers:
    """Stands for a projection: equal to every other, so only identity tells them apart."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


def test_made_once_for_the_same_papers_and_policy_again_for_others() -> None:
    made: list[tuple[Any, Any]] = []

    def make(papers: Any, policy: Any) -> list[int]:
        made.append((papers, policy))
        return [len(made)]

    index = OncePerPapers(make)
    papers, policy = _Papers(), object()
    first = index(papers, policy)  # type: ignore[arg-type]
    assert index(papers, policy) is first  # type: ignore[arg-type]
    assert len(made) == 1
    other = _Papers()
    assert index(other, policy) == [2]  # type: ignore[arg-type]  # equal papers, not these
    assert index(other, object()) == [3]  # type: ignore[arg-type]  # another audience
    kept = index.kept()
    assert kept is not None and kept[0] is other
    index.forget()
    assert index.kept() is None
    assert index(other, policy) == [4]  # type: ignore[arg-type]
