"""The build's one fork: the guard's secrets, then a re-build's output files, worked out
while MkDocs draws the pages.

Publishing one meeting into ten years of papers remakes a dozen output files, but the
outputs step still walks all 57,000 of them: each is checked against the page cache (its
recorded reads asked again), the open data's runs are copied into `api/all.json`, the
feeds and calendars are made, and every file is linked into the site. That is some 6 s of
one core, and it came after the pages, while the second core had little to do: the
outputs depend on the projected papers alone, never on a page.

So a build forks as soon as its papers are projected, before the page specs are made: the
fork works out the guard's secrets first (secretsahead.py: the second core is idle while
the build process makes the specs), then waits. In on_files the build process opens the
page cache (every plugin's configuration is final and MkDocs has emptied the staging
folder by then) and, for a re-build, tells the fork the cache's key: the fork takes the
same cache (a re-build's, opened by the build process before the fork, is the fork's copy
while the key is the same: mkdocs_plugin), makes the outputs through it and puts them in
the staging folder, while the build process plans and draws the pages. It answers with
which files are links to the cache's copies (the guard knows those without reading them)
and with what the cache learnt (`pagecache.OutputsMade`: the files made afresh, with their
reads, are taken into the build process's index). Outputs that depend on the papers alone
(`outputs.AHEAD`: the feeds, made afresh by every build) are made by the fork as soon as
the secrets are worked out, before it takes the go, and written with the others. The
paths do not meet MkDocs' own: the outputs are the open data, feeds, calendars and files beside a
paper, never a page, a theme file or the sitemap.

A fork that does not answer (killed, out of memory, an error in it) means the build process
makes the outputs itself, each file replacing whatever the fork left: the same site. An
error in the outputs (a path outside the site) is so raised by the build process, as
without the fork. A first build of an archive has its outputs made by the fork too, at a
lower priority (`NICER`): its pages step leaves the second core idle once the papers' HTML
is drawn.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import pickle
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import decisions, forked, scratch
from .guard import Secrets
from .leakscan import EarlyScan, Stored, scan_early
from .outputs import (
    AHEAD,
    Generator,
    Linked,
    OutputFile,
    after_cache,
    all_files,
    remembered,
    write,
)
from .outputs.beside import Beside
from .searchindex import INDEX_DIR
from .secretsahead import SecretsAhead
from .siteskeleton import Kept
from .urls import api_url

T = TypeVar("T")

if TYPE_CHECKING:
    from .model import Papers
    from .pagecache import PageCache
    from .policy import Policy


def start_fork(
    staging: Path,
    policy: Policy,
    full_papers: Papers,
    template_text: list[str],
    guard_cache: Path | None,
    open_cache: Callable[[bytes], PageCache] | None,
    origins: Mapping[int, tuple[Any, bytes]] | None = None,
    opened: Callable[[], PageCache | None] | None = None,
) -> tuple[SecretsAhead | None, BuildFork | None]:
    """The guard's secrets (none for a members' build, which has no guard) and the fork
    that works them out, then makes a re-build's outputs through the page cache opened by
    `open_cache` (None: no page cache). Either may be None: without a fork (a system that
    does not fork, or nothing for it to do) the secrets are worked out when the guard
    wants them and the outputs after the pages. `origins` (load.origins) lets the secrets
    take each unchanged paper's public values from the guard's memo (publicmemo.py).
    `opened` gives the page cache a re-build opened before the fork (in the fork, its
    copy), on which the fork fingerprints the register before it is told to go."""
    secrets = None
    if not policy.members:
        secrets = SecretsAhead(full_papers, policy.papers, template_text, guard_cache, origins)
    if not forked.available() or (secrets is None and open_cache is None):
        return secrets, None
    # Both processes read the whole decisions register (the page specs' year pages here,
    # the feeds and open data there): made once before the fork, it is the fork's too
    # (0.5 s of CPU each at ten years of papers).
    _register(policy)
    fork = BuildFork(
        staging,
        policy,
        open_cache,
        first=secrets.work if secrets is not None else None,
        guard_cache=guard_cache if secrets is not None else None,
        opened=opened,
    )
    if secrets is not None:
        secrets.answered_by(fork.first_answer, fork.stop)
    return secrets, fork


#: A page cache holding this many entries marks a re-build of an archive: its outputs are
#: made ahead, and the fork then reads the site early for the guard.
REBUILD_FROM = 2_000
#: A first build of this many pages has its outputs made ahead too (at a lower priority).
FIRST_BUILD_AHEAD_FROM = 2_000


def ahead_wanted(cache: PageCache | None, pages: int = 0) -> bool:
    """Whether this build makes its outputs in a fork, on a system that forks: a re-build (a
    page cache holding an archive's entries), or a first build of an archive (`pages` of
    them or more), whose pages step leaves the second core idle once the papers' HTML is
    drawn (the theme is drawn by the build process alone: 20 s and more at ten years of
    papers)."""
    if cache is None or not forked.available():
        return False
    return rebuild(cache) or pages >= FIRST_BUILD_AHEAD_FROM


#: What a first build's fork's early reading leaves: the search index (moved in while it
#: reads) and the open data's bulk file (265 MB at ten years of papers), which the guard's
#: last step reads on both cores, proved by its parts (leakparts.py).
BULK = api_url("all")
LEFT_EARLY = (f"{INDEX_DIR}/", BULK)
#: What tells a first build's fork to read early until the build process asks for what
#: it read (`read_early`).
UNTIL_ASKED = "until asked"


#: How much less the fork's share of the processor is while it makes a first build's
#: outputs (`os.nice`): at the default share it slowed the pages step by 14 s at ten
#: years of papers, and the build by as much as it gained.
NICER = 10


def _register(policy: Policy) -> list[decisions.Decision]:
    """The decisions register of `policy`'s papers, made once a build (made before the
    fork, it is the fork's too: the same decisions, in the same order)."""
    return decisions.register_once(policy.papers, policy)


