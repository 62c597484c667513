"""History checks against an earlier version (E080, E081): what was disclosed stays on record.

A disclosed ``resolution``, ``disclosure`` or ``result`` may change only together with a new
``corrections`` entry, and a disclosed record may not disappear. What a notice period adds is no
change of what was posted: objections raised since (records.md §8), answers to those that had
none, and ``objections: none`` once the period is over. Rewording or dropping an objection already
on record, or taking back ``none``, is a change. The earlier version's files
come in as bytes (``builder.revisions`` reads them from git); nothing here runs anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .records import RawRecord, parse_front_matter
from .rules import Diagnostic, diag
from .schema import STEP_LABELS
from .sources import Source

GUARDED = ("resolution", "disclosure", "result")


def _parse(old: Source) -> dict | None:
    try:
        text = (old.data or b"").decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
    rec = RawRecord(old.file, old.path, old.path.parent.name, old.path.stem, text)
    return rec.data if not parse_front_matter(rec) else None


def check_history(old_records: Iterable[Source], base: str, current: dict[Path, RawRecord],
                  exists: Callable[[Path], bool]) -> list[Diagnostic]:
    """E080/E081 for every record disclosed at ``base``. ``old_records`` are the record files as
    they were there, by their path today (``key``: links resolved); ``current`` maps resolved
    paths to today's parsed records (records that failed to parse are judged by their other
    errors); ``exists`` tells whether a path is there today."""
    out: list[Diagnostic] = []
    for old_source in old_records:
        old = _parse(old_source)
        if not isinstance(old, dict) or "disclosure" not in old:
            continue
        if not exists(old_source.path):
            out.append(diag(old_source.file, None, "E081", base=base, file=old_source.file))
            continue
        now = current.get(old_source.key)
        if now is None or not isinstance(now.data, dict):
            continue
        added = len(_list(now.data.get("corrections"))) > len(_list(old.get("corrections")))
        for step in GUARDED:
            if step in old and not _same_posting(now.data.get(step), old[step]) and not added:
                line = now.lines.get((step,)) or now.lines.get(("corrections",))
                out.append(diag(now.file, line, "E080", step=STEP_LABELS[step], base=base))
    return out


def _same_posting(now: object, old: object) -> bool:
    """``now`` says what ``old`` said, give or take what its notice period has added since."""
    if now == old:
        return True
    if not isinstance(now, dict) or not isinstance(old, dict):
        return False
    rest = {k: v for k, v in now.items() if k != "objections"}
    return rest == {k: v for k, v in old.items() if k != "objections"} and \
        _objections_grew(now.get("objections"), old.get("objections"))


def _objections_grew(now: object, old: object) -> bool:
    if old is None:
        return True  # none were on record: any since, or "none" once the period is over
    if not isinstance(old, list) or not isinstance(now, list) or len(now) < len(old):
        return now == old  # "none" stays "none"; nothing on record disappears
    return all(_answered_since(n, o) for n, o in zip(now, old, strict=False))


def _answered_since(now: object, old: object) -> bool:
    """The same objection, perhaps answered since: only ``response`` and ``answered`` may appear."""
    if now == old or not isinstance(now, dict) or not isinstance(old, dict):
        return now == old
    answer = ("response", "answered")
    unanswered = not any(k in old for k in answer)
    return unanswered and {k: v for k, v in now.items() if k not in answer} == old


def _list(value: object) -> list:
    return value if isinstance(value, list) else []
