"""What the pages show of a record: labels, marks, facts and formatted values.

Plain data for the templates in ``overrides/``; no HTML is built here except record text,
which goes through the safe Markdown renderer. Free of MkDocs, like the rest of the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.report import Record
from ..model.schema import CATEGORIES, MEETINGS, STEPS, step_label
from ..model.status import OVERDUE, STATUSES, UNANIMOUS, passed, quorum_met
from . import labels
from .labels import DUE, MARKS, NEXT, UNTIL
from .text import cn_date, render, wan, yuan

# The stepper's rows: the 4+2 steps, with the township's review (records.md §8) between the
# disclosure and the implementation, where it happens.
STEPPER = (*STEPS[:STEPS.index("implementation")], "approval", *STEPS[STEPS.index("implementation"):])


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
    objections: dict | None = None  # v1.1: a disclosure's or result's objections (objections())

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
        facts.append(f"应到 {att['expected']} 人，实到 {att['present']} 人，" + online(att, after="，")
                     + ("达到法定人数" if quorum else "未达法定人数"))
    hh = s.get("households")
    if hh:
        facts.append(f"应到 {hh['expected']} 户，实到 {hh['present']} 户")
    votes = s.get("votes")
    bars = None
    if votes == UNANIMOUS:  # v1.1: the count is what is known, never an invented split
        facts.append(labels.UNANIMOUS.format(present=att.get("present")))
    elif votes:
        facts.append(f"赞成 {votes['for']} 票，反对 {votes['against']} 票，弃权 {votes['abstain']} 票")
        present = max(att.get("present") or 0, 1)
        bars = {k: {"n": votes[k], "pct": f"{100 * votes[k] / present:.3g}"} for k in ("for", "against", "abstain")}
        bars["absent"] = max(0, (att.get("present") or 0) - sum(votes.values()))
    if s.get("method"):
        facts.append(method(s))
    result = passed(s)
    if result is not None and votes != UNANIMOUS:  # 全票通过 says it already
        facts.append("通过" if result else "未通过")
    return facts, bars


def steps(record: Record) -> list[Step]:
    d, status = record.data, record.derived.status
    out: list[Step] = []
    stopped = False
    for key in STEPPER:
        s = d.get(key)
        if key == "approval":  # v1.1: optional, so shown only when there (v1 pages stay as they were)
            if s is not None:
                out.append(approval_step(s))
            continue
        label = step_label(key, d)
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
            out.append(Step(key, label, "done", cn_date(s["date"]), facts, None, render(s.get("notes")),
                            objections(s.get("objections"))))
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
            if s.get("acceptance"):
                facts.append(acceptance(s["acceptance"]))
            out.append(Step(key, label, "done", cn_date(s["date"]), facts, None, render(s.get("summary")),
                            objections(s.get("objections"))))
    return out


# -- v1.1 (records.md §8): what the page and the notice say of the new keys -------------------

def online(att: dict, before: str = "", after: str = "") -> str:
    """"其中线上参会 N 人" between ``before`` and ``after`` when the attendance says how many took
    part online, else nothing."""
    return before + labels.ONLINE.format(online=att["online"]) + after if "online" in att else ""


def method(s: dict) -> str:
    return labels.METHOD.format(method=labels.METHODS[s["method"]]) if s.get("method") else ""


def objections(value: object) -> dict | None:
    """A posting's objections for the templates: ``{"none": True}`` for ``none``, else each one
    with its answer, or marked unanswered in words (``open``); None when the record is silent."""
    if value == "none":
        return {"none": True, "label": labels.NO_OBJECTIONS}
    if not value:
        return None
    items = [{"date": cn_date(o["date"]), "summary": o["summary"], "response": o.get("response", ""),
              "answered": cn_date(o.get("answered")), "open": "response" not in o,
              "state": labels.UNANSWERED if "response" not in o else labels.ANSWERED} for o in value]
    still_open = sum(i["open"] for i in items)
    count = f"{len(items)} 件" + (f"，{still_open} 件{labels.UNANSWERED}" if still_open else "")
    return {"none": False, "label": labels.OBJECTIONS, "entries": items, "open": still_open, "count": count}


def approval_step(s: dict) -> Step:
    facts = [s["by"]] + ([s["notes"]] if s.get("notes") else [])
    return Step("approval", labels.APPROVAL, "done", cn_date(s["date"]), facts)


def acceptance(a: dict) -> str:
    return f"{labels.ACCEPTANCE}：{cn_date(a['date'])}，{a['by']}"


def funding(record: Record) -> dict | None:
    """The money's sources, under the budget; the total only when there is more than one."""
    items = record.data.get("funding")
    if not items:
        return None
    total = sum(i["amount"] for i in items)
    return {"label": labels.FUNDING, "entries": [{"source": i["source"], "amount": yuan(i["amount"])} for i in items],
            "total": yuan(total) if len(items) > 1 else "", "total_label": labels.FUNDING_TOTAL,
            "line": "、".join(f"{i['source']} {yuan(i['amount'])}" for i in items)}


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


def objection_counts(records: list[Record]) -> dict:
    """v1.1: objections raised while a disclosure or result was posted, and how many were answered."""
    items: list[dict] = []
    for r in records:
        for step in ("disclosure", "result"):
            found = (r.data.get(step) or {}).get("objections")
            if isinstance(found, list):  # not "none"
                items += found
    answered = sum("response" in o for o in items)
    return {"raised": len(items), "answered": answered, "open": len(items) - answered,
            "raised_label": labels.STATS_RAISED, "answered_label": labels.STATS_ANSWERED}