#: The kinds of value a re-build's fork fingerprints for the build process (`RegisterPrints`).
REGISTER_KINDS: tuple[type, ...] = (decisions.Decision,)


@dataclass(frozen=True)
class RegisterPrints:
    """A re-build's fork's fingerprints of the decisions register, with their ids."""

    ids: list[str]
    prints: list[bytes]


def rebuild(cache: PageCache | None) -> bool:
    """Whether the page cache marks a re-build (`REBUILD_FROM` entries or more)."""
    return cache is not None and len(cache.entries) >= REBUILD_FROM


class BuildFork:
    """One fork of the build process, started once the papers are projected: it works out
    `first()` when given (the guard's secrets, secretsahead.py), answers, then waits for
    `go`. Told the page cache's key (the build process opens its cache once MkDocs has
    emptied the staging folder and every plugin has set the configuration), it opens the
    same cache with `open_cache(key)` (a re-build's is the one the build process opened
    before the fork, while the key is its: mkdocs_plugin), and makes a re-build's outputs
    through it into `staging`; told None (a first build: the build process makes them), or without
    `open_cache` (a build without a page cache), it ends. After the outputs, told to
    (`read_early`), it reads the site for the guard with the secrets it worked
    out and `guard_cache`, the guard's record.

    Each answer is taken once, in order: `first_answer` for `first()`, `result` for the
    outputs (taking the first answer too, kept for `first_answer`), `early_read` for the
    early reading."""

    def __init__(
        self,
        staging: Path,
        policy: Policy,
        open_cache: Callable[[bytes], PageCache] | None,
        first: Callable[[], Any] | None = None,
        guard_cache: Path | None = None,
        opened: Callable[[], PageCache | None] | None = None,
    ) -> None:
        self._staging, self._policy = staging, policy
        self._first = first is not None
        self._first_taken: tuple[bool, Any] | None = None
        #: Whether a re-build's fork answers with the decisions register's fingerprints,
        #: not yet taken (`take_register_prints`).
        self._register_prints = False
        self._cache: PageCache | None = None
        self._reading = False
        #: Whether the fork, once its outputs are in, reads the site early for the guard
        #: only until the build process asks for what it read: a first build's, as the
        #: cache was when `go` was told (its entries grow as the pages are drawn). Pagefind
        #: keeps both cores nearly busy then, and the fork reads at its lower priority
        #: (`NICER`) in what they leave; the guard's last step, on both cores, reads the
        #: rest. A re-build's fork reads nothing for the guard: the build process reads
        #: ahead itself while Pagefind indexes (sitefinish.SiteFinish._scan_ahead).
        self.until_asked = False
        #: The files of fingerprints and of the old site's files handed to the fork with
        #: the cache's key (`go`), if any.
        self._handed: str | None = None
        self._kept: str | None = None
        go_receive, self._go = forked.pipe()
        self._fork: forked.Series | None = forked.Series(
            _ahead,
            staging,
            policy,
            open_cache,
            first,
            guard_cache,
            go_receive,
            self._go,
            opened,
            name="ahead",
        )
        go_receive.close()  # the fork's end

    def go(self, cache: PageCache | None, kept: Kept | None = None) -> None:
        """Let the fork make the outputs through a copy of `cache` (opened there from its
        key) into the old site `kept` in the staging folder (siteskeleton.take), if any,
        or, with None, end once `first` is answered."""
        if self._go is None:
            return
        self._cache = cache
        self.until_asked = not rebuild(cache)
        self._register_prints = rebuild(cache)
        # A first build's fingerprints of papers as loaded (`Fingerprints.prime`), made
        # after the fork began: as `known`, the fork's cache need not make them again.
        # Handed in a file: the fork reads its pipe only once its secrets are worked out,
        # and six megabytes sent down the pipe held the build process until then.
        if cache is not None and not cache.prints.known and cache.prints.learnt:
            self._handed = _hand(cache.prints.learnt)
        # The old site's files, 100,000 at ten years of papers, in a file too.
        if cache is not None and kept is not None:
            # Not the listing kept for the guard (`Kept.listed`), which this process reads.
            self._kept = _hand(dataclasses.replace(kept, listed=None))
        with contextlib.suppress(OSError):
            self._go.send(None if cache is None else (cache.key, self._handed, self._kept))
        if cache is None:
            self._close_go()
            if not self._first:
                self.stop()

    def early_read(self) -> EarlyScan | None:
        """What the fork read early (told to: `read_early`), waited for; None when it was
        not asked or did not answer (the guard then reads every file itself)."""
        if not self._reading:
            return None
        self._reading = False
        self._close_go()  # told so, a fork reading `until_asked` answers with what it read
        done, answer = self._next()
        self.stop()
        return answer if done and isinstance(answer, EarlyScan) else None

    def _close_go(self) -> None:
        if self._go is not None:
            self._go.close()
            self._go = None

    @property
    def makes_outputs(self) -> bool:
        """Whether the fork was told to make the outputs (`go` with a cache)."""
        return self._cache is not None

    def first_answer(self) -> tuple[bool, Any]:
        """(True, what `first()` gave in the fork), or (False, None) when it did not answer
        (the caller does that work itself)."""
        if self._first_taken is None:
            self._first_taken = self._next() if self._first else (False, None)
            if self._cache is None:
                self.stop()  # no outputs to wait for
        return self._first_taken

    def read_early(self) -> bool:
        """Tell a first build's fork to read the site for the guard once its outputs are
        in, until the build process asks (`early_read`, which closes its end of the pipe);
        whether it was told: only in a first build whose outputs it makes, with the
        secrets it worked out. Told before the fork's outputs are taken, so that the fork
        goes on from its outputs to the reading without waiting, while Pagefind writes the
        search index: a file written after the fork listed the site, or not what it was
        when read, is read by the guard's last step (`leakscan.scan_early`)."""
        go = self._go
        if go is None or not self._first or not self.makes_outputs or not self.until_asked:
            return False
        with contextlib.suppress(OSError):
            go.send(UNTIL_ASKED)
            self._reading = True
        return self._reading

    def take_register_prints(self) -> bool:
        """Give the build process's page cache the fingerprints of the decisions register
        that a re-build's fork made (waited for); whether it took them. The register is
        the one made before the fork (`start_fork`): the same decisions, in the same order,
        which the ids the fork sends with them confirm."""
        if not self._register_prints:
            return False
        self._register_prints = False
        assert self._cache is not None
        done, answer = self._after_first()
        if not done or not isinstance(answer, RegisterPrints):
            return False
        register = _register(self._policy)
        if [d.id for d in register] != answer.ids:
            return False
        self._cache.prints.take_frozen_prints(register, answer.prints)
        return True

    def result(self, written: set[str] | None = None) -> Linked:
        """Wait for the fork, take what the cache learnt in it; the output files linked
        from the cache's copies, by path (`written` gets every output file's path). Made
        here when the fork did not answer. The fork then ends, unless told to
        `read_early`."""
        cache = self._cache
        assert cache is not None, "result() is for a build whose outputs the fork makes"
        self.take_register_prints()  # answered before the outputs: taken first, if not yet
        done, answer = self._after_first()
        if not self._reading:
            self.stop(wait=False)  # answered: it ends while the build goes on
        if not done or answer is None:
            return made_here(self._staging, self._policy, cache, written=written)
        copies, others, learnt, unlinked = answer
        cache.take_outputs(learnt)
        linked = _linked_together(copies, others, cache)
        if linked is None:  # a copy this process's cache does not name: made here instead
            return made_here(self._staging, self._policy, cache, written=written)
        if written is not None:
            written.update(linked)
            written.update(unlinked)
        return linked

    def stop(self, wait: bool = True) -> None:
        """End the fork, its answers wanted no more (taken, or the build failed); without
        `wait`, it is reaped later (`forked.reap_ended`)."""
        self._close_go()
        if self._fork is not None:
            self._fork.stop(wait)
            self._fork = None
        for handed in (self._handed, self._kept):  # the fork removes each once read
            if handed is not None:
                with contextlib.suppress(OSError):
                    os.remove(handed)
        self._handed = self._kept = None

    def _after_first(self) -> tuple[bool, Any]:
        """The fork's next answer, the first (`first_answer`) taken and kept before it."""
        if self._first:
            self.first_answer()
        return self._next()

    def _next(self) -> tuple[bool, Any]:
        if self._fork is None:
            return False, None
        return self._fork.next()


