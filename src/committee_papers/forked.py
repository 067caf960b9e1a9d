"""Work done in a fork of this process, its answer taken when it is wanted.

The guard's reader (leakscan.py) and a cold load (loadfork.py) each hand a part of their
work to a fork: the fork shares everything the process holds as it is (the matcher, the
load cache's state), and nothing is pickled but the answer, sent back through a pipe.
A fork that cannot answer (killed, out of memory, an error in it) answers nothing, and the
caller does that part itself: the result is the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.reduction import ForkingPickler
from typing import Any, Generic, TypeVar

from . import parentdeath

T = TypeVar("T")


def available() -> bool:
    """Whether this system can fork a process that keeps this one's memory."""
    return "fork" in multiprocessing.get_all_start_methods()


def runs(items: Sequence[T], count: int) -> list[list[T]]:
    """`items` cut into at most `count` runs, in order, of one size (the last shorter): a
    fork that places files works through one part of the folders, as the disk lays them."""
    size = max(1, -(-len(items) // max(1, count)))
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def dealt(items: Sequence[T], count: int) -> list[list[T]]:
    """`items` dealt to `count` hands, every `count`-th to each: each hand gets some of
    every kind of file the list holds in turn, so the work of each is alike."""
    return [list(items[start::count]) for start in range(min(count, len(items)))]


def pipe() -> tuple[Any, Any]:
    """A one-way pipe (receiving end, sending end) for a fork made after it: the build
    process tells a fork what it learns later (buildfork.py)."""
    return multiprocessing.get_context("fork").Pipe(duplex=False)


class Forked(Generic[T]):
    """`work(*args)`, started in a fork of this process when made."""

    def __init__(self, work: Callable[..., T], *args: Any, name: str | None = None) -> None:
        self._receive, self._process = _started(_answer, work, args, name)
        self._answer: tuple[bool, T | None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def answer(self) -> tuple[bool, T | None]:
        """(True, what `work` returned), or (False, None) when the fork did not answer;
        waits for the fork the first time."""
        if self._answer is None:
            try:
                self._answer = self._receive.recv()
            except (EOFError, OSError, pickle.UnpicklingError):
                self._answer = (False, None)
            self._receive.close()
            _reap_later(self._process)
        return self._answer

    def result(self, here: Callable[[], T]) -> T:
        """What `work` returned, or, when the fork did not answer, what `here()` gives (the
        same work done in this process)."""
        done, answer = self.answer()
        return answer if done else here()  # type: ignore[return-value]

    def stop(self) -> None:
        """End the fork, its answer wanted no more (a build that failed before using it)."""
        if self._answer is None:
            self._answer = (False, None)
            self._process.terminate()
            self._process.join()
            self._receive.close()


class Series:
    """`work(*args)`, a generator, run in a fork of this process when made: each thing it
    yields is an answer of its own, taken in order (`next`). One fork for several pieces
    of work: every fork of a large process costs it page copies as it goes on writing to
    its memory (some 1.4 s of CPU for 1.5 GB of objects touched on this machine)."""

    def __init__(self, work: Callable[..., Iterator[Any]], *args: Any, name: str | None = None):
        self._receive, self._process = _started(_answers, work, args, name)
        self._ended = False

    def next(self) -> tuple[bool, Any]:
        """(True, the next thing yielded), or (False, None) when the fork did not yield it
        (it failed, was stopped or ended first); waits for it."""
        if self._ended:
            return False, None
        try:
            done, answer = self._receive.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            done, answer = False, None
        if not done:
            self._end()
        return done, answer

    def waiting(self) -> bool:
        """Whether an answer (or the fork's end) can be taken now without waiting."""
        return not self._ended and self._receive.poll()

    def stop(self, wait: bool = True) -> None:
        """End the fork, no answer of it wanted any more; without `wait`, once its answers
        are all taken, it is reaped later (`_reap_later`)."""
        if not self._ended:
            self._process.terminate()
            self._end(wait)

    def _end(self, wait: bool = True) -> None:
        self._ended = True
        self._receive.close()
        if wait:
            self._process.join()
        else:
            _reap_later(self._process)


#: Forks that have answered or been told to end, not yet reaped (`reap_ended`).
_ENDING: list[Any] = []


def _reap_later(process: Any) -> None:
    """Let a fork that has answered (or been terminated) end without waiting for it: the
    kernel takes some 0.04 to 0.1 s to tear down a fork of a large process, which the
    build process waited for twice at the end of every re-build. It is reaped by
    `reap_ended`, or once it has ended (`reap_finished`), so a process that builds again
    and again (`mkdocs serve`, the tests) keeps none."""
    reap_finished()
    _ENDING.append(process)


def reap_finished() -> None:
    """Reap the forks let end that have ended, waiting for none (`is_alive` reaps them):
    their CPU is then counted among this process's finished children, as the build's
    steps count it (steps.cpu_seconds)."""
    _ENDING[:] = [ending for ending in _ENDING if ending.is_alive()]


def reap_ended() -> None:
    """Wait for every fork let end (`_reap_later`): they have answered or were terminated,
    so each is ending, not working (quickexit.py asks before it ends the program)."""
    while _ENDING:
        _ENDING.pop().join()


def _started(
    target: Callable[..., None], work: Callable[..., Any], args: tuple[Any, ...], name: str | None
) -> tuple[Any, Any]:
    """A fork running `target(work, args, send)`, and the end of the pipe it answers on."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    parentdeath.prctl()  # looked up before the fork, never in it
    bound = (os.getpid(), target, work, args, send)
    process = context.Process(target=_with_parent, args=bound, daemon=True, name=name)
    process.start()
    send.close()
    return receive, process


def _with_parent(parent: int, target: Callable[..., None], *args: Any) -> None:
    """`target(*args)` in a fork that ends with the build process (parentdeath.py)."""
    parentdeath.end_with(parent)
    target(*args)


def _answers(work: Callable[..., Iterator[Any]], args: tuple[Any, ...], send: Any) -> None:
    """Each answer pickled as it is yielded and sent by a thread of the fork's own: an
    answer larger than the pipe holds (the guard's secrets are megabytes) is taken only
    when the build process asks for it, and the fork goes on working meanwhile."""
    waiting: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send_each, args=(waiting, send), daemon=True)
    sender.start()
    try:
        for answer in work(*args):
            waiting.put(ForkingPickler.dumps((True, answer)))
    except BaseException:  # the caller does the rest itself
        waiting.put(ForkingPickler.dumps((False, None)))
    finally:
        waiting.put(None)
        sender.join()
        send.close()


def _send_each(waiting: queue.SimpleQueue[bytes | None], send: Any) -> None:
    while (pickled := waiting.get()) is not None:
        try:
            send.send_bytes(pickled)
        except OSError:  # the build process stopped listening
            return


def _answer(work: Callable[..., Any], args: tuple[Any, ...], send: Any) -> None:
    try:
        send.send((True, work(*args)))
    except BaseException:  # the caller does this part itself
        send.send((False, None))
    finally:
        send.close()
