"""Publishing a built site safely: one build at a time, and an atomic swap.

A build writes into a staging folder beside the target (`.site.building` beside `site/`);
only after the build, the checks and the leak guard have passed is it swapped into place.

- **One build at a time per output folder.** A build holds an exclusive `flock` on a lock
  file beside the target (`.site.lock`) from before MkDocs empties the staging folder until
  the swap is done. A second build into the same folder stops at once with a clear message
  rather than waiting: a clerk sees why, and a scheduled job runs again later. The lock is
  released by the kernel when the process ends, even when it is killed.
- **Either the old or the new site, at every instant.** The swap is one system call,
  Linux's `renameat2(RENAME_EXCHANGE)`, which exchanges the two folders atomically; the old
  site, now in the staging folder's place, is deleted afterwards. `site/` stays a plain
  folder that a web server or a person can browse.
- **Leftovers of a killed build** (a half-built staging folder, an old site not yet
  deleted, or a search index Pagefind was writing beside the staging folder) are removed by
  the next build, under the lock, never touching the live site. What a killed build left
  running writes nowhere the next build publishes: its forks and page placers end with it
  (parentdeath.py), and Pagefind writes into a folder of its own (`side_folder`).
- **Output folders that would destroy something** (the data, templates, docs, theme or
  project folder, or a folder holding them) are refused before anything is written, as is
  a members' build into a folder that holds a public site.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from . import siteskeleton

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class PublishError(Exception):
    """A build cannot be published; the message says why and what to do."""


def staging_dir_for(target: Path) -> Path:
    """The folder a build writes into before it is published as `target`."""
    return target.parent / f".{target.name}.building"


def side_folder(site: Path) -> Path:
    """A new name beside `site` (the folder a build writes) for a folder that a process of
    its own fills by path before the build renames it into the site (Pagefind's index):
    never the name of anything a later build writes, so such a process left running by a
    killed build writes nowhere that is published. `clean_leftovers` removes those left."""
    name = site.name if site.name.startswith(".") else f".{site.name}"
    return site.parent / f"{name}.side-{os.getpid()}-{time.monotonic_ns()}"


def _side_folders(target: Path) -> Iterable[Path]:
    """The folders `side_folder` named beside the staging folder of `target`."""
    return target.parent.glob(f"{staging_dir_for(target).name}.side-*")


def lock_file_for(target: Path) -> Path:
    """The lock file beside `target`; it also records which audience's site is there."""
    return target.parent / f".{target.name}.lock"


class BuildLock:
    """An exclusive lock on one output folder, held for the whole build."""

    def __init__(self, target: Path):
        self.target = target
        self.path = lock_file_for(target)
        self.handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise PublishError(
                f"another build into {self.target}/ is running (it holds {self.path.name}); "
                "this build stopped without changing anything. Run it again when the other "
                "has finished."
            ) from None
        self.handle = handle

    def audience(self) -> str | None:
        """The audience of the site last published into the folder, if known."""
        text = self.path.read_text(encoding="utf-8").strip() if self.path.exists() else ""
        return text.removeprefix("audience=") if text.startswith("audience=") else None

    def record(self, audience: str) -> None:
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            self.handle.write(f"audience={audience}\n")
            self.handle.flush()

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def clean_leftovers(target: Path) -> None:
    """Remove what a killed build left beside `target` (call with the lock held), and old
    sites whose deletion in the background was killed.

    Folders are renamed aside and deleted in the background, as the old site is after a
    swap: a half-built staging folder of ten years of papers is some 100,000 files. An old
    site whose deletion is still running (the last build's, on a busy machine) is left to
    it rather than deleted a second time while the build waits.
    """
    for leftover in (staging_dir_for(target), target.parent / f".{target.name}.old"):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()
        elif leftover.exists():
            _retire(leftover, target)
    for stale in siteskeleton.leftovers(target):
        if stale.is_dir() and not stale.is_symlink():
            _retire(stale, target)
        else:
            stale.unlink(missing_ok=True)
    running = jobs_running()
    for retired in [*target.parent.glob(f".{target.name}.old-*"), *_side_folders(target)]:
        if str(retired) not in running and not _delete_in_background(retired):
            shutil.rmtree(retired, ignore_errors=True)


def _retire(folder: Path, target: Path, keep_folders: bool = False) -> None:
    """Rename `folder` aside as an old site and delete it in the background (its files
    only, with `keep_folders`: siteskeleton.py)."""
    retired = siteskeleton.aside(target)
    os.rename(folder, retired)
    if keep_folders and siteskeleton.retire(retired, target):
        return
    if not _delete_in_background(retired):
        shutil.rmtree(retired)


def jobs_running() -> set[str]:
    """The folders a job of a build works on now (from /proc; empty where there is none):
    an `rm -rf -- FOLDER` started by _delete_in_background, or a skeleton job
    (siteskeleton.retire, siteskeleton.copy_of)."""
    running: set[str] = set()
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return running
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                words = handle.read().split(b"\0")
        except OSError:
            continue
        if len(words) >= 4 and words[1:3] == [b"-rf", b"--"] and words[0].endswith(b"rm"):
            running.add(os.fsdecode(words[3]))
        elif len(words) >= 5 and words[1] == b"-c" and words[2] in _SKELETON_JOBS:
            # made a skeleton of (siteskeleton.retire), or into (siteskeleton.copy_of)
            running.add(os.fsdecode(words[4]))
    return running


#: The skeleton jobs' scripts, as their command lines show them.
_SKELETON_JOBS = (siteskeleton.JOB, siteskeleton.COPY)


def swap_into_place(
    staging: Path,
    target: Path,
    *,
    background: bool = False,
    retired: Callable[[Path], object] | None = None,
    keep_folders: bool = False,
) -> None:
    """Put `staging` in place of `target` in one step, then delete the old site.

    `retired` is handed the old site's folder once the new site is live, before it is
    deleted: what it moves out of it is kept (the search store takes its indexes back).
    With `keep_folders` (and `background`) the old site's files are deleted and its folders
    kept for the next build (siteskeleton.py); where there was no old site, the new one's
    folders are made again beside it for the next build (`siteskeleton.copy_of`).

    With `background`, the old site is renamed aside (`.site.old-<pid>-<n>`) and deleted by
    a process of its own once the new one is live: at ten years of papers that is some
    100,000 files, whose deletion need not delay the publication. A deletion that has not
    finished by the next build is finished by it (clean_leftovers).
    """
    if not target.exists() and not target.is_symlink():
        os.rename(staging, target)
        if background and keep_folders:
            siteskeleton.copy_of(target)
        return
    _exchange(staging, target)
    # The old site is now where the staging folder was; a kill here leaves it for the next
    # build to clean up, while the new site is already live.
    if retired is not None:
        with contextlib.suppress(OSError):
            retired(staging)
    if background:
        _retire(staging, target, keep_folders)
        return
    shutil.rmtree(staging)


def _delete_in_background(folder: Path) -> bool:
    """Start `rm -rf folder` in its own session (it outlives the build); False without rm."""
    rm = shutil.which("rm")
    if rm is None:
        return False
    subprocess.Popen(
        [rm, "-rf", "--", str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return True


def _exchange(first: Path, second: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # pragma: no cover - Linux with glibc 2.28+ has it
        raise PublishError("this system cannot swap folders atomically (no renameat2)")
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result != 0:
        code = ctypes.get_errno()
        raise PublishError(
            f"could not swap {first} into {second}: {os.strerror(code)}"
            + (" (the file system cannot exchange folders)" if code == errno.EINVAL else "")
        )


def refuse_dangerous_output(
    target: Path, protected: Iterable[tuple[str, Path]], inside_forbidden: Iterable[Path]
) -> None:
    """Refuse an output folder that a build would wipe along with something precious.

    `protected` are (what, folder) pairs: the output may be neither one of them nor a
    folder that holds one. `inside_forbidden` are folders the output may not be inside.
    """
    out = target.resolve()
    for what, folder in protected:
        place = folder.resolve()
        if out == place or out in place.parents:
            raise PublishError(
                f"the output folder {target} is {'' if out == place else 'a folder holding '}"
                f"the {what} ({folder}); building there would delete it. Choose another "
                "output folder (-d)."
            )
    for folder in inside_forbidden:
        place = folder.resolve()
        if place in out.parents:
            raise PublishError(
                f"the output folder {target} is inside {folder}; choose an output folder "
                "outside it (-d)."
            )


def lock_output(
    target: Path,
    protected: Iterable[tuple[str, Path]],
    inside_forbidden: Iterable[Path],
    audience: str,
) -> BuildLock:
    """The lock on the output folder `target`, held until released: a dangerous folder
    refused (`refuse_dangerous_output`), a members' build refused where the public site
    was published, and a killed build's leftovers cleared. `PublishError` says why not."""
    refuse_dangerous_output(target, protected, inside_forbidden)
    lock = BuildLock(target)
    lock.acquire()
    if audience == "members" and lock.audience() == "public":
        lock.release()
        raise PublishError(
            f"{target}/ holds the public site: a members' build never goes there. "
            "Choose another output folder (-d), e.g. site-members."
        )
    clean_leftovers(target)
    return lock