def made_here(
    staging: Path,
    policy: Policy,
    cache: PageCache | None,
    beside: Beside | None = None,
    generators: list[Generator] | None = None,
    made: Iterable[OutputFile] = (),
    written: set[str] | None = None,
    kept: Kept | None = None,
) -> Linked:
    """Every output file of `policy`'s papers (or those of `generators`, after the files
    `made` already) written into `staging`, through `cache` when there is one (`beside`, a
    fork that puts them in place, is ended either way); the files linked from the cache's
    copies, by path, those the old site `kept` holds already left as they are. `written`
    gets every file's path (outputs.write)."""
    linked: Linked = {}
    with remembered(cache):
        files = all_files(policy.papers, policy, generators)
        there = already_there(kept, cache)
        write(staging, itertools.chain(made, files), linked, beside, written, there)
    return linked


def already_there(kept: Kept | None, cache: PageCache | None) -> Callable[[str, str], bool] | None:
    """Whether the old site `kept` holds the file at a path (in the site) as the cache's
    copy at another (the page cache's folder listed once: `PageCache.stored_inodes`); None
    when there is no old site or no cache."""
    if kept is None or cache is None or cache.device is None:
        return None
    device, inodes = cache.device, cache.listed_inodes()
    holds = kept.holds

    def there(path: str, source: str) -> bool:
        return holds(path, inodes.get(os.path.basename(source)), device)

    return there


