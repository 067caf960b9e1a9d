"""Output files put in place by a fork while this process makes them.

Ten years of papers make some 57,000 output files, nearly all of them hard links to the
page cache's copies: about 1.5 s of system calls in every build. A thread could not do
them beside the making (each call would then wait for the interpreter's lock, held by the
making), so a fork of the build process does them, in the order they are made, from
batches sent through a pipe. What the fork could not link it copies, and says so. The
build process keeps every operation until the fork answers: a fork that does not answer
(killed, out of memory) has them all done again by the build process, each of which
replaces what is there, so the result is the same.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from pathlib import Path
from typing import Any

from .. import forked
from ..filelinks import link_or_copy

#: One output file: (its path in the site, the path to write, the file to link, its bytes).
Operation = tuple[str, str, "Path | None", bytes]

#: Operations sent to the fork at a time.
_BATCH = 512


class Beside:
    """A fork that puts output files in place (`put`), as `apply` would, until `finish`."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        receive, self._send = context.Pipe(duplex=False)
        self._fork = forked.Forked(_serve, receive, self._send, name="outputs-beside")
        receive.close()
        self.operations: list[Operation] = []
        self._batch: list[Operation] = []

    def put(self, operation: Operation) -> None:
        self.operations.append(operation)
        self._batch.append(operation)
        if len(self._batch) >= _BATCH:
            self._flush()

    def finish(self) -> set[str]:
        """Wait for the fork; the paths whose last file it copied or wrote rather than
        linked (every operation done here again when it did not answer)."""
        with contextlib.suppress(OSError):
            self._flush()
            self._send.send(None)
        self._send.close()
        return self._fork.result(lambda: apply_all(self.operations))

    def stop(self) -> None:
        """End the fork (the outputs failed): nothing more is put in place."""
        with contextlib.suppress(OSError):
            self._send.close()
        self._fork.stop()

    def _flush(self) -> None:
        if self._batch:
            batch, self._batch = self._batch, []
            # A fork gone cannot take it: `finish` then does everything here.
            with contextlib.suppress(OSError):
                self._send.send(batch)


def _serve(receive: Any, send: Any) -> set[str]:
    """In the fork: apply each batch received until told to stop."""
    send.close()  # only the build process sends: the pipe ends when it is gone
    linked: dict[str, bool] = {}
    while (batch := receive.recv()) is not None:
        for operation in batch:
            linked[operation[0]] = apply(operation)
    return _not_linked(linked)


def apply_all(operations: list[Operation]) -> set[str]:
    """Every operation in order, here; the paths not linked in the end (`finish`)."""
    return _not_linked({operation[0]: apply(operation) for operation in operations})


def _not_linked(linked: dict[str, bool]) -> set[str]:
    """The paths whose last file was copied or written, not linked."""
    return {path for path, link in linked.items() if not link}


def apply(operation: Operation) -> bool:
    """Put one output file in place, replacing what is there: a hard link to its source
    (True), or a copy of it where the two cannot be linked, or its bytes (False)."""
    _, target, source, data = operation
    if source is not None:
        return link_or_copy(source, target)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    with open(target, "wb") as out:
        out.write(data)
    return False
