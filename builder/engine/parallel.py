"""Validation of a content folder as the command line and the build run it: read from disk,
shared between two processes on a large site, without the cyclic garbage collector.

The verdicts are ``model.validate``'s, record by record: this module only decides where each
record is read and checked, and lets go of what the site does not need (a record's full text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterator
from pathlib import Path

from ..model.disk import DiskFiles, find_records, misnamed_records, read_registry, read_source
from ..model.records import Village, parse_villages
from ..model.report import Report
from ..model.settings import Settings
from ..model.validate import Checked, assemble, check_source
from .fork import ForkError, start

PARALLEL_FROM = 2_000  # records; below this a second process costs more than it saves
SHARE = 0.55  # of the records checked here: the other process also has to pickle its results


def validate_content(content: Path, settings: Settings, today: dt.date, only: list[Path] | None = None,
                     keep: bool = False) -> Report:
    """Check ``content`` (or just the ``only`` files in it); never raises on bad input. ``keep``:
    the records stay to the end of a build (``no_cyclic_gc``)."""
    with no_cyclic_gc(keep):
        registry = read_registry(content)
        villages, problems = parse_villages(registry.file, registry.data, registry.problem)
        paths = list(only if only is not None else find_records(content))
        around = misnamed_records(content) if only is None else []
        return assemble(villages, problems + around, _check_all(paths, content, villages, settings, today))


def _image_size(path: Path) -> tuple[int, int]:
    from .images import size  # Pillow only for records with photos

    return size(path)


@contextlib.contextmanager
def no_cyclic_gc(keep: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while records (or the pages made of them) pile up.
    Every record kept adds a few hundred containers, and each full collection walks all of them
    again: on a large site, a large part of the time. Reading records, and working out pages
    from them, makes no reference cycles worth collecting.

    ``keep``: what was made stays to the end of the build, which calls ``gc.unfreeze()`` then;
    until then the collector leaves it out (``gc.freeze``), or its first collection and every
    full one would walk it all again (rendering pages makes cycles to collect)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()


def _check_all(paths: list[Path], content: Path, villages: dict[str, Village], settings: Settings,
               today: dt.date) -> list[Checked]:
    """``_one`` for each path, in order. A large site is checked by two processes at once: each
    record is checked on its own, so a machine with two cores does it in little more than half
    the time."""
    cut = int(len(paths) * SHARE)
    theirs = None
    if len(paths) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2:
        theirs = start(lambda: _many(paths[cut:], content, villages, settings, today))
    if theirs is None:  # a small site, one core, or no fork here
        return _many(paths, content, villages, settings, today)
    try:
        mine = _many(paths[:cut], content, villages, settings, today)
    except BaseException:
        theirs.terminate()
        raise
    try:
        return mine + theirs.result()
    except ForkError as exc:
        raise RuntimeError(f"检查记录的第二个进程出错：\n{exc}") from exc


def _many(paths: list[Path], content: Path, villages: dict[str, Village], settings: Settings,
          today: dt.date) -> list[Checked]:
    files = DiskFiles(content, _image_size)
    return [_one(path, content, villages, settings, today, files) for path in paths]


def _one(path: Path, content: Path, villages: dict[str, Village], settings: Settings, today: dt.date,
         files: DiskFiles) -> Checked:
    checked = check_source(read_source(path, content), content, villages, settings, today, files)
    raw = checked[1]
    if raw is not None:
        raw.text = ""  # only the checks read the whole text: not kept (nor sent between processes)
    return checked
