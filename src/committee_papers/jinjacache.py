"""Compiled templates kept between builds: in memory across `mkdocs serve` rebuilds, on
disk across `mkdocs build`s.

MkDocs makes a new Jinja environment for the theme at every build, and the plugin a new one
for the papers' templates, so every build compiled material's templates and the papers'
macros again: about a second of a serve rebuild, and 0.9 s of a re-build of ten years of
papers that draws a dozen pages (`bench/RESULTS.md`). Jinja's bytecode cache keeps the
compiled code by template name and file, and checks it against a hash of the template's
source before use, so an edited template is compiled afresh.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

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


def on_disk(env: jinja2.Environment, folder: Path | None) -> None:
    """Keep `env`'s compiled templates in `folder` (None: not kept), in a subfolder named by
    what else shapes them (`compile_settings`).

    Jinja's own file cache writes each template's code to a temporary file and renames it,
    so a build never reads another's half-written file, and it compiles afresh when a
    file's header or code cannot be read. An environment whose autoescaping is a function of
    the template's name is not kept: that function's answers shape the code, and cannot be
    named by a digest."""
    if folder is None or callable(env.autoescape):
        return
    place = folder / compile_settings(env)
    try:
        place.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a cache only saves work: the templates are compiled as before
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(place))


def compile_settings(env: jinja2.Environment) -> str:
    """A digest of what, besides a template's source, shapes its compiled code: Jinja's and
    Python's versions and the environment's syntax and compile options. Jinja keys its cache
    by the template's name and file and checks its source, not these, so environments that
    differ in them (the theme's and the papers') keep their code apart."""
    parts = [
        jinja2.__version__,
        sys.version,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        env.autoescape,
        _named(env.finalize),
        _named(env.code_generator_class),
        sorted(env.extensions),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _named(value: Any) -> str:
    """A setting by its value, or a function or class by its module and name (its repr
    names its address in memory, which differs in every process)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value))}"
    return repr(value)
