"""Recording what the drawing of one page reads, so the page cache can tell when it is stale.

The page cache (pagecache.py) keeps each generated page's final HTML, and before reusing it
must know that nothing the page shows has changed. Guessing a page's dependencies from the
data would go wrong as soon as a template learns to show something new, so the engine
records them instead while it draws the page: every paper it looks up in the projected
model (a `TracedDict`), every whole collection it walks, the result of every query it asks
(`@query`: "which meetings present this report?"), and every use of the as-of date (a
`TracedDate`; most pages only compare dates with it, so a page changes with the date only
when a comparison it made comes out differently). A later build replays the record against
its own model: if every answer is the same, so is the page.

This module knows nothing of the model or of caching: it only forwards reads to the
`Recorder` that is active, and costs one global lookup per read when none is.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar


class Recorder(Protocol):
    """What the page cache does with the reads of the page being drawn."""

    paused: int

    def item(self, collection: str, key: Any, value: Any, present: bool) -> None: ...

    def whole(self, collection: str, mapping: dict[Any, Any]) -> None: ...

    def query(
        self, owner: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any
    ) -> bool: ...

    def date_compared(self, op: str, other: dt.date, result: bool) -> None: ...

    def date_part(self, name: str, value: int) -> None: ...

    def date_used(self) -> None: ...

    def can_replay(self, owner: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool: ...


#: The recorder of the page being drawn, or None (nothing is recorded).
_active: Recorder | None = None


def active() -> Recorder | None:
    """The recorder that is listening, or None when no page is being recorded or it paused."""
    recorder = _active
    return recorder if recorder is not None and not recorder.paused else None


def start(recorder: Recorder | None) -> Recorder | None:
    """Make `recorder` the active one; return the previous one (to give back to `start`)."""
    global _active
    previous, _active = _active, recorder
    return previous


_MISSING = object()


class TracedDict(dict):  # type: ignore[type-arg]
    """A dict of the model (meetings by id, ...) that reports its reads to the recorder.

    A lookup by key depends on that entry only; anything that walks the whole dict (iterate,
    values, items, len) depends on all of it.
    """

    __slots__ = ("name",)

    def __init__(self, name: str, *args: Any) -> None:
        super().__init__(*args)
        self.name = name

    def __reduce__(self) -> Any:
        return (dict, (dict(self.items()),))

    def _item(self, key: Any, value: Any, present: bool) -> None:
        recorder = active()
        if recorder is not None:
            recorder.item(self.name, key, value, present)

    def _whole(self) -> None:
        recorder = active()
        if recorder is not None:
            recorder.whole(self.name, self)

    def __getitem__(self, key: Any) -> Any:
        value = dict.get(self, key, _MISSING)
        self._item(key, value, value is not _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, _MISSING)
        self._item(key, value, value is not _MISSING)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        value = dict.get(self, key, _MISSING)
        self._item(key, value, value is not _MISSING)
        return value is not _MISSING

    def __iter__(self) -> Iterator[Any]:
        self._whole()
        return dict.__iter__(self)

    def __reversed__(self) -> Iterator[Any]:
        self._whole()
        return dict.__reversed__(self)

    def __len__(self) -> int:
        self._whole()
        return dict.__len__(self)

    def __eq__(self, other: object) -> bool:
        self._whole()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def keys(self) -> Any:
        self._whole()
        return dict.keys(self)

    def values(self) -> Any:
        self._whole()
        return dict.values(self)

    def items(self) -> Any:
        self._whole()
        return dict.items(self)

    def copy(self) -> dict[Any, Any]:
        self._whole()
        return dict(dict.items(self))


def _compare(op: str) -> Callable[[TracedDate, Any], Any]:
    base = getattr(dt.date, op)

    def compare(self: TracedDate, other: Any) -> Any:
        result = base(self, other)
        recorder = active()
        if recorder is not None and result is not NotImplemented:
            if isinstance(other, dt.date) and not isinstance(other, dt.datetime):
                recorder.date_compared(op, dt.date(other.year, other.month, other.day), result)
            else:
                recorder.date_used()
        return result

    compare.__name__ = op
    return compare


def _used(name: str) -> Callable[..., Any]:
    base = getattr(dt.date, name)

    def use(self: TracedDate, *args: Any, **kwargs: Any) -> Any:
        recorder = active()
        if recorder is not None:
            recorder.date_used()
        result = base(self, *args, **kwargs)
        # A date made from this one (`as_of - timedelta(days=300)`, `replace`) is a plain
        # date: its use is recorded as the exact date's, and its comparisons are not the
        # as-of date's (recorded as such, they would never replay as they went).
        if isinstance(result, TracedDate):
            return dt.date.fromordinal(dt.date.toordinal(result))
        return result

    use.__name__ = name
    return use


def _part(name: str) -> property:
    base = getattr(dt.date, name)

    def get(self: TracedDate) -> int:
        value = base.__get__(self)
        recorder = active()
        if recorder is not None:
            recorder.date_part(name, value)
        return value

    return property(get)


class TracedDate(dt.date):
    """The as-of date, reporting how a page uses it.

    A comparison is recorded with its result (the page depends on "the meeting of 3 March is
    past", not on the date itself); its year, month or day with their values; any other use
    (formatting, arithmetic, hashing) as a use of the exact date.
    """

    __lt__ = _compare("__lt__")
    __le__ = _compare("__le__")
    __gt__ = _compare("__gt__")
    __ge__ = _compare("__ge__")
    __eq__ = _compare("__eq__")
    __ne__ = _compare("__ne__")
    __hash__ = _used("__hash__")
    year = _part("year")  # type: ignore[assignment]
    month = _part("month")  # type: ignore[assignment]
    day = _part("day")  # type: ignore[assignment]
    for _name in (
        "__add__",
        "__radd__",
        "__sub__",
        "__rsub__",
        "__format__",
        "__str__",
        "__repr__",
        "__reduce__",
        "__reduce_ex__",
        "isoformat",
        "strftime",
        "ctime",
        "timetuple",
        "toordinal",
        "weekday",
        "isoweekday",
        "isocalendar",
        "replace",
    ):
        locals()[_name] = _used(_name)
    del _name

    @classmethod
    def of(cls, day: dt.date) -> TracedDate:
        return cls(day.year, day.month, day.day)


F = TypeVar("F", bound=Callable[..., Any])


def query(method: F) -> F:
    """Record a query's answer rather than the reads it makes to find it.

    "Which meetings present this report?" walks every meeting; recorded read by read, every
    report page would depend on every meeting. Recorded as question and answer, a page
    depends on the answer only, which a later build asks again and compares. Queries whose
    arguments the recorder cannot name again (not the model's own papers) fall back to
    recording their reads.
    """

    @functools.wraps(method)
    def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
        recorder = active()
        if recorder is None or not recorder.can_replay(self, args, kwargs):
            return method(self, *args, **kwargs)
        recorder.paused += 1
        try:
            result = method(self, *args, **kwargs)
        finally:
            recorder.paused -= 1
        recorder.query(self, method.__name__, args, kwargs, result)
        return result

    recorded.__wrapped_query__ = method  # type: ignore[attr-defined]
    return recorded  # type: ignore[return-value]
