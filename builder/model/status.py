"""Derivation: where a matter stands on a given day (spec §6) and what is due next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .schema import MEETINGS
from .settings import Settings

STATUSES = {
    "deliberating": "议定中",
    "rejected": "未通过",
    "awaiting_disclosure": "待公开",
    "disclosure_overdue": "逾期未公开",
    "on_notice": "公示中",
    "implementing": "实施中",
    "result_overdue": "结果逾期未公开",
    "completed": "已办结",
}
OVERDUE = ("disclosure_overdue", "result_overdue")


UNANIMOUS = "unanimous"  # v1.1 (records.md §8): ``votes: unanimous``, everyone present voted for


def passed(step: dict) -> bool | None:
    """Whether a meeting step passed: its votes decide, else its stated outcome. A unanimous
    vote passes (quorum is a separate rule, E041)."""
    votes = step.get("votes")
    if votes == UNANIMOUS:
        return True
    present = (step.get("attendance") or {}).get("present")
    if isinstance(votes, dict) and "for" in votes and isinstance(present, int):
        return 2 * votes["for"] > present
    outcome = step.get("outcome")
    return None if outcome is None else outcome == "passed"


def attendance(part: object) -> tuple[int, int] | None:
    """(expected, present) when both are there and make sense, else None."""
    if not isinstance(part, dict) or "expected" not in part or "present" not in part:
        return None
    expected, present = part["expected"], part["present"]
    if expected <= 0 or present < 0 or present > expected:
        return None
    return expected, present


def quorum_met(step: str, s: dict) -> bool | None:
    """Whether a meeting had its quorum (spec §5); None when its attendance is unusable.
    Steps 1–3: more than half; representatives: two thirds; assembly: more than half of the
    adult villagers, or two thirds of the households."""
    att = attendance(s.get("attendance"))
    if att is None:
        return None
    e, p = att
    if step != "resolution":
        return 2 * p > e
    if s.get("body") == "assembly":
        hh = attendance(s.get("households"))
        return 2 * p > e or bool(hh and 3 * hh[1] >= 2 * hh[0])
    return 3 * p >= 2 * e


def rejected_step(data: dict) -> str | None:
    for key in MEETINGS:
        if key in data and passed(data[key]) is False:
            return key
    return None


@dataclass(frozen=True)
class Derived:
    status: str
    next_label: str = ""  # what is owed next, in Chinese
    next_date: dt.date | None = None  # when it is owed
    disclosure_deadline: dt.date | None = None
    result_deadline: dt.date | None = None

    @property
    def label(self) -> str:
        return STATUSES[self.status]


def derive(data: dict, today: dt.date, settings: Settings) -> Derived:
    """Status of a validated record; tolerant of missing parts so it never fails."""
    if "result" in data:
        return Derived("completed")
    if rejected_step(data):
        return Derived("rejected")
    resolution = data.get("resolution")
    if not resolution or not all(k in data for k in MEETINGS):
        nxt = next((k for k in MEETINGS if k not in data), "resolution")
        return Derived("deliberating", next_label=nxt)
    disclosure = data.get("disclosure")
    if not disclosure:
        deadline = resolution["date"] + dt.timedelta(days=settings.disclosure_within_days)
        status = "disclosure_overdue" if today > deadline else "awaiting_disclosure"
        return Derived(status, "disclosure", deadline, disclosure_deadline=deadline)
    due = (data.get("implementation") or {}).get("due")
    result_deadline = due + dt.timedelta(days=settings.result_grace_days) if due else None
    if result_deadline and result_deadline < today:
        return Derived("result_overdue", "result", due, result_deadline=result_deadline)
    if disclosure["until"] >= today:
        return Derived("on_notice", "until", disclosure["until"], result_deadline=result_deadline)
    return Derived("implementing", "result", due, result_deadline=result_deadline)
