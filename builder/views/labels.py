"""Every label of site.md that the pages and exports show, in one place.

The steps' own names are part of the record contract and live in the model
(``model.schema.STEP_LABELS``), since its diagnostics use them; the statuses' names live with
their derivation (``model.status.STATUSES``). What is here only the site says.
"""

from __future__ import annotations

from ..model.schema import STEP_LABELS

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

UNTIL = "公示期至"  # the last day of the notice period
DUE = "计划完成"  # the day implementation is to be done
