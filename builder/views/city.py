"""Pages that stay light at a city's scale: townships, lists in pages, a bounded home page and
statistics that compare one level down; and whom a villager tells about a matter.

A city has dozens of townships and hundreds of villages: any page that lists across villages
grows with the city unless it is cut. So every list across villages comes in pages of a fixed
size, the home page shows counts and a bounded number of matters, and each statistics page
compares the units one level down (the city its townships, a township its villages), while a
village page carries its own figures. Pure data like ``site``: the plugin turns each ``Page``
into a MkDocs page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.records import Village
from ..model.schema import CATEGORIES
from ..model.status import OVERDUE, STATUSES
from ..model.validate import Record
from .present import objection_counts

PAGE_SIZE = 50  # matters a list page shows: about 20 KB of HTML, gzipped a few KB
HOME_OVERDUE = 20  # the most urgent overdue matters on the home page
TOWNSHIP_OVERDUE = 10  # and on a township's page
PAGE_LINKS = 2  # page links shown on either side of the current one, besides the first and the last
NO_TOWNSHIP = "未注明乡镇"  # villages.yml leaves `township` optional


@dataclass
class Township:
    name: str  # as in villages.yml; "" for villages without one
    slug: str  # its address: township/<slug>/
    villages: list[Village] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or NO_TOWNSHIP


def slug(name: str) -> str:
    """A township's address segment: its name, without what an address cannot hold as it is."""
    return re.sub(r"[\s/\\?#%.&+<>\"']+", "-", name).strip("-") or "other"


def slugs(villages: list[Village]) -> dict[str, str]:
    """Each township's slug, in the order villages.yml first names them: names that read the same
    as an address (``甲 乙`` and ``甲/乙``) get ``-2``, ``-3`` …, so no township's pages or data
    are written over another's."""
    out: dict[str, str] = {}
    for v in villages:
        if v.township not in out:
            base = new = slug(v.township)
            n = 1
            while new in out.values():
                n += 1
                new = f"{base}-{n}"
            out[v.township] = new
    return out


def townships(villages: list[Village], by_village: dict[str, list[Record]]) -> list[Township]:
    """The townships in the order villages.yml first names them, each with its villages and records."""
    names = slugs(villages)
    found: dict[str, Township] = {}
    for v in villages:
        t = found.setdefault(v.township, Township(v.township, names[v.township]))
        t.villages.append(v)
        t.records += by_village.get(v.id, [])
    return list(found.values())


def township_of(villages: list[Village]) -> dict[str, str]:
    """Village id → its township's slug (for the open data per township); {} when none is named."""
    names = slugs(villages)
    return {v.id: names[v.township] for v in villages if v.township}


# --- lists in pages ---------------------------------------------------------------------------------

def page_url(base: str, n: int) -> str:
    """``status/completed/`` is page 1, then ``status/completed/2/`` …: stable addresses."""
    return f"{base}/" if n == 1 else f"{base}/{n}/"


def page_src(base: str, n: int) -> str:
    return f"{base}.md" if n == 1 else f"{base}/{n}.md"


def _links(base: str, n: int, count: int) -> list[dict]:
    """The first, the last, and a few around page ``n``; a gap where pages are left out."""
    shown = sorted({1, count, *range(max(1, n - PAGE_LINKS), min(count, n + PAGE_LINKS) + 1)})
    out, last = [], 0
    for k in shown:
        if k > last + 1:
            out.append({"gap": True})
        out.append({"n": k, "url": page_url(base, k), "current": k == n})
        last = k
    return out


@dataclass
class Listing:
    """One list across villages, to be cut into pages: where it lives, what it is called."""

    base: str  # e.g. "status/completed"
    title: str
    description: str
    crumbs: list[tuple[str, str]]  # (label, site-relative url) above the title; the title comes last
    lead: str = ""


