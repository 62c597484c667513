"""Open data: JSON, CSV (for Excel), the Atom feed and the manifest of record hashes.

Every file carries the build date and the source commit, so a download can be traced back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

from ..model import sitenames
from ..model.report import Record
from ..model.schema import CATEGORIES, STEP_LABELS, STEPS
from ..model.status import STATUSES, UNANIMOUS
from . import labels
from .labels import DUE, STEP_SHORT, UNTIL
from .present import url_of


def _plain(value: object) -> object:
    """What JSON makes of the types YAML gives that it does not know: asked by the C encoder for
    these few values only, instead of a walk through every record's data in Python."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} 不能写成 JSON")


def matter_json(record: Record, today: dt.date, commit: str) -> dict:
    """The record's own keys (spec §3) plus what the site derives."""
    return {
        **record.data,
        "status": record.derived.status,
        "status_label": STATUSES[record.derived.status],
        "url": url_of(record),
        "build_date": today.isoformat(),
        "commit": commit,
    }


def dumps(value: object) -> bytes:
    # Compact: only without indent does json use its C encoder, several times faster.
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain) + "\n").encode("utf-8")


CSV_COLUMNS = [
    ("村", lambda r, v: v), ("编号", lambda r, v: r.id), ("标题", lambda r, v: r.data["title"]),
    ("类别", lambda r, v: CATEGORIES[r.data["category"]]), ("状态", lambda r, v: STATUSES[r.derived.status]),
    ("预算（元）", lambda r, v: _money(r.data.get("budget"))),
    ("实际支出（元）", lambda r, v: _money((r.data.get("result") or {}).get("cost"))),
    *[(STEP_SHORT[s], lambda r, v, s=s: _date(r, s)) for s in STEPS[:5]],  # proposal to disclosure
    (UNTIL, lambda r, v: _iso((r.data.get("disclosure") or {}).get("until"))),
    (DUE, lambda r, v: _iso((r.data.get("implementation") or {}).get("due"))),
    (STEP_SHORT["result"], lambda r, v: _date(r, "result")),
    ("网址", lambda r, v: url_of(r)),
]


# -- v1.1 (records.md §8): after the v1 columns, so that theirs keep their places -------------

def _resolution(r: Record) -> dict:
    return r.data.get("resolution") or {}


def _unanimous(r: Record) -> str:
    """是 for ``votes: unanimous`` or counts with everyone present for; 否 for other counts."""
    res = _resolution(r)
    votes, present = res.get("votes"), (res.get("attendance") or {}).get("present")
    if votes == UNANIMOUS:
        return "是"
    if isinstance(votes, dict) and present is not None:
        return "是" if votes.get("for") == present else "否"
    return ""


def _objections(r: Record, step: str, answered: bool) -> str:
    """How many objections (answered ones only, with ``answered``): 0 for ``none``, empty when
    the record says nothing."""
    found = (r.data.get(step) or {}).get("objections")
    if found == "none":
        return "0"
    if not isinstance(found, list):
        return ""
    return str(sum("response" in o for o in found) if answered else len(found))


def _part(r: Record, *path: str) -> object:
    value: object = r.data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _funding(r: Record) -> str:
    return "；".join(f"{f['source']} {f['amount']:.2f}" for f in r.data.get("funding") or [])


CSV_COLUMNS += [
    (labels.CSV["method"], lambda r, v: labels.METHODS.get(_resolution(r).get("method", ""), "")),
    (labels.CSV["unanimous"], lambda r, v: _unanimous(r)),
    (labels.CSV["online"], lambda r, v: _text(_part(r, "resolution", "attendance", "online"))),
    (labels.CSV["disclosure_objections"], lambda r, v: _objections(r, "disclosure", answered=False)),
    (labels.CSV["disclosure_answered"], lambda r, v: _objections(r, "disclosure", answered=True)),
    (labels.CSV["approval_date"], lambda r, v: _iso(_part(r, "approval", "date"))),
    (labels.CSV["approval_by"], lambda r, v: _text(_part(r, "approval", "by"))),
    (labels.CSV["funding"], lambda r, v: _funding(r)),
    (labels.CSV["acceptance_date"], lambda r, v: _iso(_part(r, "result", "acceptance", "date"))),
    (labels.CSV["acceptance_by"], lambda r, v: _text(_part(r, "result", "acceptance", "by"))),
    (labels.CSV["result_objections"], lambda r, v: _objections(r, "result", answered=False)),
    (labels.CSV["result_answered"], lambda r, v: _objections(r, "result", answered=True)),
]


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _date(r: Record, step: str) -> str:
    return _iso((r.data.get(step) or {}).get("date"))


