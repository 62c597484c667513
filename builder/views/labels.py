"""Labels of records.md §8 (v1.1) as site.md "Labels of v1.1" gives them: one place for the
matter page, the printed notice, the CSV headers and the statistics.

Plain constants and ``str.format`` templates, nothing else: h11 gathers the older labels into
a module of this name, and the two are merged as they are.
"""

from __future__ import annotations

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
APPROVAL = "乡镇审核"
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