def _ahead(
    staging: Path,
    policy: Policy,
    open_cache: Callable[[bytes], PageCache] | None,
    first: Callable[[], Any] | None,
    guard_cache: Path | None,
    go: Any,
    go_sending: Any,
    opened: Callable[[], PageCache | None] | None = None,
) -> Iterator[Any]:
    # This process never sends: with its copy closed, the build process ending means EOF.
    go_sending.close()
    with contextlib.closing(go):
        found = first() if first is not None else None
        if first is not None:
            yield found
        # While the build process makes the page specs, before the cache is open.
        made = list(all_files(policy.papers, policy, AHEAD)) if open_cache is not None else []
        early = opened() if opened is not None and open_cache is not None else None
        ahead = _register_ahead(policy, early) if rebuild(early) else None
        try:
            told = go.recv()
        except (EOFError, OSError):
            return
        if told is None or open_cache is None:
            return
        key, handed, kept_in = told
        learnt = _taken(handed, dict) or {}
        kept = _taken(kept_in, Kept)
        cache = open_cache(key)
        cache.prints.known.update(learnt)
        # What the cache knew when opened, the build process knows: only what is learnt
        # from here on goes back, the papers fingerprinted for the register's prints
        # included (counted as known before, the 46,000 resolutions and minute items the
        # register names were never kept, and were fingerprinted afresh every re-build).
        before = set(cache.prints.learnt) | set(learnt)
        if ahead is not None and cache is not early:
            ahead = None  # another key's cache: its own fingerprints, made below
        if ahead is not None:
            before = ahead[0] | set(learnt)  # the register's papers learnt since go back too
        if rebuild(cache):
            # First the register's fingerprints, which the build process then takes
            # (`BuildFork.take_register_prints`) as its check of the pages first needs
            # them, rather than making them again; this process needs them for the feeds
            # and open data.
            yield ahead[1] if ahead is not None else _register_prints(policy, cache)
        else:
            # A first build's pages keep both cores busy while their HTML is drawn in a
            # second process, then leave one idle: the outputs take what the pages leave.
            os.nice(NICER)
        written: set[str] = set()
        linked = made_here(
            staging,
            policy,
            cache,
            generators=after_cache(),
            made=made,
            written=written,
            kept=kept,
        )
        # The files not linked are few: sent by name (the build process removes the old
        # site's files it did not make again: siteskeleton.remove_stale).
        yield (
            *_linked_apart(linked, cache),
            cache.outputs_done(before),
            sorted(written.difference(linked)),
        )
        try:
            told = go.recv()  # told to read early (`read_early`), or the end of the pipe
        except (EOFError, OSError):
            return
        if told != UNTIL_ASKED or guard_cache is None:
            return
        if not isinstance(found, Secrets) or not len(found):
            return
        # A site file that is a page cache's copy (the same inode) is known by its name:
        # listed now, after the build process has linked the pages drawn into the cache.
        linked_from = {inode: name for name, inode in cache.stored_inodes().items()}
        # Until the build process closes its end (`early_read`): poll sees the end.
        yield scan_early(
            staging, found, guard_cache, None, found.public, LEFT_EARLY, linked_from, stop=go.poll
        )


