"""The search page's data: the filters it offers and the lists it links to without JavaScript."""

from __future__ import annotations

from ..model import sitenames
from ..model.records import Village
from ..model.report import Report
from ..model.schema import CATEGORIES
from ..model.status import STATUSES
from .city import NO_TOWNSHIP
from .site import Page


def _village_label(v: Village, duplicated: set[str]) -> str:
    return f"{v.name}（{v.township}）" if v.name in duplicated and v.township else v.name


def _village_groups(villages: list, options: list[tuple]) -> list[tuple[str, list[tuple]]]:
    """The village options by township (an <optgroup> each), when there are several: hundreds of
    villages in one flat list are hard to choose from on a phone. [] otherwise."""
    town = {v.id: v.township or NO_TOWNSHIP for v in villages}
    groups: dict[str, list[tuple]] = {}
    for option in options:
        groups.setdefault(town[option[0]], []).append(option)
    return list(groups.items()) if len(groups) > 1 else []


def search_page(report: Report) -> Page:
    """The page at search/: a search box with filters, and without JavaScript, links to browse."""
    villages = list(report.villages.values())
    names = [v.name for v in villages]
    duplicated = {n for n in names if names.count(n) > 1}
    used = {r.village for r in report.records}
    years = sorted({r.id[:4] for r in report.records}, reverse=True)
    shown = [{"id": v.id, "name": v.name, "label": _village_label(v, duplicated)} for v in villages if v.id in used]
    # Each filter: (key, label, "all" option, [(value, text, village name for the script or "")]).
    filters = [
        ("village", "村", "全部村", [(v["id"], v["label"], v["name"]) for v in shown]),
        ("category", "类别", "全部类别", [(k, label, "") for k, label in CATEGORIES.items()]),
        ("status", "状态", "全部状态", [(k, label, "") for k, label in STATUSES.items()]),
        ("year", "年份", "全部年份", [(y, f"{y} 年", "") for y in years]),
    ]
    return Page(f"{sitenames.SEARCH}.md", "cunwu/search.html", "搜索", "按事项名称、村名或关键词搜索各村的村级重大事项", {
        "village_groups": _village_groups(villages, filters[0][3]),
        "villages": shown,
        "categories": list(CATEGORIES.items()),
        "statuses": list(STATUSES.items()),
        "filters": filters,
        "total": len(report.records),
    })
