"""Files nothing else in the build reads (attachments, open data), made beside it.

They need only the validated records. On a large site a second process, forked
right after validation so that it inherits the records, makes them while this one builds the
pages, writing them straight into the site (once MkDocs has emptied the folder); the build
waits for it before it ends and fails with its error. A small site (or a machine that cannot
fork) does the same work in this process, with the same bytes.

``CUNWU_FORK_FROM`` (records, default ``FORK_FROM``) moves the threshold, so that tests can build
the small sample site both ways and compare.
"""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .fork import Forked, ForkError, start

FORK_FROM = 1_000  # below this many records a second process costs more than it saves


def fork_from() -> int:
    try:
        return int(os.environ.get("CUNWU_FORK_FROM", FORK_FROM))
    except ValueError:
        return FORK_FROM


class SideWorkError(RuntimeError):
    pass


class Refused(ForkError):
    """A file the site cannot publish (a photo that does not decode): the message says which and
    what to do, for the person who added it."""


def write_files(site_dir: Path, files: Iterable[tuple[str, bytes | str]]) -> None:
    """Write ``(path in the site, content)`` pairs, each folder made once."""
    made: set[Path] = set()
    for dest, content in files:
        path = site_dir / dest
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def _emptied(files: list) -> Iterator:
    files.reverse()
    while files:
        yield files.pop()


class Writer:
    """Writes batches of files in a thread, one batch at a time (``write`` waits for the one before).

    Creating a file and its folder is system time, dear on a small cloud machine's disk (README,
    Performance). In a thread it overlaps the build's own work."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="cunwu-writer")
        self.pending: concurrent.futures.Future | None = None

    def write(self, files: list[tuple[str, bytes | str]]) -> None:
        """Write ``files`` and empty the list, each file let go once written (rendered pages are
        large): the caller hands it over."""
        self.wait()  # no more than two batches held: the one written and the one made
        self.pending = self.pool.submit(write_files, self.site_dir, _emptied(files))

    def wait(self) -> None:
        """Block until every batch is written; raise what writing one raised."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class SideWork:
    """``make`` the files and write them into ``site_dir``, from when ``release`` says it is ready.

    With ``fork`` a second process does it, so that it overlaps the rest of the build; without,
    ``release`` does it in this process."""

    def __init__(self, make: Callable[[], Iterable[tuple[str, bytes | str]]], site_dir: Path, fork: bool) -> None:
        self.make, self.site_dir = make, site_dir
        self.child: Forked | None = None
        if not fork:
            return
        try:
            self.ready = multiprocessing.get_context("fork").Event()
        except (OSError, ValueError):  # no fork here: do it in this process
            return
        # Objects that exist now are left out of garbage collection from here on: a collection
        # writes to every object it looks at, which makes both processes copy the memory they
        # share (on a very large site, gigabytes).
        gc.freeze()
        self.child = start(self._write_when_ready)
        if self.child is None:
            gc.unfreeze()

    def _write_when_ready(self) -> None:
        # MkDocs empties the site folder just after on_config: a moment's wait, and then each file
        # is written as soon as it is made (held until then, they took hundreds of MB).
        self.ready.wait()
        write_files(self.site_dir, self.make())

    def release(self) -> None:
        """The site folder is ready for the files."""
        if self.child is None:
            write_files(self.site_dir, self.make())
        else:
            self.ready.set()

    def wait(self) -> None:
        """Block until the files are written; raise ``SideWorkError`` if making them failed."""
        if self.child is None:
            return
        child, self.child = self.child, None
        try:
            child.result()
        except Refused:
            raise
        except ForkError as exc:
            raise SideWorkError(str(exc)) from exc
        finally:
            gc.unfreeze()  # nothing shared any more (and mkdocs serve builds again and again)

    def close(self) -> None:
        """Stop the work, if it still runs (a build that failed elsewhere)."""
        if self.child is not None:
            self.child.terminate()
            self.child = None
            gc.unfreeze()