def _linked_apart(linked: Linked, cache: PageCache) -> tuple[str, dict[str, str]]:
    """The output files the fork linked, for the build process: the names of those linked
    from the copy their cache entry names (one string, joined by NUL, which no file name
    holds: the build process knows each copy from the entry), and the others with what
    they were linked from. Ten years of papers link 57,000 files, and their names with
    their copies' paths were 9 MB of the fork's answer, which the build waited for."""
    copies: list[str] = []
    others: dict[str, str] = {}
    for name, source in linked.items():
        path = os.fspath(source)
        if path == cache.copy_of(name):
            copies.append(name)
        else:
            others[name] = path
    return "\0".join(copies), others


def _linked_together(copies: str, others: dict[str, str], cache: PageCache) -> Linked | None:
    """`_linked_apart`'s answer as the files linked, by name, once the cache has taken the
    fork's entries (`PageCache.take_outputs`); None when an entry is missing."""
    linked: Linked = {}
    for name in copies.split("\0") if copies else ():
        path = cache.copy_of(name)
        if path is None:
            return None
        linked[name] = path
    linked.update(others)
    return linked


def _register_ahead(
    policy: Policy, cache: PageCache | None
) -> tuple[set[bytes], RegisterPrints] | None:
    """A re-build's register fingerprinted on `cache` (the page cache the build process
    opened before the fork, which the fork then opens as its own) before the fork is told
    to go: it waited 0.5 s for the build process's page specs, then took 0.55 s for these
    at ten years of papers, on its chain to the outputs the build waits for. What the
    cache had learnt before, which the build process knows, and the fingerprints."""
    if cache is None:
        return None
    before = set(cache.prints.learnt)
    return before, _register_prints(policy, cache)


def _register_prints(policy: Policy, cache: PageCache) -> RegisterPrints:
    """The register's decisions' ids and fingerprints, as `cache` gives them."""
    register = _register(policy)
    return RegisterPrints([d.id for d in register], cache.prints.frozen_prints(register))


def _hand(value: Any) -> str:
    """`value` pickled into a scratch file (`scratch.folder`: memory where there is room),
    for the fork to read (`_taken`); its name."""
    descriptor, name = tempfile.mkstemp(prefix="cp-handed-", dir=scratch.folder())
    with os.fdopen(descriptor, "wb") as out:
        pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
    return name


def _taken(name: str | None, kind: type[T]) -> T | None:
    """The `kind` handed in the file `name` (`_hand`), which is then removed; None when
    there is no file or it cannot be read (the fork then does without: makes the
    fingerprints itself, links every output file)."""
    if name is None:
        return None
    try:
        with open(name, "rb") as file:
            value = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError):
        return None
    finally:
        with contextlib.suppress(OSError):
            os.remove(name)
    return value if isinstance(value, kind) else None


def stored_outputs(
    cache: PageCache, linked: Linked, listed: dict[str, int] | None = None
) -> Stored:
    """The output files linked from the page cache (`linked`: site name -> the cache's
    copy), each with its stored name and inode, as the guard's `stored` names them.
    `listed` is the cache folder's listing made before the outputs step
    (`PageCache.stored_inodes`): a copy it lacks, stored since, is asked for alone (at
    ten years of papers a second listing of the folder, 0.2 s, ended a re-build's guard);
    without it the folder is listed now."""
    inodes = cache.stored_inodes() if listed is None else listed
    inside = os.path.join(str(cache.folder), "")
    found: Stored = {}
    for name, source in linked.items():
        # Some 50,000 files at ten years of papers: the stored name cut from the path.
        path = os.fspath(source)
        blob = path[len(inside) :] if path.startswith(inside) else ""
        if not blob or "/" in blob:
            continue
        inode = inodes.get(blob)
        if inode is None and listed is not None:
            inode = _inode(path)
        if inode is not None:
            found[name] = (blob, inode)
    return found


def _inode(path: str) -> int | None:
    """The inode of the file at `path`, or None where there is none (a link is not one)."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return info.st_ino if stat.S_ISREG(info.st_mode) else None
