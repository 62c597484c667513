"""Files nothing else in the build reads (notices with their QR codes, open data), made beside it.

At 10,000 matters they are 9,000 notices, each with a QR code, and the open-data files: about
8 s of work. On a large site a second process, forked so that it inherits the records and the
templates, makes and writes them straight into the site while this one renders the matter
pages; the build waits for it before it ends and fails with its error. A small site (or a
machine that cannot fork) does the same work in this process, with the same bytes.

``CUNWU_FORK_FROM`` (records, default ``FORK_FROM``) moves the threshold, so that tests can build
the small sample site both ways and compare.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

FORK_FROM = 1_000  # below this many records a second process costs more than it saves


def fork_from() -> int:
    try:
        return int(os.environ.get("CUNWU_FORK_FROM", FORK_FROM))
    except ValueError:
        return FORK_FROM


class SideWorkError(RuntimeError):
    pass


def write_files(site_dir: Path, files: Iterable[tuple[str, bytes | str]]) -> None:
    """Write ``(path in the site, content)`` pairs, each folder made once."""
    made: set[Path] = set()
    for dest, content in files:
        path = site_dir / dest
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def _child(work: Callable[[], None], conn) -> None:
    try:
        work()
        conn.send(None)
    except BaseException:  # noqa: BLE001 - whatever it was, the parent must hear of it
        conn.send(traceback.format_exc())
    finally:
        conn.close()


class SideWork:
    """Run ``work`` in a forked process when ``fork``, else here and now; ``wait`` for it."""

    def __init__(self, work: Callable[[], None], fork: bool) -> None:
        self.proc = None
        self.conn = None
        if fork:
            try:
                ctx = multiprocessing.get_context("fork")
                self.conn, child = ctx.Pipe(duplex=False)
                self.proc = ctx.Process(target=_child, args=(work, child), daemon=True)
                self.proc.start()
                child.close()
                return
            except (OSError, ValueError):  # no fork here: do it in this process
                self.proc = self.conn = None
        work()

    def wait(self) -> None:
        """Block until the work is done; raise ``SideWorkError`` if it failed."""
        if self.proc is None:
            return
        try:
            error = self.conn.recv()
        except EOFError:
            error = "进程意外退出"
        finally:
            self.conn.close()
        self.proc.join()
        self.proc = None
        if error:
            raise SideWorkError(error)

    def close(self) -> None:
        """Stop the work, if it still runs (a build that failed elsewhere)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.join()
            self.proc = None
