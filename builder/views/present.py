"""What the pages show of a record: labels, marks, facts and formatted values.

Plain data for the templates in ``overrides/``; no HTML is built here except record text,
which goes through the safe Markdown renderer. Free of MkDocs, like the rest of the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.report import Record
from ..model.schema import CATEGORIES, MEETINGS, STEPS, step_label
from ..model.status import OVERDUE, STATUSES, passed, quorum_met
from .labels import DUE, MARKS, NEXT, UNTIL
from .text import cn_date, render, wan, yuan


def url_of(record: Record) -> str:
    return f"{record.village}/{record.id}/"


def has_notice(record: Record) -> bool:
    """A matter prints as a public notice once it has come to a vote (passed or not)."""
    return "resolution" in record.data


@dataclass
class Step:
    key: str
    label: str
    state: str
    date: str = ""
    facts: list | None = None  # short lines: attendance, votes, outcome
    votes: dict | None = None  # for/against/abstain counts and percentages of present
    html: str = ""  # notes, resolution text, result summary

    @property
    def mark(self) -> str:
        return MARKS[self.state][0]

    @property
    def word(self) -> str:
        return MARKS[self.state][1]


def _meeting_facts(s: dict, key: str) -> tuple[list[str], dict | None]:
    facts = []
    att = s.get("attendance") or {}
    if "expected" in att:
        quorum = quorum_met(key, s)
        facts.append(f"应到 {att['expected']} 人，实到 {att['present']} 人，"
                     + ("达到法定人数" if quorum else "未达法定人数"))
    hh = s.get("households")
    if hh:
        facts.append(f"应到 {hh['expected']} 户，实到 {hh['present']} 户")
    votes = s.get("votes")
    bars = None
    if votes:
        facts.append(f"赞成 {votes['for']} 票，反对 {votes['against']} 票，弃权 {votes['abstain']} 票")
        present = max(att.get("present") or 0, 1)
        bars = {k: {"n": votes[k], "pct": f"{100 * votes[k] / present:.3g}"} for k in ("for", "against", "abstain")}
        bars["absent"] = max(0, (att.get("present") or 0) - sum(votes.values()))
    result = passed(s)
    if result is not None:
        facts.append("通过" if result else "未通过")
    return facts, bars


def steps(record: Record) -> list[Step]:
    d, status = record.data, record.derived.status
    out: list[Step] = []
    stopped = False
    for key in STEPS:
        label = step_label(key, d)
        s = d.get(key)
        if s is None:
            state = "stopped" if stopped else "pending"
            if (key == "disclosure" and status == "disclosure_overdue") or (key == "result" and status == "result_overdue"):
                state = "overdue"
            out.append(Step(key, label, state))
            continue
        if key in MEETINGS:
            facts, bars = _meeting_facts(s, key)
            state = "rejected" if passed(s) is False else "done"
            html = render(s.get("text")) + render(s.get("notes"))
            if state == "rejected":
                stopped = True
            out.append(Step(key, label, state, cn_date(s["date"]), facts, bars, html))
        elif key == "disclosure":
            facts = [f"{UNTIL} {cn_date(s['until'])}", "公开方式：" + "、".join(s["channels"])]
            out.append(Step(key, label, "done", cn_date(s["date"]), facts, None, render(s.get("notes"))))
        elif key == "implementation":
            facts = [f"负责：{s['responsible']}"] if s.get("responsible") else []
            if s.get("start"):
                facts.append(f"开始 {cn_date(s['start'])}")
            facts.append(f"{DUE} {cn_date(s['due'])}")
            state = "done" if "result" in d else ("overdue" if status == "result_overdue" else "current")
            out.append(Step(key, label, state, cn_date(s.get("start")), facts))
        else:
            facts = [f"完成于 {cn_date(s['completed'])}"]
            if "cost" in s:
                facts.append(f"实际支出 {yuan(s['cost'])}")
            if s.get("channels"):
                facts.append("公开方式：" + "、".join(s["channels"]))
            out.append(Step(key, label, "done", cn_date(s["date"]), facts, None, render(s.get("summary"))))
    return out


def next_due(record: Record, today: dt.date) -> str:
    """One line: what is owed next and by when."""
    der = record.derived
    if der.status == "completed":
        return f"已于 {cn_date(record.data['result']['date'])} 公开实施结果"
    if der.status == "rejected":
        return "事项未通过，程序终止"
    what = NEXT.get(der.next_label, "")
    if not der.next_date:
        return f"下一步：{what}" if what else ""
    days = (der.next_date - today).days
    if der.status in OVERDUE:
        late = (today - (der.disclosure_deadline or der.result_deadline or der.next_date)).days
        return f"{what}已逾期 {late} 天（期限 {cn_date(der.disclosure_deadline or der.result_deadline)}）"
    when = "今天" if days == 0 else (f"还有 {days} 天" if days > 0 else f"已过 {-days} 天")
    verb = UNTIL if der.next_label == "until" else f"下一步：{what}，期限"
    return f"{verb} {cn_date(der.next_date)}（{when}）"


def progress(record: Record) -> dict | None:
    impl = record.data.get("implementation")
    if not impl:
        return None
    updates = [{"date": cn_date(u["date"]), "progress": u["progress"], "note": u.get("note", "")}
               for u in impl.get("updates") or []]
    pct = 100 if "result" in record.data else (updates[-1]["progress"] if updates else 0)
    return {"pct": pct, "updates": updates}


def money(record: Record) -> dict | None:
    budget = record.data.get("budget")
    cost = (record.data.get("result") or {}).get("cost")
    if budget is None and cost is None:
        return None
    out = {"budget": yuan(budget), "cost": yuan(cost), "over": bool(budget is not None and cost is not None and cost > budget)}
    if budget and cost is not None:
        out["pct"] = round(float(cost / budget * 100), 1)
    return out


def latest_date(record: Record) -> dt.date | None:
    """The date of the furthest step reached: what lists show and sort by."""
    d = record.data
    return next((d[k]["date"] for k in reversed(STEPS) if k in d and "date" in d[k]), None)


def summary_line(record: Record) -> dict:
    """What a list shows of a matter."""
    d = record.data
    latest = latest_date(record)
    return {
        "id": record.id, "village": record.village, "title": d["title"], "url": url_of(record),
        "status": record.derived.status, "status_label": STATUSES[record.derived.status],
        "category": CATEGORIES[d["category"]], "date": cn_date(latest), "iso": latest.isoformat() if latest else "",
        "budget": wan(d.get("budget")),
    }
