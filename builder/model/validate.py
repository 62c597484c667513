"""The pipeline without MkDocs: find files → read → type-check → rules → derive status.

Used by the command line and by the MkDocs plugin alike, so both report the same thing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.fork import ForkError, start
from .checks import Ctx, run_checks
from .records import RawRecord, Village, display, find_records, load_villages, misnamed_records, read_record, real_path
from .rules import ERROR, Diagnostic, diag
from .schema import RECORD
from .settings import Settings
from .status import Derived, derive
from .typecheck import check_map
from .yamlnodes import line_of


@dataclass
class Record:
    """A record that passed every error check: what the site is built from."""

    raw: RawRecord
    data: dict
    derived: Derived
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def village(self) -> str:
        return self.data["village"]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def sha256(self) -> str:
        """Of the file's bytes as committed: shown on the matter page and in the manifest."""
        return self.raw.sha256


@dataclass
class Report:
    villages: dict[str, Village] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    checked: int = 0
    parsed: dict[Path, RawRecord] = field(default_factory=dict)  # resolved path -> readable record
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity == ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


def check_record(raw: RawRecord, villages: dict[str, Village], settings: Settings, today: dt.date,
                 content: Path) -> tuple[dict, list[Diagnostic]]:
    """Type-check and run every rule on one parsed record."""
    out: list[Diagnostic] = []

    def report(code: str, path: tuple, hint: str | None = None, **fields: object) -> None:
        out.append(diag(raw.file, line_of(raw.lines, path), code, hint=hint, **fields))

    clean = check_map(RECORD, raw.data, (), report)
    ctx = Ctx(raw, clean, villages, settings, today, content)
    out += run_checks(ctx)
    return clean, out


def _placement(path: Path, content: Path, file: str) -> Diagnostic | None:
    rel = path.relative_to(content)
    if len(rel.parts) != 2:
        return diag(file, None, "E022", detail=f"记录 {rel.as_posix()} 没有直接放在某个村的文件夹中",
                    hint="记录放在 content/村代码/编号.md；附件文件夹中只能放 pdf 和图片")
    return None


def validate(content: Path, settings: Settings, today: dt.date, only: list[Path] | None = None) -> Report:
    """Check ``content`` (or just the ``only`` files in it); never raises on bad input."""
    with _no_cyclic_gc():
        return _validate(content, settings, today, only)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while records pile up. Every record kept adds a few
    hundred containers, and each full collection walks all of them again: with 10,000 records
    that was a third of the time. Reading records makes no reference cycles worth collecting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _validate(content: Path, settings: Settings, today: dt.date, only: list[Path] | None) -> Report:
    report = Report()
    report.villages, problems = load_villages(content)
    report.diagnostics += problems
    if only is None:
        report.diagnostics += misnamed_records(content)
    paths = list(only if only is not None else find_records(content))
    for path, (raw, record, found) in zip(paths, _check_all(paths, content, report.villages, settings, today),
                                          strict=True):
        report.checked += 1
        if raw is not None:
            report.parsed[real_path(path)] = raw  # a record read is never a link (E005)
        if record is not None:
            report.records.append(record)
        report.diagnostics += found
    report.diagnostics.sort(key=lambda d: (d.file, d.line or 0, d.code))
    return report


PARALLEL_FROM = 2_000  # records; below this a second process costs more than it saves
SHARE = 0.55  # of the records checked here: the other process also has to pickle its results


def _check_all(paths: list[Path], content: Path, villages: dict[str, Village], settings: Settings,
               today: dt.date) -> list[tuple[RawRecord | None, Record | None, list[Diagnostic]]]:
    """``_one`` for each path, in order. A large site is checked by two processes at once: each
    record is checked on its own, and a machine with two cores does it in 60 % of the time."""
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
          today: dt.date) -> list[tuple[RawRecord | None, Record | None, list[Diagnostic]]]:
    return [_one(path, content, villages, settings, today) for path in paths]


def _one(path: Path, content: Path, villages: dict[str, Village], settings: Settings,
         today: dt.date) -> tuple[RawRecord | None, Record | None, list[Diagnostic]]:
    file = display(path)
    misplaced = None if path.is_symlink() else _placement(path, content, file)
    if misplaced:
        return None, None, [misplaced]
    raw, problems = read_record(path, content)
    if raw is None or problems:
        return None, None, problems
    clean, problems = check_record(raw, villages, settings, today, content)
    raw.text = ""  # only the checks read the whole text: not kept (nor sent between processes)
    if any(d.severity == ERROR for d in problems):
        return raw, None, problems
    return raw, Record(raw, clean, derive(clean, today, settings), problems), problems