def paged(listing: Listing, matters: list[dict], size: int, page_class: type) -> list:
    """The list's pages (``page_class`` is ``site.Page``): each shows ``size`` matters, the count of
    all of them, links to the first, last and nearby pages, and ``rel="prev"``/``"next"``."""
    size = max(1, size)
    count = max(1, -(-len(matters) // size))
    out = []
    for n in range(1, count + 1):
        first = (n - 1) * size
        shown = matters[first:first + size]
        title = listing.title if n == 1 else f"{listing.title}（第 {n} 页）"
        out.append(page_class(page_src(listing.base, n), "cunwu/list.html", title, listing.description, {
            "heading": listing.title,
            "crumbs": listing.crumbs,
            "lead": listing.lead,
            "matters": shown,
            "total": len(matters),
            "page": n,
            "pages": count,
            "first": first + 1 if shown else 0,
            "last": first + len(shown),
            "prev": page_url(listing.base, n - 1) if n > 1 else "",
            "next": page_url(listing.base, n + 1) if n < count else "",
            "links": _links(listing.base, n, count) if count > 1 else [],
        }))
    return out


def overdue_since(record: Record) -> dt.date:
    """The deadline an overdue matter missed: the earlier, the more urgent."""
    d = record.derived
    return d.disclosure_deadline or d.result_deadline or d.next_date or dt.date.max


def most_overdue(records: list[Record]) -> list[Record]:
    """Overdue matters, the longest overdue first."""
    late = [r for r in records if r.derived.status in OVERDUE]
    return sorted(late, key=lambda r: (overdue_since(r), r.village, r.id))


# --- counts and comparisons -------------------------------------------------------------------------

def status_counts(records: list[Record]) -> list[dict]:
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        counts[r.derived.status] += 1
    return [{"key": k, "label": label, "n": counts[k]} for k, label in STATUSES.items()]


def unit_row(name: str, url: str, records: list[Record]) -> dict:
    """One township or village in a comparison: its counts and shares."""
    n = len(records)
    done = sum(r.derived.status == "completed" for r in records)
    late = sum(r.derived.status in OVERDUE for r in records)
    objections = objection_counts(records)
    return {"name": name, "url": url, "n": n, "completed": done, "overdue": late,
            "raised": objections["raised"], "answered": objections["answered"],
            "completed_pct": round(100 * done / n) if n else 0, "overdue_pct": round(100 * late / n, 1) if n else 0}


def comparison(rows: list[dict], what: str) -> dict:
    """Bar charts and a table comparing ``rows`` (``unit_row``): ``what`` names them (乡镇, 村)."""
    most = max((r["n"] for r in rows), default=0) or 1
    return {
        "what": what,
        "rows": rows,
        "matters": [{"label": r["name"], "pct": round(100 * r["n"] / most, 1), "text": f"{r['n']} 件", "cls": ""}
                    for r in rows],
        "completed": [{"label": r["name"], "pct": r["completed_pct"], "text": f"{r['completed_pct']}%",
                       "cls": "cw-chart__bar--completed"} for r in rows],
        "overdue": [{"label": r["name"], "pct": min(100, r["overdue_pct"] * 5),
                     "text": f"{r['overdue']} 件（{r['overdue_pct']:g}%）", "cls": "cw-chart__bar--result_overdue"}
                    for r in rows],
    }


# --- whom to tell -----------------------------------------------------------------------------------

def objection(village: Village) -> dict:
    """Where an objection to a village's matter goes: its 村务监督委员会, with the contact given in
    villages.yml; without one, also the township's government, which oversees the village."""
    contact = village.supervision
    return {
        "committee": f"{village.name}村务监督委员会",
        "contact": contact.get("supervision_contact", ""),
        "phone": contact.get("supervision_phone", ""),
        "tel": re.sub(r"[^\d+]", "", contact.get("supervision_phone", "")),
        "township": f"{village.township}人民政府" if village.township and not contact else "",
    }


# --- the village page's filters ---------------------------------------------------------------------

def village_filters(matters: list[dict]) -> list[dict]:
    """The village's lists by status and by category: filters of its one list by year (CSS
    ``:target``, no JavaScript), so that no matter is printed twice."""
    out = []
    for kind, labels, key in (("status", STATUSES, "status"), ("category", CATEGORIES, "category_key")):
        for k, label in labels.items():
            n = sum(m[key] == k for m in matters)
            if n:
                out.append({"id": f"{kind}-{k}", "kind": kind, "key": k, "label": label, "n": n})
    return out


def by_key(records: list[Record], key: Callable[[Record], str]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        out[key(r)].append(r)
    return out
