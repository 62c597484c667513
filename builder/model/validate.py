"""The pipeline: a content folder's bytes → read → type-check → rules → derive status → report.

A pure function of (the files' bytes, the villages, the settings, today): it starts no process
or thread, switches nothing, writes nothing and reads no disk (the attachments are looked at
through the ``files`` it is given). The command line and the MkDocs plugin run it through
``engine.parallel``, which reads the folder and may share the records between two processes;
an editor in a browser runs it on files it holds in memory. All of them report the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from .checks import Ctx, run_checks
from .records import RawRecord, Village, parse_record, parse_villages
from .report import Record, Report
from .rules import ERROR, Diagnostic, diag
from .schema import RECORD
from .settings import Settings
from .sources import NO_FILES, Files, Source, Sources, misplaced
from .status import derive
from .typecheck import check_map
from .yamlnodes import line_of

# What checking one file gives: the key it is known by (links resolved), the record as read,
# the record if it passed, and every diagnostic.
Checked = tuple[Path, RawRecord | None, Record | None, list[Diagnostic]]


def check_record(raw: RawRecord, villages: dict[str, Village], settings: Settings, today: dt.date,
                 content: Path, files: Files = NO_FILES) -> tuple[dict, list[Diagnostic]]:
    """Type-check and run every rule on one parsed record."""
    out: list[Diagnostic] = []

    def report(code: str, path: tuple, hint: str | None = None, **fields: object) -> None:
        out.append(diag(raw.file, line_of(raw.lines, path), code, hint=hint, **fields))

    clean = check_map(RECORD, raw.data, (), report)
    ctx = Ctx(raw, clean, villages, settings, today, content, files)
    out += run_checks(ctx)
    return clean, out


def _placement(source: Source, root: Path) -> Diagnostic:
    rel = source.path.relative_to(root)
    return diag(source.file, None, "E022", detail=f"记录 {rel.as_posix()} 没有直接放在某个村的文件夹中",
                hint="记录放在 content/村代码/编号.md；附件文件夹中只能放 pdf 和图片")


def check_source(source: Source, root: Path, villages: dict[str, Village], settings: Settings, today: dt.date,
                 files: Files = NO_FILES) -> Checked:
    """One record file, from its bytes to its verdict."""
    if source.problem is not None:
        return source.key, None, None, [source.problem]
    if misplaced(source.path, root):
        return source.key, None, None, [_placement(source, root)]
    raw, problems = parse_record(source.file, source.path, source.data or b"")
    if raw is None or problems:
        return source.key, None, None, problems
    clean, problems = check_record(raw, villages, settings, today, root, files)
    if any(d.severity == ERROR for d in problems):
        return source.key, raw, None, problems
    return source.key, raw, Record(raw, clean, derive(clean, today, settings), problems), problems


def assemble(villages: dict[str, Village], registry_problems: list[Diagnostic], checked: Iterable[Checked]) -> Report:
    """The report of files checked one by one, in the order given; diagnostics sorted by place."""
    report = Report(villages=villages, diagnostics=list(registry_problems))
    for key, raw, record, found in checked:
        report.checked += 1
        if raw is not None:
            report.parsed[key] = raw
        if record is not None:
            report.records.append(record)
        report.diagnostics += found
    report.diagnostics.sort(key=lambda d: (d.file, d.line or 0, d.code))
    return report


def validate(sources: Sources, settings: Settings, today: dt.date, files: Files = NO_FILES) -> Report:
    """Check every record of ``sources``; never raises on bad input."""
    villages, problems = parse_villages(sources.registry.file, sources.registry.data, sources.registry.problem)
    return assemble(villages, problems + sources.problems, (check_source(s, sources.root, villages, settings, today, files)
                                         for s in sources.records))
