"""Turning pydantic's validation errors into problems a clerk can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .problems import LineMap, Loc, Problems

M = TypeVar("M", bound=BaseModel)


def build(cls: type[M], data: Any, where: LineMap, problems: Problems, base: Loc = ()) -> M | None:
    """Validate `data` as `cls`; record each error with its file, line and field."""
    if not isinstance(data, dict):
        problems.add(where, base, f"expected a mapping of fields, found {_kind(data)}")
        return None
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            loc = tuple(part for part in item["loc"] if not _is_tag(part))
            problems.add(where, (*base, *loc), explain(cls, loc, item))
        return None


def explain(cls: type[BaseModel], loc: Loc, error: dict[str, Any]) -> str:
    """A message that says what was found and what was expected."""
    kind, found = error["type"], error.get("input")
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(cls, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown field{hint}; expected one of: {', '.join(allowed)}"
    if kind == "missing":
        return "is required but missing"
    if kind.startswith("date"):
        return f"{found} is not a date (expected YYYY-MM-DD)"
    if kind.startswith("time"):
        return f"{found} is not a time (expected HH:MM, 24-hour)"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{found!r} is not allowed; expected {expected}"
    if kind == "string_pattern_mismatch":
        return f"{found!r} {_pattern_hint(loc)}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind in {"dict_type", "model_type", "list_type", "string_type"}:
        return f"{error['msg'].replace('Input should be', 'expected')}, found {_kind(found)}"
    if isinstance(found, str | int | float):
        return f"{found!r}: {error['msg'].replace('Input should be', 'expected')}"
    return error["msg"]


def _pattern_hint(loc: Loc) -> str:
    last = str(loc[-1]) if loc else ""
    if last in {"number", "item"}:
        return "is not an item number (expected digits with an optional letter, e.g. 4 or 4a)"
    if last == "pages":
        return "is not a page range (expected the printed pages, e.g. 7-22 or 7)"
    if last == "label":
        return "is not an appendix label (expected a number or a capital letter)"
    return "is not an id (expected lower-case letters, digits and hyphens, e.g. budget-2026)"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"


def _is_tag(part: Any) -> bool:
    """pydantic puts union and validator tags in locations; they mean nothing to a clerk."""
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"})


def _fields_at(cls: type[BaseModel], loc: Loc) -> set[str]:
    """The fields allowed at `loc` inside `cls`, found by following its annotations."""
    current: Any = cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            current = info.annotation if info else None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return {
            info.alias or name
            for name, info in current.model_fields.items()
            if not info.exclude and name != "id"
        }
    return set()


def _unwrap(annotation: Any) -> Any:
    """Strip Optional, list[...] and dict[..., X] down to the model inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        elif origin in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        elif origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation
