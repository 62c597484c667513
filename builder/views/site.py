"""The site as data: which pages and files exist and what each shows.

Built from a validation report; knows nothing of MkDocs. The plugin turns each ``Page`` into a
generated MkDocs page (or renders it itself: matter pages) and publishes each ``Asset`` (``assets``)
beside its matter, so a successor to MkDocs would only need a new adapter.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..model import sitenames
from ..model.records import Village
from ..model.report import Record, Report
from ..model.schema import CATEGORIES, MEETINGS, STEP_LABELS
from ..model.status import OVERDUE, STATUSES, passed
from . import city, labels, present
from .labels import BODIES, STEP_SHORT
from .present import has_notice, latest_date, money, next_due, progress, steps, summary_line, url_of
from .searchtext import index_text, matter_texts
from .text import cn_date, one_line, render, wan, yuan

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp")


@dataclass
class Page:
    src_uri: str  # e.g. "dongliu/2025-001/index.md"
    template: str
    title: str
    description: str
    context: dict

    def __post_init__(self) -> None:
        # <title>, Open Graph cards and the header hold one line: a title typed over two lines
        # (YAML's "|") must not put line breaks, tabs or runs of spaces there.
        self.title, self.description = one_line(self.title), one_line(self.description)


@dataclass
class Asset:
    dest: str  # site-relative path
    source: Path  # the file on disk it is published from
    image: bool = False  # to be re-encoded without metadata, with a phone-size copy


@dataclass
class Site:
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
        "funding": present.funding(record),  # v1.1
        "attachments": attachments(record, content),
        "corrections": [{"date": cn_date(c["date"]), "reason": c["reason"]} for c in d.get("corrections") or []],
        "body": render(record.raw.body),
        "sha256": record.sha256,
        "source": rel,
        "history_url": f"{repo['url'].rstrip('/')}/commits/{repo['branch']}/{rel}" if repo.get("url") else "",
        "data_url": f"{sitenames.DATA}/villages/{record.village}.json",
        # The printed notice is this page printed (print CSS); its QR code is filled in when rendering.
        "notice": notice_context(record, village, today) if has_notice(record) else None,
    }
    context["index_text"] = index_text(matter_texts(context))  # for Pagefind (search-entry.html), not on the page
    return context


def notice_context(record: Record, village: Village, today: dt.date) -> dict:
    """The printed public notice (公告): resolution notice, or result notice once there is one."""
    d = record.data
    res = d.get("resolution") or {}
    att, votes = res.get("attendance") or {}, res.get("votes") or {}
    body = BODIES.get(res.get("body", ""), "")
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
        "attendance": f"应到 {att['expected']} 人，实到 {att['present']} 人" + present.online(att, before="，")
                      if att else "",
        "votes": f"赞成 {votes['for']} 票，反对 {votes['against']} 票，弃权 {votes['abstain']} 票"
                 if isinstance(votes, dict) and votes else "",  # v1.1: not for votes: unanimous
        "outcome": "通过" if passed(res) else "未通过",
        "text": render(res.get("text")),
        "result": {**d["result"], "date": cn_date(d["result"]["date"]), "completed": cn_date(d["result"]["completed"]),
                   "cost": yuan(d["result"].get("cost")), "summary": render(d["result"].get("summary"))} if kind == "result" else None,
        "budget": yuan(d.get("budget")),
        "from": cn_date(disc.get("date")),
        "until": cn_date(disc.get("until")),
        "signed": cn_date((d.get("result") or {}).get("date") or disc.get("date") or today),
        **notice_v11(record),
    }


def notice_v11(record: Record) -> dict:
    """v1.1 (records.md §8) in the notice: how the resolution was voted, the funding, and after
    the notice period, in the order they happened, the disclosure's objections, the township's
    review, the acceptance and the result's objections. Empty values print nothing, so a v1
    record's notice is what it was."""
    d = record.data
    res, result, approval = d.get("resolution") or {}, d.get("result") or {}, d.get("approval")
    # A result notice names the posting each objection was raised against; a resolution notice has one.
    where = {step: STEP_LABELS[step] + "：" if "result" in d else "" for step in ("disclosure", "result")}
    later: list[dict] = []
    if found := present.objections((d.get("disclosure") or {}).get("objections")):
        later.append({"where": where["disclosure"], "objections": found})
    if approval:
        notes = f"，{approval['notes']}" if approval.get("notes") else ""
        later.append({"text": f"{labels.APPROVAL}：{approval['by']}，{cn_date(approval['date'])}{notes}"})
    if result.get("acceptance"):
        later.append({"text": present.acceptance(result["acceptance"])})
    if found := present.objections(result.get("objections")):
        later.append({"where": where["result"], "objections": found})
    return {
        "unanimous": labels.UNANIMOUS.format(present=res["attendance"]["present"])
                     if res.get("votes") == "unanimous" else "",
        "method": present.method(res),
        "funding": present.funding(record),
        "later": later,
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
        "objections": present.objection_counts(records),  # v1.1
    }


def newest_first(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (latest_date(r) or dt.date.min, r.village, r.id), reverse=True)


def _village_context(v: Village, matters: list[dict], records: list[Record]) -> dict:
    """A village page: ``matters`` are its summary lines, newest first, listed once by year and
    filtered by status or category in place (``city.village_filters``); its own figures."""
    by_year: dict = defaultdict(list)
    for m in matters:
        by_year[m["id"][:4]].append(m)
    return {
        "village": {"id": v.id, "name": v.name, "township": v.township, **v.counts},
        "total": len(matters),
        "years": sorted(by_year.items(), reverse=True),
        "filters": city.village_filters(matters),
        "stats": stats(records),
    }


def record_order(record: Record) -> tuple[str, str]:
    return (record.village, record.id)


def build_site(report: Report, content: Path, today: dt.date, commit: str, repo: dict,
               page_size: int = city.PAGE_SIZE) -> Site:
    """Every page of the site but the matters' (``matter_pages``), in a stable order. With several
    townships there is a township level (home → township → village → matter); with one, home →
    village → matter."""
    site = Site()
    records = sorted(report.records, key=record_order)
    by_village = defaultdict(list)
    for r in records:
        by_village[r.village].append(r)
    villages = [v for v in report.villages.values()]
    names = {v.id: v.name for v in villages}
    lines = {id(r): {**summary_line(r), "village_name": names.get(r.village, r.village),
                     "category_key": r.data["category"]} for r in records}
    for r in records:
        if r.derived.status in OVERDUE:
            lines[id(r)]["late"] = labels.LATE.format(days=max(0, (today - city.overdue_since(r)).days))
    towns = city.townships(villages, by_village)
    several = len(towns) > 1
    town_of = {v.id: t for t in towns for v in t.villages}

    def listing(rs: list[Record]) -> list[dict]:
        return [lines[id(r)] for r in newest_first(rs)]

    def lists(spec: city.Listing, matters: list[dict]) -> None:
        site.pages.extend(city.paged(spec, matters, page_size, Page))

    overall = stats(records)
    late = city.most_overdue(records)
    home = {
        "stats": overall,
        "overdue": [lines[id(r)] for r in late[:city.HOME_OVERDUE]],
        "overdue_total": len(late),
        "disclosures": [lines[id(r)] for r in sorted((r for r in records if "disclosure" in r.data),
                                                    key=lambda r: (r.data["disclosure"]["date"], r.village, r.id), reverse=True)[:8]],
        "results": [lines[id(r)] for r in sorted((r for r in records if "result" in r.data),
                                                key=lambda r: (r.data["result"]["date"], r.village, r.id), reverse=True)[:8]],
        "today": cn_date(today),
        "categories": list(CATEGORIES.items()),
    }
    if several:
        home["townships"] = [city.unit_row(t.label, f"{sitenames.TOWNSHIP}/{t.slug}/", t.records) for t in towns]
    else:
        home["villages"] = [{"id": v.id, "name": v.name, "township": v.township, "n": len(by_village[v.id]),
                             "overdue": sum(r.derived.status in OVERDUE for r in by_village[v.id])} for v in villages]
    site.pages.append(Page("index.md", "cunwu/city.html" if several else "cunwu/home.html", "",
                           f"{len(records)} 件村级重大事项的“四议两公开”全过程公开", home))
    if several:
        for t in towns:
            _township(site, t, by_village, lines, lists)
    for v in villages:
        ctx = _village_context(v, listing(by_village[v.id]), by_village[v.id])
        t = town_of[v.id]
        ctx["township_url"] = f"{sitenames.TOWNSHIP}/{t.slug}/" if several else ""
        site.pages.append(Page(f"{v.id}/index.md", "cunwu/village.html", v.name,
                               f"{v.township}{v.name}：{len(by_village[v.id])} 件村级重大事项的办理情况", ctx))
    by_status = city.by_key(records, lambda r: r.derived.status)
    for key, label in STATUSES.items():
        rs = by_status.get(key, [])
        lists(city.Listing(f"{sitenames.STATUS}/{key}", f"{label}的事项", f"状态为“{label}”的事项共 {len(rs)} 件", []),
              listing(rs))
    by_category = city.by_key(records, lambda r: r.data["category"])
    for key, label in CATEGORIES.items():
        rs = by_category.get(key, [])
        lists(city.Listing(f"{sitenames.CATEGORY}/{key}", label, f"“{label}”类事项共 {len(rs)} 件", []), listing(rs))
    lists(city.Listing(sitenames.OVERDUE, "逾期事项", f"逾期未公开决议或实施结果的事项共 {len(late)} 件", [],
                       "以下事项已超过规定期限，仍未公开决议或实施结果，逾期最久的在前。"),
          [lines[id(r)] for r in late])
    if several:
        units = [city.unit_row(t.label, f"{sitenames.STATS}/{t.slug}/", t.records) for t in towns]
        what = "乡镇"
    else:
        units = [city.unit_row(v.name, f"{v.id}/", by_village[v.id]) for v in villages]
        what = "村"
    site.pages.append(Page(f"{sitenames.STATS}.md", "cunwu/stats.html", "统计", f"各{what}事项办理情况统计", {
        "overall": overall, "heading": "全部事项", "compare": city.comparison(units, what), "crumbs": [],
    }))
    site.pages.append(Page(f"{sitenames.DATA}.md", "cunwu/data.html", "公开数据", "下载全部事项的数据：CSV、JSON 和订阅",
                           {"today": cn_date(today), "commit": commit,
                            "townships": [{"name": t.label, "slug": t.slug} for t in towns if t.name]}))
    return site


def _township(site: Site, t: city.Township, by_village: dict, lines: dict, lists: Callable) -> None:
    """A township's page, its lists (all its matters, its overdue ones) and its statistics."""
    base = f"{sitenames.TOWNSHIP}/{t.slug}"
    late = city.most_overdue(t.records)
    crumbs = [(t.label, f"{base}/")]
    site.pages.append(Page(f"{base}.md", "cunwu/township.html", t.label,
                           f"{t.label}各村 {len(t.records)} 件村级重大事项的办理情况", {
        "name": t.label, "slug": t.slug, "base": base, "total": len(t.records),
        "statuses": city.status_counts(t.records),
        "overdue": [lines[id(r)] for r in late[:city.TOWNSHIP_OVERDUE]],
        "overdue_total": len(late),
        "villages": [city.unit_row(v.name, f"{v.id}/", by_village[v.id]) for v in t.villages],
    }))
    lists(city.Listing(f"{base}/matters", f"{t.label}的全部事项", f"{t.label}的事项共 {len(t.records)} 件", crumbs),
          [lines[id(r)] for r in newest_first(t.records)])
    lists(city.Listing(f"{base}/overdue", f"{t.label}的逾期事项", f"{t.label}逾期的事项共 {len(late)} 件", crumbs,
                       "以下事项已超过规定期限，仍未公开决议或实施结果，逾期最久的在前。"),
          [lines[id(r)] for r in late])
    units = [city.unit_row(v.name, f"{v.id}/", by_village[v.id]) for v in t.villages]
    site.pages.append(Page(f"{sitenames.STATS}/{t.slug}.md", "cunwu/stats.html", f"{t.label}统计", f"{t.label}各村事项办理情况统计", {
        "overall": stats(t.records), "heading": f"{t.label}全部事项", "compare": city.comparison(units, "村"),
        "crumbs": [(t.label, f"{base}/")],
    }))


def _description(r: Record, v: Village, today: dt.date) -> str:
    """What a shared link's card says of a matter."""
    return f"{v.name} · {STATUSES[r.derived.status]} · {r.data.get('summary') or next_due(r, today)}"[:160]


def matter_pages(report: Report, records: Iterable[Record], content: Path, today: dt.date,
                 repo: dict) -> Iterator[Page]:
    """The page of each of ``records`` (of ``report``), in their order, each made when asked for:
    the build hands each matter to the search index as soon as it is made, not once all are."""
    villages = list(report.villages.values())
    slugs = city.slugs(villages)
    several = len(slugs) > 1  # as in build_site: a township level
    for r in records:
        v = report.villages.get(r.village)
        if v is None:  # a village villages.yml does not name: an error, which stops the build first
            continue
        ctx = matter_context(r, v, content, today, repo)
        ctx["township"] = v.township  # a crumb on a site of several townships
        ctx["township_url"] = f"{sitenames.TOWNSHIP}/{slugs[v.township]}/" if several else ""
        ctx["objection"] = city.objection(v)  # whom to tell, on the page and its notice
        yield Page(f"{url_of(r)}index.md", "cunwu/matter.html", r.data["title"], _description(r, v, today), ctx)


def assets(records: list[Record], content: Path) -> Iterator[Asset]:
    """The records' attachments, each to be published beside its matter page."""
    for r in records:
        for a in attachments(r, content):
            yield Asset(a["dest"], source=a["path"], image=a["image"])
