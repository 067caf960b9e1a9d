"""Shared pieces of the model: the strict base class, id types and publication fields."""

from __future__ import annotations

import datetime as dt
import re
from copyreg import __newobj__  # type: ignore[attr-defined]
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator

SLUG = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, Field(pattern=SLUG)]
ItemNumber = Annotated[str, Field(pattern=r"^[0-9]+[a-z]?$")]
AppendixLabel = Annotated[str, Field(pattern=r"^([0-9]+|[A-Z])$")]


class Strict(BaseModel):
    """Base for every data class: unknown fields are errors, so a typo never passes silently."""

    # A class's validator is built when it first validates, not at import: a re-build of
    # ten years of papers validates a few classes (the rest come unpickled), and building
    # every class's at import was 0.1 s of each build's start.
    model_config = ConfigDict(
        extra="forbid", frozen=False, str_strip_whitespace=True, defer_build=True
    )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its class, its fields and the names of those set: the load cache keeps
        ten years of papers as pickles, 240,000 papers, and pydantic's own way (a dict of
        state handed to `__setstate__`, a call in Python for each) was 0.24 s of the 0.86 s
        a re-build took to unpickle them. Extra fields are forbidden and no paper has
        private attributes; one that had either would be pickled pydantic's way."""
        if self.__pydantic_extra__ or self.__pydantic_private__:
            return (__newobj__, (type(self),), self.__getstate__())
        return (_restored, (type(self), self.__dict__, self.__pydantic_fields_set__))


_set = object.__setattr__


def _restored(kind: type[Strict], fields: dict[str, Any], fields_set: set[str]) -> Strict:
    """A paper unpickled (`Strict.__reduce__`): as pydantic's `__setstate__` leaves it."""
    paper = kind.__new__(kind)
    _set(paper, "__dict__", fields)
    _set(paper, "__pydantic_fields_set__", fields_set)
    _set(paper, "__pydantic_extra__", None)
    _set(paper, "__pydantic_private__", None)
    return paper


class Publication(Strict):
    """When a paper may be seen by the public: drafts and embargoed papers are not public."""

    draft: bool = False
    publish_on: dt.date | None = None


# --- exemption ------------------------------------------------------------------------------

_NOT_EXEMPT = {"false", "no"}
_PARAGRAPH_LIST = re.compile(
    r"^\s*(?:paras?\.?|paragraphs?)?\s*(\d+[a-z]?(?:\s*(?:,|and|&)\s*\d+[a-z]?)*)\s*$", re.I
)


class Exemption(list):
    """The statement that a paper is exempt, with the paragraphs it is exempt under, if known.

    Exemption is a statement of its own; the paragraphs are detail. Old papers often say only
    "Part II" or "not for publication", so the paragraphs may be unknown: the list is empty,
    but the paper is still exempt. An `Exemption` is therefore always true, even when empty,
    and any spelling of the marker (`true`, `yes`, `[]`, an empty string, a bare `exempt:`)
    withholds the paper. Only `false` or `no` say "not exempt". It fails closed.
    """

    def __bool__(self) -> bool:
        return True

    @property
    def paragraphs(self) -> list[str]:
        return list(self)

    @property
    def known(self) -> bool:
        return len(self) > 0

    @classmethod
    def parse(cls, value: Any) -> Exemption | None:
        if isinstance(value, Exemption):
            return value
        if value is None or value is True:
            return cls()
        if value is False:
            return None
        if isinstance(value, int | float):
            return cls([str(int(value))])
        if isinstance(value, str):
            text = value.strip()
            if text.lower() in _NOT_EXEMPT:
                return None
            found = _PARAGRAPH_LIST.match(text)
            if found:
                return cls(re.findall(r"\d+[a-z]?", found.group(1)))
            return cls()
        if isinstance(value, list | tuple):
            paragraphs = []
            for entry in value:
                if isinstance(entry, bool) or not isinstance(entry, str | int):
                    raise ValueError(
                        "exempt: expected paragraph numbers, e.g. [3] or [1, 2], or true"
                    )
                paragraphs.append(str(entry).strip())
            return cls(paragraphs)
        raise ValueError("exempt: expected paragraph numbers, e.g. [3] or [1, 2], or true")


def exemption(value: Any) -> Exemption | None:
    """An exemption from any spelling (see `Exemption`), for code that builds models."""
    return Exemption.parse(value)


#: The type of every `exempt:` field. Absent means not exempt; present, in any spelling but
#: `false` or `no`, means exempt (see `Exemption`).
ExemptField = Annotated[
    Exemption | None,
    PlainValidator(Exemption.parse, json_schema_input_type=list[str] | bool | str | None),
    PlainSerializer(lambda value: list(value) if value is not None else None),
    Field(description="Exempt (not for publication), with the paragraphs if known"),
]
