"""Compiled templates kept in memory between `mkdocs serve` rebuilds.

MkDocs makes a new Jinja environment for the theme at every rebuild, and the plugin a new
one for the papers' templates, so every rebuild compiled material's templates and the
papers' macros again (about a second of a serve rebuild). Jinja's bytecode cache keeps the
compiled code by template name and file, and checks it against a hash of the template's
source before use, so an edited template is compiled afresh.
"""

from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in a dict, for one kind of environment in one process."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored when the source's hash differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
