"""The site as data: which pages and files exist and what each shows.

Built from a validation report; knows nothing of MkDocs. The plugin turns each ``Page`` into a
generated MkDocs page (or renders it itself: matter pages) and publishes each ``Asset`` (``assets``)
beside its matter, so a successor to MkDocs would only need a new adapter.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..model.checks import LABELS
from ..model.records import Village
from ..model.schema import CATEGORIES, MEETINGS
from ..model.status import OVERDUE, STATUSES, passed
from ..model.validate import Record, Report
from .present import has_notice, latest_date, money, next_due, progress, steps, summary_line, url_of
from .searchtext import index_text, matter_texts
from .text import cn_date, render, wan, yuan

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp")
# In statistics a resolution may come from either body, so it is just "决议".
STEP_SHORT = {**LABELS, "resolution": "决议"}


@dataclass
class Page:
    src_uri: str  # e.g. "dongliu/2025-001/index.md"
    template: str
    title: str
    description: str
    context: dict
    markdown: str = ""  # page body for pages written as Markdown (the guide)


@dataclass
class Asset:
    dest: str  # site-relative path
    content: bytes | None = None
    source: Path | None = None  # copy of a file on disk
    image: bool = False  # to be re-encoded without metadata, with a phone-size copy


@dataclass
class Site:
    today: dt.date
    commit: str
    pages: list[Page] = field(default_factory=list)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def attachments(record: Record, content: Path) -> list[dict]:
    folder = content / record.village / record.id
    out = []
    for item in record.data.get("attachments") or []:
        path = folder / item["file"]
        suffix = path.suffix.lower()
        entry = {
            "title": item.get("title") or item["file"],
            "file": item["file"],
            "url": f"{url_of(record)}files/{quote(item['file'])}",
            "dest": f"{url_of(record)}files/{item['file']}",
            "size": _size(path.stat().st_size),
            "kind": suffix.lstrip(".").upper().replace("JPEG", "JPG"),
            "image": suffix in IMAGE_TYPES,
            "path": path,
        }
        if entry["image"]:
            entry["small_url"] = f"{url_of(record)}files/small/{quote(item['file'])}"
            entry["small_dest"] = f"{url_of(record)}files/small/{item['file']}"
        out.append(entry)
    return out


def matter_context(record: Record, village: Village, content: Path, today: dt.date, repo: dict) -> dict:
    d = record.data
    rel = f"content/{record.village}/{record.id}.md"
    context = {
        **summary_line(record),
        "village_name": village.name,
        "summary": d.get("summary", ""),
        "category_key": d["category"],
        "next": next_due(record, today),
        "overdue": record.derived.status in OVERDUE,
        "steps": steps(record),
        "progress": progress(record),
        "money": money(record),
        "attachments": attachments(record, content),
        "corrections": [{"date": cn_date(c["date"]), "reason": c["reason"]} for c in d.get("corrections") or []],
        "body": render(record.raw.body),
        "sha256": record.sha256,
        "source": rel,
        "history_url": f"{repo['url'].rstrip('/')}/commits/{repo['branch']}/{rel}" if repo.get("url") else "",
        "data_url": f"data/villages/{record.village}.json",
        # The printed notice is this page printed (print CSS); its QR code is filled in when rendering.
        "notice": notice_context(record, village, today) if has_notice(record) else None,
    }
    context["index_text"] = index_text(matter_texts(context))  # hidden on the page, for search
    return context


def notice_context(record: Record, village: Village, today: dt.date) -> dict:
    """The printed public notice (公告): resolution notice, or result notice once there is one."""
    d = record.data
    res = d.get("resolution") or {}
    att, votes = res.get("attendance") or {}, res.get("votes") or {}
    body = {"representatives": "村民代表会议", "assembly": "村民会议"}.get(res.get("body", ""), "")
    kind = "result" if "result" in d else "resolution"
    title = d["title"].removeprefix("关于").removesuffix("的事项").removesuffix("事项")
    heading = f"关于{title}实施结果的公告" if kind == "result" else f"关于{title}的决议公告"
    disc = d.get("disclosure") or {}
    return {
        "kind": kind,
        "heading": heading,
        "village_name": village.name,
        "township": village.township,
        "meeting": body,
        "date": cn_date(res.get("date")),
        "attendance": f"应到 {att['expected']} 人，实到 {att['present']} 人" if att else "",
        "votes": f"赞成 {votes['for']} 票，反对 {votes['against']} 票，弃权 {votes['abstain']} 票" if votes else "",
        "outcome": "通过" if passed(res) else "未通过",
        "text": render(res.get("text")),
        "result": {**d["result"], "date": cn_date(d["result"]["date"]), "completed": cn_date(d["result"]["completed"]),
                   "cost": yuan(d["result"].get("cost")), "summary": render(d["result"].get("summary"))} if kind == "result" else None,
        "budget": yuan(d.get("budget")),
        "from": cn_date(disc.get("date")),
        "until": cn_date(disc.get("until")),
        "signed": cn_date((d.get("result") or {}).get("date") or disc.get("date") or today),
    }


def _median_days(pairs: list[tuple[dt.date, dt.date]]) -> str:
    if not pairs:
        return "—"
    return f"{statistics.median((b - a).days for a, b in pairs):g} 天"


def stats(records: list[Record]) -> dict:
    """Status counts, pass rate of each meeting step, median days, budget against cost."""
    counts = Counter(r.derived.status for r in records)
    step_rates = []
    for key in MEETINGS:
        held = [r for r in records if key in r.data]
        ok = sum(passed(r.data[key]) is not False for r in held)
        step_rates.append({"key": key, "label": STEP_SHORT[key], "held": len(held), "passed": ok,
                           "pct": round(100 * ok / len(held)) if held else 0})
    to_res = [(r.data["proposal"]["date"], r.data["resolution"]["date"]) for r in records
              if "proposal" in r.data and "resolution" in r.data]
    to_disc = [(r.data["resolution"]["date"], r.data["disclosure"]["date"]) for r in records
               if "resolution" in r.data and "disclosure" in r.data]
    money_rows = [r for r in records if "budget" in r.data and "cost" in (r.data.get("result") or {})]
    budget = sum((r.data["budget"] for r in money_rows), start=0)
    cost = sum((r.data["result"]["cost"] for r in money_rows), start=0)
    total = max(len(records), 1)
    return {
        "total": len(records),
        "statuses": [{"key": k, "label": v, "n": counts.get(k, 0), "pct": round(100 * counts.get(k, 0) / total, 1)}
                     for k, v in STATUSES.items()],
        "steps": step_rates,
        "median_to_resolution": _median_days(to_res),
        "median_to_disclosure": _median_days(to_disc),
        "money": {"n": len(money_rows), "budget": wan(budget), "cost": wan(cost),
                  "pct": round(float(cost / budget * 100), 1) if budget else 0,
                  "over": sum(r.data["result"]["cost"] > r.data["budget"] for r in money_rows)},
    }


def newest_first(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (latest_date(r) or dt.date.min, r.village, r.id), reverse=True)


def _village_context(v: Village, matters: list[dict]) -> dict:
    """A village page: ``matters`` are its summary lines, newest first."""
    by_year: dict = defaultdict(list)
    for m in matters:
        by_year[m["id"][:4]].append(m)
    return {
        "village": {"id": v.id, "name": v.name, "township": v.township, **v.counts},
        "total": len(matters),
        "years": sorted(by_year.items(), reverse=True),
        "by_status": [(k, label, [m for m in matters if m["status"] == k]) for k, label in STATUSES.items()],
        "by_category": [(k, label, [m for m in matters if m["category"] == label]) for k, label in CATEGORIES.items()],
    }


def record_order(record: Record) -> tuple[str, str]:
    return (record.village, record.id)


def build_site(report: Report, content: Path, today: dt.date, commit: str, repo: dict,
               site_name: str) -> Site:
    """Every page and file of the site, in a stable order."""
    site = Site(today, commit)
    records = sorted(report.records, key=record_order)
    by_village = defaultdict(list)
    for r in records:
        by_village[r.village].append(r)
    villages = [v for v in report.villages.values()]
    names = {v.id: v.name for v in villages}
    lines = {id(r): {**summary_line(r), "village_name": names.get(r.village, r.village)} for r in records}

    def listing(rs: list[Record]) -> list[dict]:
        return [lines[id(r)] for r in newest_first(rs)]

    overall = stats(records)
    site.pages.append(Page("index.md", "cunwu/home.html", "",
                           f"{len(records)} 件村级重大事项的“四议两公开”全过程公开", {
        "stats": overall,
        "overdue": listing([r for r in records if r.derived.status in OVERDUE]),
        "disclosures": [lines[id(r)] for r in sorted((r for r in records if "disclosure" in r.data),
                                                    key=lambda r: (r.data["disclosure"]["date"], r.village, r.id), reverse=True)[:8]],
        "results": [lines[id(r)] for r in sorted((r for r in records if "result" in r.data),
                                                key=lambda r: (r.data["result"]["date"], r.village, r.id), reverse=True)[:8]],
        "villages": [{"id": v.id, "name": v.name, "township": v.township, "n": len(by_village[v.id]),
                      "overdue": sum(r.derived.status in OVERDUE for r in by_village[v.id])} for v in villages],
        "today": cn_date(today),
        "categories": list(CATEGORIES.items()),
    }))
    for v in villages:
        ctx = _village_context(v, listing(by_village[v.id]))
        site.pages.append(Page(f"{v.id}/index.md", "cunwu/village.html", v.name,
                               f"{v.township}{v.name}：{len(by_village[v.id])} 件村级重大事项的办理情况", ctx))
        for r in by_village[v.id]:
            _matter(site, r, v, content, today, repo)
    for key, label in STATUSES.items():
        rs = [r for r in records if r.derived.status == key]
        site.pages.append(Page(f"status/{key}.md", "cunwu/list.html", f"{label}的事项",
                               f"状态为“{label}”的事项共 {len(rs)} 件", {"heading": label, "status": key, "matters": listing(rs)}))
    for key, label in CATEGORIES.items():
        rs = [r for r in records if r.data["category"] == key]
        site.pages.append(Page(f"category/{key}.md", "cunwu/list.html", label,
                               f"“{label}”类事项共 {len(rs)} 件", {"heading": label, "matters": listing(rs)}))
    site.pages.append(Page("stats.md", "cunwu/stats.html", "统计", "各村事项办理情况统计", {
        "overall": overall,
        "villages": [{"id": v.id, "name": v.name, "stats": stats(by_village[v.id])} for v in villages],
    }))
    site.pages.append(Page("data.md", "cunwu/data.html", "公开数据", "下载全部事项的数据：CSV、JSON 和订阅",
                           {"today": cn_date(today), "commit": commit}))
    return site


def _description(r: Record, v: Village, today: dt.date) -> str:
    """What a shared link's card says of a matter."""
    return f"{v.name} · {STATUSES[r.derived.status]} · {r.data.get('summary') or next_due(r, today)}"[:160]


def _matter(site: Site, r: Record, v: Village, content: Path, today: dt.date, repo: dict) -> None:
    ctx = matter_context(r, v, content, today, repo)
    site.pages.append(Page(f"{url_of(r)}index.md", "cunwu/matter.html", r.data["title"], _description(r, v, today), ctx))


def assets(records: list[Record], content: Path) -> Iterator[Asset]:
    """The records' attachments, each to be published beside its matter page."""
    for r in records:
        for a in attachments(r, content):
            yield Asset(a["dest"], source=a["path"], image=a["image"])
