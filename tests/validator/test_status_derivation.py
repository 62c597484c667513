"""Status derivation (spec §6), through the real validator: one case per status, with the
boundary days, and the overdue warnings agreeing with the overdue statuses."""

from __future__ import annotations

import datetime as dt

import pytest
from vkit import Site, base_record, of

from builder.model.settings import Settings
from builder.model.status import STATUSES

D = dt.date


def pending(*drop: str) -> dict:
    """The base record before its result (and before later corrections), minus ``drop``."""
    rec = base_record()
    for key in ("result", "corrections", *drop):
        rec.pop(key, None)
    return rec


def status_of(site: Site, rec: dict, today: dt.date, settings: Settings | None = None):
    path = site.write(rec)
    report = site.validate(today=today, settings=settings)
    errors = [d for d in of(report, path) if d.severity == "error"]
    assert errors == [], [(d.code, d.message) for d in errors]
    [record] = report.records
    return record.derived, [d.code for d in of(report, path)]


def _rejected_review() -> dict:
    rec = pending("resolution", "disclosure", "implementation", "budget")
    rec["review"]["votes"] = {"for": 10, "against": 25, "abstain": 0}
    return rec


def _rejected_resolution_disclosed() -> dict:
    rec = pending("implementation", "budget")
    rec["resolution"]["votes"] = {"for": 19, "against": 19, "abstain": 0}
    return rec


def _rejected_by_outcome() -> dict:
    rec = pending("review", "resolution", "disclosure", "implementation", "budget")
    rec["deliberation"]["outcome"] = "rejected"
    return rec


CASES = [
    # (name, record, today, status)
    ("deliberating after step 2", lambda: pending("review", "resolution", "disclosure", "implementation"),
     D(2024, 3, 6), "deliberating"),
    ("deliberating after step 3", lambda: pending("resolution", "disclosure", "implementation"),
     D(2024, 3, 11), "deliberating"),
    ("deliberating after step 1 only", lambda: pending("deliberation", "review", "resolution", "disclosure",
                                                       "implementation"), D(2030, 1, 1), "deliberating"),
    ("rejected at review", _rejected_review, D(2024, 12, 31), "rejected"),
    ("rejected by stated outcome", _rejected_by_outcome, D(2024, 12, 31), "rejected"),
    ("rejected resolution, disclosed", _rejected_resolution_disclosed, D(2024, 12, 31), "rejected"),
    ("awaiting disclosure, day of resolution", lambda: pending("disclosure", "implementation"),
     D(2024, 3, 15), "awaiting_disclosure"),
    ("awaiting disclosure, deadline day", lambda: pending("disclosure", "implementation"),
     D(2024, 3, 22), "awaiting_disclosure"),
    ("disclosure overdue, day after deadline", lambda: pending("disclosure", "implementation"),
     D(2024, 3, 23), "disclosure_overdue"),
    ("on notice, first day", lambda: pending("implementation"), D(2024, 3, 16), "on_notice"),
    ("on notice, until == today", lambda: pending("implementation"), D(2024, 3, 23), "on_notice"),
    ("implementing, day after notice", lambda: pending("implementation"), D(2024, 3, 24), "implementing"),
    ("implementing, no implementation part, years later", lambda: pending("implementation"),
     D(2030, 1, 1), "implementing"),
    ("implementing, due + grace == today", pending, D(2024, 7, 30), "implementing"),
    ("result overdue, day after due + grace", pending, D(2024, 7, 31), "result_overdue"),
    ("completed", base_record, D(2024, 12, 31), "completed"),
    ("completed, long after due", base_record, D(2030, 1, 1), "completed"),
]


@pytest.mark.parametrize(("name", "make", "today", "status"), CASES, ids=[c[0] for c in CASES])
def test_status(site: Site, name: str, make, today: dt.date, status: str) -> None:
    derived, found = status_of(site, make(), today)
    assert derived.status == status
    assert derived.label == STATUSES[status]
    # the overdue warnings and the overdue statuses say the same thing
    assert ("W052" in found) == (status == "disclosure_overdue")
    assert ("W053" in found) == (status == "result_overdue")


def test_every_status_has_a_case() -> None:
    assert {c[3] for c in CASES} == set(STATUSES)
    assert len(STATUSES) == 8


def test_deadlines_are_reported(site: Site) -> None:
    derived, _ = status_of(site, pending("disclosure", "implementation"), D(2024, 3, 20))
    assert derived.disclosure_deadline == D(2024, 3, 22)
    derived, _ = status_of(site, pending(), D(2024, 5, 1))
    assert derived.status == "implementing"
    assert derived.result_deadline == D(2024, 7, 30)


def test_settings_move_the_boundaries(site: Site) -> None:
    rec = pending("disclosure", "implementation")
    settings = Settings(disclosure_within_days=3)
    assert status_of(site, rec, D(2024, 3, 18), settings)[0].status == "awaiting_disclosure"
    assert status_of(site, rec, D(2024, 3, 19), settings)[0].status == "disclosure_overdue"
    settings = Settings(result_grace_days=0)
    assert status_of(site, pending(), D(2024, 6, 30), settings)[0].status == "implementing"
    assert status_of(site, pending(), D(2024, 7, 1), settings)[0].status == "result_overdue"


def test_due_in_the_future_is_allowed(site: Site) -> None:
    rec = pending()
    rec["implementation"]["due"] = D(2025, 6, 30)
    derived, found = status_of(site, rec, D(2024, 12, 31))
    assert derived.status == "implementing" and found == []


@pytest.mark.parametrize("offset", range(-2, 140, 3))
def test_warnings_agree_with_status_day_by_day(site: Site, offset: int) -> None:
    today = D(2024, 3, 15) + dt.timedelta(days=offset)
    for rec in (pending("disclosure", "implementation"), pending()):
        if offset < 0 or (rec.get("implementation") and today < D(2024, 5, 1)):
            continue  # steps dated after today would be E051
        derived, found = status_of(site, rec, today)
        assert ("W052" in found) == (derived.status == "disclosure_overdue")
        assert ("W053" in found) == (derived.status == "result_overdue")
