"""Shared pieces of the model: the strict base class, id types and publication fields."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

SLUG = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, Field(pattern=SLUG)]
ItemNumber = Annotated[str, Field(pattern=r"^[0-9]+[a-z]?$")]
AppendixLabel = Annotated[str, Field(pattern=r"^([0-9]+|[A-Z])$")]


class Strict(BaseModel):
    """Base for every data class: unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Publication(Strict):
    """When a paper may be seen by the public: drafts and embargoed papers are not public."""

    draft: bool = False
    publish_on: dt.date | None = None
