"""Script payloads in every text and URL field of the model, for the escaping tests.

The list of fields is made by walking the pydantic classes, so a field added to the model is
attacked without anyone editing this file. Fields that are identifiers or file names (a
pattern, an enum, a paragraph number checked against the jurisdiction) cannot hold free
text and are left alone; `SKIPPED` names the few without a pattern, with the reason.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from committee_papers import schemes
from committee_papers.model import Papers

MARK = "PWN"
#: Text typed by an attacker: script, event handlers, a break out of an attribute, an entity
#: the plain-text step would unescape, Markdown links and images with bad schemes, Jinja.
TEXT = (
    f'<script>alert("{MARK}")</script><img src=x onerror=alert(1)>"><svg onload=alert(1)>'
    "&quot;&gt;<b onmouseover=alert(1)>x</b> [a](javascript:alert(1)) [b]( JaVaScRipT:alert(1))"
    " [c](&#106;avascript:alert(1)) ![d](data:text/html,<script>alert(1)</script>)"
    " <javascript:alert(1)> {{ 7*7 }} {% raw %}"
)
#: An allowed scheme whose address tries to break out of the attribute it lands in.
URL = f'https://evil.example/?q="><script>alert("{MARK}")</script><img src=x onerror=alert(1)>'
#: What the model itself must refuse in a URL field.
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRipT:alert(1)",
    " \x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]

#: (class, field) pairs that hold no free text although typed `str`, and why.
SKIPPED = {
    ("Appendix", "file"): "a file name, read by the loader before rendering",
    ("Table", "file"): "a file name, read by the loader before rendering",
    ("EarlierMinutes", "file"): "a file name, read by the loader before rendering",
    ("Site", "logo"): "a file in the data folder, checked to exist",
    ("Site", "site_url"): "goes into MkDocs' config: refused unless a plain address (tested)",
    ("Column", "key"): "the key that joins a column to its rows (label is the text)",
    # and every `exempt`: paragraph numbers, each checked against the jurisdiction's list
}


#: Fields of classes the demo council does not use yet, so no payload reaches them here:
#: give the demo data one of each and empty this set. A new field anywhere else still fails.
NOT_IN_DEMO = {
    ("OnwardRecommendation", "to"),
    ("OnwardRecommendation", "text"),
    ("RouteStep", "outcome"),
    ("RouteStep", "body"),
    ("EarlierMinutes", "url"),
    ("EarlierMinutes", "title"),
    ("MinuteBlock", "answer"),
    ("MinuteBlock", "question"),
    ("MinuteBlock", "text"),
    ("MinuteBlock", "resolved"),
}


def _has_pattern(meta: Any) -> bool:
    """A constraint with a pattern, directly or inside a FieldInfo's metadata."""
    inner = getattr(meta, "metadata", None) or []
    return bool(getattr(meta, "pattern", None)) or any(_has_pattern(m) for m in inner)


def _leaves(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        if any(_has_pattern(m) for m in meta):
            yield "pattern"
        if any(getattr(m, "func", None) is schemes._check for m in meta):
            yield "url"
        yield from _leaves(base)
    elif origin in (typing.Union, types.UnionType, list, dict, tuple):
        args = typing.get_args(annotation)
        if origin is dict:
            args = args[1:]
        for arg in args:
            yield from _leaves(arg)
    else:
        yield annotation


def field_kind(cls: type[BaseModel], name: str) -> str | None:
    """'text' or 'url' for a field that holds free text or an address, else None."""
    info = cls.model_fields[name]
    if info.exclude or (cls.__name__, name) in SKIPPED:
        return None
    if any(_has_pattern(m) for m in info.metadata) or name == "exempt":
        return None
    leaves = set(_leaves(info.annotation)) - {type(None)}
    if "pattern" in leaves or not leaves <= {str, "url"}:
        return None
    return "url" if "url" in leaves else "text"


def model_classes(root: type[BaseModel] = Papers) -> list[type[BaseModel]]:
    """Every model class reachable from `root`'s fields (and `Minutes`, kept on meetings)."""
    from committee_papers.model import Minutes

    found: dict[str, type[BaseModel]] = {}

    def visit(cls: Any) -> None:
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            if cls.__name__ in found:
                return
            found[cls.__name__] = cls
            for info in cls.model_fields.values():
                for leaf in _all_types(info.annotation):
                    visit(leaf)

    visit(root)
    visit(Minutes)
    return list(found.values())


def _all_types(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _all_types(arg)


def attacked_fields() -> set[tuple[str, str]]:
    """Every (class, field) that takes a payload."""
    return {
        (cls.__name__, name)
        for cls in model_classes()
        for name in cls.model_fields
        if field_kind(cls, name)
    }


def plant(value: Any, done: set[tuple[str, str]]) -> None:
    """Put a payload in every text and URL field of `value` and everything below it."""
    if isinstance(value, BaseModel):
        cls = type(value)
        for name in cls.model_fields:
            kind = field_kind(cls, name)
            current = getattr(value, name)
            if kind:
                payload = URL if kind == "url" else TEXT
                setattr(value, name, _payload_like(current, payload, cls.model_fields[name]))
                if current is None and not _still_valid(value):
                    setattr(value, name, None)  # e.g. a reason that excludes another field
                    continue
                done.add((cls.__name__, name))
            else:
                plant(current, done)
        if hasattr(value, "minutes") and isinstance(value.minutes, BaseModel):
            plant(value.minutes, done)
        # Officers' Markdown read from files (the report's text, an appendix's file).
        if "body" in cls.model_fields and cls.model_fields["body"].exclude:
            value.body = TEXT
            done.add((cls.__name__, "body"))
    elif isinstance(value, list | tuple):
        for item in value:
            plant(item, done)
    elif isinstance(value, dict):
        for item in value.values():
            plant(item, done)


def _still_valid(value: BaseModel) -> bool:
    """Whether the model's own cross-field rules still hold (the projection re-validates)."""
    from pydantic import ValidationError

    try:
        type(value).model_validate(dict(value.__dict__))
    except ValidationError:
        return False
    return True


def _payload_like(current: Any, payload: str, info: Any) -> Any:
    """`payload` in the shape of the field: every string of a list or mapping replaced."""
    if isinstance(current, dict):
        return {key: _payload_like(item, payload, info) for key, item in current.items()}
    if isinstance(current, list):
        return [_payload_like(item, payload, info) for item in current] or [payload]
    if current is None and typing.get_origin(info.annotation) in (list, dict):
        return [payload] if typing.get_origin(info.annotation) is list else {}
    return payload


def build_payload_site(folder: Path, audience: str) -> Path:
    """The demo council with a payload in every field, built for `audience` into folder/site.

    The papers are changed after loading (URL fields would be refused by `papers check`),
    so this attacks the rendering: what reaches pages if anything gets past validation.
    """
    import pytest
    from support import AS_OF, DATA, build_site

    from committee_papers import load as load_module
    from committee_papers import preparation
    from committee_papers.load import Sources
    from committee_papers.problems import Problems

    papers = load_module.load(DATA)
    done: set[tuple[str, str]] = set()
    plant(papers, done)
    missing = attacked_fields() - done - NOT_IN_DEMO
    assert not missing, f"no demo data carries these fields, so they were not attacked: {missing}"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(
        preparation,
        "load_with_checks_beside",
        lambda *_, **__: (papers, Problems(), Sources(), None),  # no checks left running
    )
    try:
        return build_site(folder / "site", audience=audience, as_of=AS_OF)
    finally:
        monkeypatch.undo()
