"""Work done in a fork of this process, its answer taken when it is wanted.

The guard's reader (leakscan.py) and a cold load (loadfork.py) each hand a part of their
work to a fork: the fork shares everything the process holds as it is (the matcher, the
load cache's state), and nothing is pickled but the answer, sent back through a pipe.
A fork that cannot answer (killed, out of memory, an error in it) answers nothing, and the
caller does that part itself: the result is the same either way.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def available() -> bool:
    """Whether this system can fork a process that keeps this one's memory."""
    return "fork" in multiprocessing.get_all_start_methods()


class Forked(Generic[T]):
    """`work(*args)`, started in a fork of this process when made."""

    def __init__(self, work: Callable[..., T], *args: Any, name: str | None = None) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_answer, args=(work, args, send), daemon=True, name=name
        )
        self._process.start()
        send.close()
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
            self._process.join()
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


def _answer(work: Callable[..., Any], args: tuple[Any, ...], send: Any) -> None:
    try:
        send.send((True, work(*args)))
    except BaseException:  # the caller does this part itself
        send.send((False, None))
    finally:
        send.close()
