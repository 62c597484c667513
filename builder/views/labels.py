"""Every label of site.md that the pages and exports show, in one place.

The steps' own names are part of the record contract and live in the model
(``model.schema.STEP_LABELS``), since its diagnostics use them; the statuses' names live with
their derivation (``model.status.STATUSES``). What is here only the site says.
"""

from __future__ import annotations

from ..model.schema import APPROVAL_LABEL, STEP_LABELS

BODIES = {"representatives": "村民代表会议", "assembly": "村民会议"}  # who made a resolution

MARKS = {  # state of a step -> (symbol, word): the word is always shown, never colour alone
    "done": ("✓", "已完成"),
    "rejected": ("✗", "未通过"),
    "pending": ("○", "待办"),
    "overdue": ("!", "逾期"),
    "current": ("…", "进行中"),
    "stopped": ("—", "已终止"),
}

# What is owed next (``Derived.next_label``): a step, or the end of the notice period.
NEXT = {**STEP_LABELS, "resolution": "村民代表会议或村民会议决议", "until": "公示期满"}
NEXT.pop("implementation")

# A step in a column or a statistic, where a resolution may come from either body: just "决议".
STEP_SHORT = {**STEP_LABELS, "resolution": "决议"}

#: In a list, beside an overdue matter: days since the deadline it missed, counted from the build's date.
LATE = "已逾期 {days} 天"

UNTIL = "公示期至"  # the last day of the notice period
DUE = "计划完成"  # the day implementation is to be done

# -- v1.1 (records.md §8, site.md "Labels of v1.1") -------------------------------------------

#: ``votes: unanimous``: a count is never invented, the number present is what is known.
UNANIMOUS = "全票通过（实到 {present} 人）"
#: ``method`` in steps 1–4.
METHOD = "表决方式：{method}"
METHODS = {"ballot": "投票表决", "hands": "举手表决", "online": "线上表决", "mixed": "线上线下结合"}
#: ``attendance.online``: of those present.
ONLINE = "其中线上参会 {online} 人"
#: ``objections: none`` in a disclosure or a result.
NO_OBJECTIONS = "公示期间无异议"
#: ``objections`` as a list.
OBJECTIONS = "异议及答复"
#: An objection without a response: said in words, never by colour alone.
UNANSWERED = "尚未答复"
ANSWERED = "已答复"
#: ``approval``: the township's review or filing before the work starts.
APPROVAL = APPROVAL_LABEL
#: ``funding``: where the money comes from.
FUNDING = "资金来源"
FUNDING_TOTAL = "合计"
#: ``result.acceptance``.
ACCEPTANCE = "验收"

#: CSV headers of the v1.1 columns (views/opendata.py), in their order.
CSV = {
    "method": "决议表决方式",
    "unanimous": "决议全票通过",
    "online": "决议线上参会人数",
    "disclosure_objections": "决议公示异议（件）",
    "disclosure_answered": "决议公示异议已答复（件）",
    "approval_date": APPROVAL,
    "approval_by": APPROVAL + "单位",
    "funding": FUNDING,
    "acceptance_date": ACCEPTANCE,
    "acceptance_by": ACCEPTANCE + "单位",
    "result_objections": "结果公示异议（件）",
    "result_answered": "结果公示异议已答复（件）",
}
#: The statistics page (views/site.py stats): objections raised and answered.
STATS_RAISED = "公示期间收到异议"
STATS_ANSWERED = "其中已答复"