def _money(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else ""


# What makes Excel (and LibreOffice) read a cell as a formula: OWASP's list for CSV injection.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A cell Excel shows as text, never runs: one starting like a formula gets a leading ``'``
    (OWASP). Applied to every cell alike, whatever its column: the cells that could start so are
    text typed by a secretary (title, village name); dates, ids and amounts start with a digit
    (amounts are never negative in valid data, so no number loses its sign to this)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def matters_csv(records: list[Record], names: dict[str, str], today: dt.date, commit: str) -> bytes:
    """UTF-8 with BOM and Chinese headers, so Excel on Windows opens it as it is."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([label for label, _ in CSV_COLUMNS] + ["生成日期", "源提交"])
    for r in records:
        row = [get(r, names.get(r.village, r.village)) for _, get in CSV_COLUMNS] + [today.isoformat(), commit]
        writer.writerow([csv_cell(cell) for cell in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def feed(records: list[Record], names: dict[str, str], site_url: str, site_name: str, today: dt.date,
         commit: str) -> bytes:
    """Atom feed of disclosures and results, newest first."""
    from feedgen.feed import FeedGenerator

    base = site_url.rstrip("/") + "/"
    events = []
    for r in records:
        for step in ("disclosure", "result"):
            if step in r.data:
                events.append((r.data[step]["date"], step, STEP_LABELS[step], r))
    events.sort(key=lambda e: (e[0], e[3].village, e[3].id, e[1]), reverse=True)
    fg = FeedGenerator()
    fg.id(base + sitenames.FEED)
    fg.title(_xml(f"{site_name}：决议和实施结果公开"))
    fg.subtitle(f"生成日期 {today.isoformat()}，源提交 {commit}")
    fg.link(href=base, rel="alternate")
    fg.link(href=base + sitenames.FEED, rel="self")
    fg.language("zh-CN")
    fg.generator("cunwu")
    fg.updated(_stamp(today))
    for day, step, word, r in reversed(events[:100]):
        entry = fg.add_entry()
        entry.id(f"{base}{url_of(r)}#{step}")
        entry.title(_xml(f"【{word}】{names.get(r.village, r.village)} · {r.data['title']}"))
        entry.link(href=f"{base}{url_of(r)}")
        entry.updated(_stamp(day))
        entry.summary(_xml(r.data.get("summary") or r.data["title"]))
    return fg.atom_str(pretty=True)


# What XML 1.0 cannot hold (C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates):
# lxml refuses it and the build stopped. The validator should refuse such text first; the feed
# leaves it out rather than fail.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def manifest(records: list[Record], today: dt.date, commit: str) -> dict:
    return {
        "build_date": today.isoformat(),
        "commit": commit,
        "records": [{"file": f"content/{r.village}/{r.id}.md", "sha256": r.sha256, "url": url_of(r)} for r in records],
    }


def published(records: list[Record], names: dict[str, str], site_url: str, site_name: str, today: dt.date,
              commit: str, townships: dict[str, str] | None = None) -> dict[str, bytes]:
    """Every open-data file, by its path in the site. ``records`` in their stable order.

    One file per village rather than per matter: a small file per matter costs the build its
    file-system time, and a village's matters are what its readers download."""
    each = [matter_json(r, today, commit) for r in records]
    out = {
        f"{sitenames.DATA}/matters.json": dumps(each),
        f"{sitenames.DATA}/matters.csv": matters_csv(records, names, today, commit),
        f"{sitenames.DATA}/manifest.json": dumps(manifest(records, today, commit)),
        sitenames.FEED: feed(records, names, site_url, site_name, today, commit),
    }
    by_village: dict[str, list[dict]] = {}
    for r, one in zip(records, each, strict=True):
        by_village.setdefault(r.village, []).append(one)
    for village, matters in by_village.items():
        out[f"{sitenames.DATA}/villages/{village}.json"] = dumps(matters)
    out.update(per_township(records, each, names, townships or {}, today, commit))
    return out


def per_township(records: list[Record], each: list[dict], names: dict[str, str], townships: dict[str, str],
                 today: dt.date, commit: str) -> dict[str, bytes]:
    """A township's matters as JSON and CSV (``townships``: village id → township slug), for the
    township's office, which oversees its villages."""
    mine: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        if r.village in townships:
            mine.setdefault(townships[r.village], []).append(i)
    out = {}
    for town, rows in mine.items():
        out[f"{sitenames.DATA}/townships/{town}.json"] = dumps([each[i] for i in rows])
        out[f"{sitenames.DATA}/townships/{town}.csv"] = matters_csv([records[i] for i in rows], names, today, commit)
    return out
