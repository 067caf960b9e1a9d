"""The leak guard's secrets worked out in a fork while the pages are drawn.

Which withheld fragments are secret depends on the papers alone (guard.secrets), not on
any page: it is known once the papers are projected. Working it out walks every string of
the full and the public papers and digests every public value, some 5 s of one core when
ten years of papers are re-built to publish one meeting, a step in which the second core
has little else to do. So the build forks as soon as the papers are projected (in
on_config, once the output folder's lock is held, before the page specs are made): the
fork works the secrets out first (keeping the guard's memo, secretsmemo.py, as the build
process would) while the build process makes the specs, draws the pages and writes the
other outputs, and the guard takes the answer when it starts reading the site. The fork is
buildfork.py's, which on a re-build then makes the outputs: each fork of the build
process, some 1.2 GB at ten years of papers, costs it page copies as it goes on writing to
its memory.

The answer crosses the pipe pickled, each automaton with its compiled bytes (leakmatch.
Matcher: loaded in a millisecond, where compiling ten years of fragments takes seconds). A
fork that does not answer (killed, out of memory, an error in it) means the build process
works the secrets out itself when the guard needs them: the same result, later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .guard import Secrets, secrets
from .model import Papers


class SecretsAhead:
    """`guard.secrets(full, shown, also_public, ...)`: worked out by the build's fork
    (buildfork.py runs `work` first, and `answered_by` names where its answer is
    taken), or here when there is none or it does not answer."""

    def __init__(
        self,
        full: Papers,
        shown: Papers,
        also_public: Iterable[str] = (),
        memory: Path | None = None,
        origins: Mapping[int, tuple[Any, bytes]] | None = None,
    ) -> None:
        self._args = (full, shown, list(also_public), memory, origins)
        self._answer: Callable[[], tuple[bool, Secrets | None]] | None = None
        self._stop_answer: Callable[[], None] | None = None
        self._found: Secrets | None = None

    def work(self) -> Secrets:
        """The secrets worked out (in whichever process calls this)."""
        return _secrets(*self._args)

    def answered_by(
        self, answer: Callable[[], tuple[bool, Secrets | None]], stop: Callable[[], None]
    ) -> None:
        """Take the secrets from `answer()` ((True, secrets), or (False, None): worked out
        here then); `stop()` ends the work that would answer."""
        self.stop()
        self._answer, self._stop_answer = answer, stop

    def secrets(self) -> Secrets:
        """The secrets: the fork's answer (waited for), or worked out here without one;
        kept, for whoever asks again."""
        if self._found is None:
            answer, self._answer, self._stop_answer = self._answer, None, None
            done, found = answer() if answer is not None else (False, None)
            self._found = found if done and found is not None else self.work()
        return self._found

    def stop(self) -> None:
        """Stop the work that would answer, wanted no more (the build failed before its
        guard); the secrets are then worked out here if still asked for."""
        stop, self._answer, self._stop_answer = self._stop_answer, None, None
        if stop is not None:
            stop()


def _secrets(
    full: Papers,
    shown: Papers,
    also_public: list[str],
    memory: Path | None,
    origins: Mapping[int, tuple[Any, bytes]] | None,
) -> Secrets:
    """`guard.secrets` as the guard asks for them: digested where a memory folder is kept."""
    digested = memory is not None
    return secrets(full, shown, also_public, digested=digested, memory=memory, origins=origins)
