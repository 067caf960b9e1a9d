"""The leak guard's secrets worked out in a fork while the pages are drawn.

Which withheld fragments are secret depends on the papers alone (guard.secrets), not on
any page: it is known once the papers are projected. Working it out walks every string of
the full and the public papers and digests every public value, some 5 s of one core when
ten years of papers are re-built to publish one meeting, a step in which the second core
has little else to do. So the build forks as soon as the papers are projected: the fork
works the secrets out (keeping the guard's memo, secretsmemo.py, as the build process
would) while the build process draws the pages and writes the other outputs, and the
guard takes the answer when it starts reading the site.

The answer crosses the pipe as plain data: the fragments and their papers, the public
values' digests, and each automaton as its fragments and compiled bytes (loaded in a
millisecond, where compiling ten years of fragments takes seconds). A fork that does not
answer (killed, out of memory, an error in it) means the build process works the secrets
out itself when the guard needs them: the same result, later.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import forked
from .guard import Secrets, secrets
from .leakmatch import Matcher, Matchers
from .model import Papers

#: A matcher as plain data: its fragments, in order, and its compiled automaton if any.
_Part = tuple[list[str], bytes | None]


class SecretsAhead:
    """`guard.secrets(full, shown, also_public, ...)`, started in a fork when made."""

    def __init__(
        self,
        full: Papers,
        shown: Papers,
        also_public: Iterable[str] = (),
        memory: Path | None = None,
        fork: bool = True,
    ) -> None:
        self._args = (full, shown, list(also_public), memory)
        self._fork: forked.Forked[tuple[Any, ...]] | None = None
        if fork and forked.available():
            self._fork = forked.Forked(_portable_secrets, *self._args, name="guard-secrets")

    def secrets(self) -> Secrets:
        """The secrets: the fork's answer (waited for), or worked out here without one."""
        if self._fork is not None:
            done, answer = self._fork.answer()
            self._fork = None
            if done and answer is not None:
                return _restored(answer)
        full, shown, also_public, memory = self._args
        return secrets(full, shown, also_public, digested=memory is not None, memory=memory)

    def stop(self) -> None:
        """Stop the fork, wanted no more (the build failed before its guard)."""
        if self._fork is not None:
            self._fork.stop()
            self._fork = None


def _portable_secrets(
    full: Papers, shown: Papers, also_public: list[str], memory: Path | None
) -> tuple[Any, ...]:
    """In the fork: the secrets, as plain data."""
    found = secrets(full, shown, also_public, digested=memory is not None, memory=memory)
    return _portable(found)


def _portable(found: Secrets) -> tuple[Any, ...]:
    matcher = found.matcher
    parts = matcher.parts if isinstance(matcher, Matchers) else (matcher,)
    public = None if found.public is None else found.public.tobytes()
    return found.papers, public, [_part(part) for part in parts if part is not None]


def _part(matcher: Matcher) -> _Part:
    return matcher.fragments, matcher.compiled()


def _restored(answer: tuple[Any, ...]) -> Secrets:
    papers, public_bytes, parts = answer
    matchers = [Matcher(fragments, compiled) for fragments, compiled in parts]
    matcher = matchers[0] if len(matchers) == 1 else Matchers(*matchers)
    public = None
    if public_bytes is not None:
        public = array("Q")
        public.frombytes(public_bytes)
    return Secrets(papers, matcher, public)
