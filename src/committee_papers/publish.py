"""Publishing a built site atomically: the new site replaces the old only when complete.

A build writes into a staging folder beside the target; only after the build, the checks
and the leak guard have passed is it renamed into place. A failed build leaves the last
good site exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_dir_for(target: Path) -> Path:
    """The folder a build writes into before it is published as `target`."""
    return target.parent / f".{target.name}.building"


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` with `staging`; the old site exists until the new one is in place."""
    old = target.parent / f".{target.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
