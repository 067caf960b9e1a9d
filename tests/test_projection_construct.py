"""What the projection makes of a withheld paper is what pydantic's `model_construct` makes.

The projection calls the default factories itself (`projection._constructed`): pydantic
2.14 inspects each factory's signature on every `model_construct`, some 200 µs a withheld
item at ten years of papers. The objects must not differ in any way a page, the open data
or the guard could see.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, Field

from committee_papers.model import AgendaItem, Appendix, MinuteItem
from committee_papers.projection import _constructed

WITHHELD: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (
        AgendaItem,
        {
            "number": "9",
            "kind": "report",
            "title": "Sale of the former depot",
            "part": 2,
            "purpose": "decision",
            "report_of": "Director of Place",
            "exempt": None,
            "pages": None,
            "heading": None,
        },
    ),
    (MinuteItem, {"item": "9", "exempt": None, "number": "45", "moved_to_part_2": False}),
    (
        Appendix,
        {
            "label": "B",
            "title": "",
            "exempt": None,
            "draft": False,
            "publish_on": None,
            "report_id": "depot",
        },
    ),
]


@pytest.mark.parametrize(("cls", "values"), WITHHELD, ids=lambda v: getattr(v, "__name__", ""))
def test_a_withheld_paper_is_what_model_construct_makes(
    cls: type[BaseModel], values: dict[str, Any]
) -> None:
    made = _constructed(cls, **values)
    expected = cls.model_construct(**values)
    assert type(made) is cls
    assert list(made.__dict__.items()) == list(expected.__dict__.items())
    assert made.model_fields_set == expected.model_fields_set == set(values)
    assert made.__pydantic_extra__ == expected.__pydantic_extra__
    # Each object has defaults of its own, as each model_construct gives.
    again = _constructed(cls, **values)
    for name, value in made.__dict__.items():
        if isinstance(value, list | dict | set):
            assert again.__dict__[name] is not value, name


def test_a_factory_that_takes_the_data_is_left_to_pydantic() -> None:
    class Paper(BaseModel):
        title: str
        tags: list[str] = Field(default_factory=list)
        slug: str = Field(default_factory=lambda data: data["title"].lower())

    made = _constructed(Paper, title="Budget")
    assert list(made.__dict__.items()) == [("title", "Budget"), ("tags", []), ("slug", "budget")]
    assert made.model_fields_set == {"title"}
