"""The leak guard's secrets worked out in a fork while the pages are drawn.

Which withheld fragments are secret depends on the papers alone (guard.secrets), not on
any page: it is known once the papers are projected. Working it out walks every string of
the full and the public papers and digests every public value, some 5 s of one core when
ten years of papers are re-built to publish one meeting, a step in which the second core
has little else to do. So the build forks as soon as the papers are projected: the fork
works the secrets out (keeping the guard's memo, secretsmemo.py, as the build process
would) while the build process draws the pages and writes the other outputs, and the
guard takes the answer when it starts reading the site.

The answer crosses the pipe pickled, each automaton with its compiled bytes (leakmatch.
Matcher: loaded in a millisecond, where compiling ten years of fragments takes seconds). A
fork that does not answer (killed, out of memory, an error in it) means the build process
works the secrets out itself when the guard needs them: the same result, later.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import forked
from .guard import Secrets, secrets
from .model import Papers


class SecretsAhead:
    """`guard.secrets(full, shown, also_public, ...)`, started in a fork when made."""

    def __init__(
        self,
        full: Papers,
        shown: Papers,
        also_public: Iterable[str] = (),
        memory: Path | None = None,
    ) -> None:
        self._args = (full, shown, list(also_public), memory)
        self._fork: forked.Forked[Secrets] | None = None
        if forked.available():
            self._fork = forked.Forked(_secrets, *self._args, name="guard-secrets")

    def secrets(self) -> Secrets:
        """The secrets: the fork's answer (waited for), or worked out here without one."""
        fork, self._fork = self._fork, None
        if fork is None:
            return _secrets(*self._args)
        return fork.result(lambda: _secrets(*self._args))

    def stop(self) -> None:
        """Stop the fork, wanted no more (the build failed before its guard)."""
        if self._fork is not None:
            self._fork.stop()
            self._fork = None


def _secrets(full: Papers, shown: Papers, also_public: list[str], memory: Path | None) -> Secrets:
    """`guard.secrets` as the guard asks for them: digested where a memory folder is kept."""
    return secrets(full, shown, also_public, digested=memory is not None, memory=memory)
