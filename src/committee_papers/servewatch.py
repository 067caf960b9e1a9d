"""Which files of the data folder changed, as the kernel tells it (`mkdocs serve`).

Ten years of papers are 6,400 folders and 42,000 files. Finding what changed by listing
them and taking every file's stat cost about two seconds a rebuild at that size, and
`mkdocs serve`'s own watcher (a polling observer) walked them all twice a second while
idle. With inotify (watchdog's native observer) the kernel names each changed path, so a
serve rebuild lists and reads only the folders that changed, and an edit starts the
rebuild as soon as it is saved.

`take()` hands out the paths changed since the last call, or None when they are not known,
and the loader then checks every file as it does without a watcher:

- before the watcher runs and for the first load after it starts (what changed before
  is unknown);
- when more than `MOST_CHANGES` paths changed at once (a checkout, say);
- when the kernel's queue overflowed and events were lost (watchdog logs it; only changes
  are asked for, never reads, so the loader's own reading cannot fill the queue);
- when the watcher could not start (no inotify, or its limits reached): then serve polls
  the data folder as MkDocs does.

An event that arrives while a load runs goes to the next load (and starts another rebuild),
so a change is never lost between two loads.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.committee_papers")

#: More changed paths than this at once: check every file instead (see above).
MOST_CHANGES = 1000


class ChangedFiles:
    """The paths below one folder changed since the last `take()`."""

    def __init__(self, folder: Path) -> None:
        self.folder = os.path.abspath(folder)
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._known = False
        self._on_change: Callable[[], None] | None = None
        self._observer = None
        try:
            from watchdog import events
            from watchdog.observers import Observer

            handler = events.FileSystemEventHandler()
            handler.on_any_event = self._event  # type: ignore[method-assign]
            # Changes only: with opening and reading, a load of the archive would flood the
            # kernel's queue with 80,000 events of its own.
            changes = [
                events.FileModifiedEvent,
                events.FileCreatedEvent,
                events.FileDeletedEvent,
                events.FileMovedEvent,
                events.FileClosedEvent,
                events.DirModifiedEvent,
                events.DirCreatedEvent,
                events.DirDeletedEvent,
                events.DirMovedEvent,
            ]
            observer = Observer()
            observer.schedule(handler, self.folder, recursive=True, event_filter=changes)
            observer.start()
            self._observer = observer
            _OVERFLOWS.watchers.add(self)
        except Exception as error:  # no inotify, or its limits: check every file
            log.info(f"Watching {self.folder} by polling ({error})")

    @property
    def running(self) -> bool:
        return self._observer is not None

    def lost(self) -> None:
        """Events were lost: the next load checks every file."""
        with self._lock:
            self._known = False
            notify = self._on_change
        if notify is not None:
            notify()

    def _event(self, event: object) -> None:
        paths = [getattr(event, "src_path", ""), getattr(event, "dest_path", "")]
        with self._lock:
            self._paths.update(os.fsdecode(p) for p in paths if p)
            notify = self._on_change
        if notify is not None:
            notify()

    def on_change(self, notify: Callable[[], None]) -> None:
        """Call `notify` (from the watcher's thread) whenever a file changes, and now if a
        file changed since the last `take()`."""
        with self._lock:
            self._on_change = notify
            pending = bool(self._paths)
        if pending:
            notify()

    def take(self) -> set[str] | None:
        """The paths changed since the last call, or None when they are not known."""
        with self._lock:
            paths, known = self._paths, self._known
            self._paths, self._known = set(), self.running
        if not known or len(paths) > MOST_CHANGES:
            return None
        return paths

    def stop(self) -> None:
        _OVERFLOWS.watchers.discard(self)
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
            self._observer = None


class _Overflows(logging.Handler):
    """watchdog says when the kernel dropped events only in its log ("Inotify queue
    overflowed; filesystem events were lost"): each watcher then forgets what it knows."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.watchers: set[ChangedFiles] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            for watcher in list(self.watchers):
                watcher.lost()


_OVERFLOWS = _Overflows()
logging.getLogger("watchdog.observers").addHandler(_OVERFLOWS)
