"""A function run in a forked process, its result (or its error) collected later.

A large build puts its second core to work this way four times: half the records in validation,
the notices' QR codes, the side work (attachments, open data) and half the chunks of the search
index. The child inherits the parent's memory, so nothing is sent to it; only its result comes back, pickled. Where this
system cannot fork, ``start`` returns None and the caller does the work itself.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any


class ForkError(RuntimeError):
    """The function failed in the child (the message is its traceback), or the child died.

    A ``ForkError`` the function raises itself is a failure it has explained: it reaches the
    parent as it is, without a traceback."""


class Forked:
    def __init__(self, proc: Any, conn: Any) -> None:
        self.proc, self.conn = proc, conn

    def result(self) -> Any:
        """Wait for the function's return value; raise ``ForkError`` if there is none."""
        try:
            ok, value = self.conn.recv()
        except (EOFError, OSError):  # it died without a word
            ok, value = False, "进程意外退出"
        finally:
            self.conn.close()
            self.proc.join()
        if not ok:
            raise value if isinstance(value, ForkError) else ForkError(value)
        return value

    def terminate(self) -> None:
        """Stop the child, if it still runs."""
        self.proc.terminate()
        self.proc.join()
        self.conn.close()


def start(fn: Callable[[], Any]) -> Forked | None:
    """Run ``fn`` in a forked process from now on; None where this system cannot fork."""
    try:
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_run, args=(fn, child), daemon=True)
        proc.start()
    except (OSError, ValueError):
        return None
    child.close()
    return Forked(proc, parent)


def _run(fn: Callable[[], Any], conn: Any) -> None:
    try:
        conn.send((True, fn()))
    except ForkError as exc:
        conn.send((False, exc))
    except BaseException:  # noqa: BLE001 - whatever it was, the parent must hear of it
        conn.send((False, traceback.format_exc()))
    finally:
        conn.close()
