"""Every code of the rule table (spec §5), except the git history codes E080/E081: a record that
produces exactly that code, and a near miss that does not.

Each case starts from ``vkit.base_record()`` (valid, status completed) and changes one thing.
The diagnostic's line must be the line of the offending key in the file that was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import vkit
from vkit import JPEG, PDF, PNG, TODAY, WEBP, Raw, Site, base_record, codes, key_line, of, text_line, text_of

from builder.model.rules import RULES
from builder.model.settings import Settings

D = dt.date
Edit = Callable[[dict], None]


def put(path: str, value: object) -> Edit:
    """Set the value at a dotted path (``resolution.votes.for``; list indexes as numbers)."""
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]

    def edit(rec: dict) -> None:
        node = rec
        for p in parts[:-1]:
            node = node[p]
        node[parts[-1]] = value
    return edit


def drop(*paths: str) -> Edit:
    def edit(rec: dict) -> None:
        for path in paths:
            parts = [int(p) if p.isdigit() else p for p in path.split(".")]
            node = rec
            for p in parts[:-1]:
                node = node[p]
            del node[parts[-1]]
    return edit


def votes(step: str, for_: int, against: int = 0, abstain: int = 0) -> Edit:
    return put(f"{step}.votes", {"for": for_, "against": against, "abstain": abstain})


def present(step: str, n: int, *, vote: bool = True) -> list[Edit]:
    """Set attendance.present, and (by default) votes that fit and pass: all present vote for."""
    out = [put(f"{step}.attendance.present", n)]
    if vote:
        out.append(votes(step, n))
    return out


def body(text: str) -> Edit:
    """Marker edit: replaces the Markdown body (handled by ``write_case``)."""
    def edit(rec: dict) -> None:
        rec.setdefault("__body__", "")
        rec["__body__"] += text
    return edit


@dataclass
class Case:
    code: str  # the code expected; "" for a near miss that must pass
    edits: list = field(default_factory=list)
    at: list | tuple | None = None  # key path(s) the diagnostic(s) must point at; a str: text to find
    also: set = field(default_factory=set)  # other codes this case legitimately adds
    today: dt.date = TODAY
    settings: Settings = field(default_factory=Settings)
    setup: Callable[[Site], None] | None = None


def expected_lines(text: str, at) -> list[int]:
    if isinstance(at, str):
        return [text_line(text, at)]
    if isinstance(at, tuple):
        return [key_line(text, *at)]
    return [key_line(text, *p) if isinstance(p, tuple) else text_line(text, p) for p in at]


def _nested_attachment(site: Site) -> None:
    (site.content / "dongwang" / "2024-003" / "sub").mkdir(parents=True)
    site.attach("sub/x.pdf", PDF)


# -- failing cases: each produces exactly its code -------------------------------------------

FAIL: dict[str, Case] = {
    # E010 missing required fields
    "E010-title": Case("E010", [drop("title")], at=()),
    "E010-blank-title": Case("E010", [put("title", "   ")], at=("title",)),
    "E010-resolution-votes": Case("E010", [drop("resolution.votes")], at=("resolution",)),
    "E010-review-votes": Case("E010", [drop("review.votes")], at=("review",)),
    "E010-outcome-without-votes": Case("E010", [drop("deliberation.outcome")], at=("deliberation",)),
    "E010-cost-with-budget": Case("E010", [drop("result.cost")], at=("result",)),
    "E010-channels": Case("E010", [drop("disclosure.channels")], at=("disclosure",)),
    "E010-attendance-present": Case("E010", [drop("review.attendance.present")], at=("review", "attendance")),
    "E010-correction-reason": Case("E010", [drop("corrections.0.reason")], at=("corrections", 0)),
    "E010-cost-null": Case("E010", [put("result.cost", None)], at=("result", "cost")),
    "E010-outcome-null-without-votes": Case("E010", [put("deliberation.outcome", None)], at=("deliberation",)),
    # E011 unknown keys, with the closest known key
    "E011-top": Case("E011", [put("titel", "关于……")], at=("titel",)),
    "E011-nested": Case("E011", [put("resolution.vote", {"for": 1})], at=("resolution", "vote")),
    "E011-in-list": Case("E011", [put("implementation.updates.0.progres", 60)],
                         at=("implementation", "updates", 0, "progres")),
    # E012 wrong type or value
    "E012-thousands": Case("E012", [put("budget", Raw("120,000"))], at=("budget",)),
    "E012-fullwidth": Case("E012", [put("budget", Raw("１２０"))], at=("budget",)),
    "E012-negative": Case("E012", [put("budget", Decimal("-5.00"))], at=("budget",)),
    "E012-3-decimals": Case("E012", [put("budget", Decimal("120000.005"))], at=("budget",)),
    "E012-wan": Case("E012", [put("budget", Raw("12万"))], at=("budget",)),
    "E012-category": Case("E012", [put("category", "farm")], at=("category",)),
    "E012-body-enum": Case("E012", [put("resolution.body", "council")], at=("resolution", "body")),
    "E012-outcome": Case("E012", [put("deliberation.outcome", "yes")], at=("deliberation", "outcome")),
    "E012-progress": Case("E012", [put("implementation.updates.0.progress", 120)],
                          at=("implementation", "updates", 0, "progress")),
    "E012-count-text": Case("E012", [put("review.attendance.present", "三十五")],
                            at=("review", "attendance", "present")),
    "E012-count-fraction": Case("E012", [put("review.attendance.expected", Decimal("42.5"))],
                                at=("review", "attendance", "expected")),
    "E012-channels-empty": Case("E012", [put("disclosure.channels", [])], at=("disclosure", "channels")),
    "E012-title-long": Case("E012", [put("title", "关" * 81)], at=("title",)),
    "E012-summary-long": Case("E012", [put("summary", "摘" * 201)], at=("summary",)),
    "E012-map-expected": Case("E012", [put("disclosure", "已公开")], at=("disclosure",)),
    "E012-list-expected": Case("E012", [put("corrections", "无")], at=("corrections",)),
    "E012-cost-thousands": Case("E012", [put("result.cost", Raw("118,500.00"))], at=("result", "cost")),
    "E012-bool-money": Case("E012", [put("budget", True)], at=("budget",)),
    "E012-negative-vote": Case("E012", [put("resolution.votes.against", -30)], at=("resolution", "votes", "against")),
    # the sum 36 + 10 - 8 fits the 38 present: the negative count must not hide that it does not
    "E012-negative-abstain": Case("E012", [votes("resolution", 36, 10, -8)], at=("resolution", "votes", "abstain")),
    "E012-negative-for-decimal": Case("E012", [put("proposal.votes.for", Decimal("-5.0"))],
                                      at=("proposal", "votes", "for")),
    "E012-households-at-representatives": Case("E012", [put("resolution.households", {"expected": 380, "present": 300})],
                                               at=("resolution", "households")),
    # E013 dates
    "E013-feb-30": Case("E013", [put("review.date", Raw("2024-02-30"))], at=("review", "date")),
    "E013-short": Case("E013", [put("review.date", Raw("2024-3-5"))], at=("review", "date")),
    "E013-chinese": Case("E013", [put("review.date", "2024年3月5日")], at=("review", "date")),
    "E013-slashes": Case("E013", [put("corrections.0.date", Raw("2024/07/10"))], at=("corrections", 0, "date")),
    "E013-number": Case("E013", [put("disclosure.until", 20240323)], at=("disclosure", "until")),
    # E021 id
    "E021-malformed": Case("E021", [put("id", "2024-3")], at=("id",)),
    "E021-not-file-name": Case("E021", [put("id", "2024-004"),
                                        lambda r: r.__setitem__("__name__", "2024-003")], at=("id",)),
    # E022 village
    "E022-unknown": Case("E022", [put("village", "xiwang")], at=("village",)),
    "E022-other-folder": Case("E022", [put("village", "nanwang")], at=("village",),
                              setup=lambda s: s.add_village(id="nanwang", name="南王村")),
    # E030 order of dates
    "E030-step-before-previous": Case("E030", [put("deliberation.date", D(2024, 3, 1))],
                                      at=("deliberation", "date")),
    "E030-resolution-before-review": Case("E030", [put("resolution.date", D(2024, 3, 9))],
                                          at=("resolution", "date")),
    "E030-until-before-date": Case("E030", [put("disclosure.until", D(2024, 3, 15))], at=("disclosure", "until")),
    "E030-completed-after-result": Case("E030", [put("result.completed", D(2024, 7, 6))],
                                        at=("result", "completed")),
    "E030-start-before-disclosure": Case("E030", [put("implementation.start", D(2024, 3, 15))],
                                         at=("implementation", "start")),
    "E030-updates-out-of-order": Case("E030", [put("implementation.updates", [
        {"date": D(2024, 5, 1), "progress": 50}, {"date": D(2024, 4, 20), "progress": 60}])],
        at=("implementation", "updates", 1)),
    "E030-progress-down": Case("E030", [put("implementation.updates", [
        {"date": D(2024, 5, 1), "progress": 50}, {"date": D(2024, 5, 20), "progress": 40}])],
        at=("implementation", "updates", 1)),
    "E030-result-before-disclosure": Case("E030", [put("result.date", D(2024, 3, 15)),
                                                   put("result.completed", D(2024, 3, 15))],
                                          at=("result", "date")),
    "E030-completed-before-proposal": Case("E030", [put("result.completed", D(2024, 3, 1))],
                                           at=("result", "completed"), also={"W051"}),
    "E030-completed-before-start": Case("E030", [put("result.completed", D(2024, 3, 20))],
                                        at=("result", "completed"), also={"W051"}),
    "E030-completed-before-disclosure": Case("E030", [drop("implementation"), put("result.completed", D(2024, 3, 15)),
                                                      put("result.date", D(2024, 3, 20))], at=("result", "completed")),
    "E030-result-before-start": Case("E030", [put("result.date", D(2024, 3, 25)), put("result.completed", D(2024, 3, 20))],
                                     at=("result", "date")),
    "E030-due-before-start": Case("E030", [put("implementation.due", D(2024, 3, 31))], at=("implementation", "due")),
    "E030-update-after-result": Case("E030", [put("implementation.updates", [{"date": D(2024, 7, 6), "progress": 100}])],
                                     at=("implementation", "updates", 0, "date")),
    "E030-update-before-start": Case("E030", [put("implementation.updates", [{"date": D(2024, 3, 20), "progress": 10},
                                                                             {"date": D(2024, 5, 1), "progress": 50}])],
                                     at=("implementation", "updates", 0, "date")),
    "E030-update-before-disclosure": Case("E030", [drop("implementation.start"), put("implementation.updates", [
        {"date": D(2024, 3, 15), "progress": 10}])], at=("implementation", "updates", 0, "date")),
    # E031 skipped steps
    "E031-no-deliberation": Case("E031", [drop("deliberation")],
                                 at=[("review",), ("resolution",), ("disclosure",), ("implementation",),
                                     ("result",)]),
    "E031-implementation-needs-disclosure": Case(
        "E031", [drop("disclosure", "result", "corrections")], at=("implementation",), also={"W052", "W053"}),
    "E031-result-without-resolution": Case("E031", [drop("resolution")],
                                           at=[("disclosure",), ("implementation",), ("result",)]),
    # E032 a step after a rejected one
    "E032-after-rejected-proposal": Case("E032", [votes("proposal", 2, 3), put("proposal.outcome", "rejected")],
                                         at=[("deliberation",), ("review",), ("resolution",), ("disclosure",),
                                             ("implementation",), ("result",)]),
    "E032-after-rejected-outcome": Case("E032", [drop("deliberation.outcome"), drop("deliberation.attendance"),
                                                 put("deliberation.attendance", {"expected": 9, "present": 8}),
                                                 put("deliberation.outcome", "rejected"),
                                                 drop("resolution", "disclosure", "implementation", "result",
                                                      "attachments", "corrections", "budget")],
                                        at=("review",)),
    "E032-implementation-after-rejected-resolution": Case(
        "E032", [votes("resolution", 19, 19), drop("result")], at=("implementation",)),
    # E040 attendance
    "E040-present-over-expected": Case("E040", [put("resolution.attendance.present", 46)],
                                       at=("resolution", "attendance", "present")),
    "E040-expected-zero": Case("E040", [put("deliberation.attendance", {"expected": 0, "present": 0})],
                               at=("deliberation", "attendance", "expected")),
    "E040-negative": Case("E040", [put("deliberation.attendance.present", -1)],
                          at=("deliberation", "attendance", "present")),
    "E040-households": Case("E040", [put("resolution.body", "assembly"),
                                     put("resolution.attendance", {"expected": 1150, "present": 600}),
                                     put("resolution.households", {"expected": 380, "present": 381}),
                                     votes("resolution", 500)],
                            at=("resolution", "households", "present")),
    "E040-households-negative": Case("E040", [put("resolution.body", "assembly"),
                                              put("resolution.attendance", {"expected": 1150, "present": 600}),
                                              put("resolution.households", {"expected": 380, "present": -5}),
                                              votes("resolution", 500)],
                                     at=("resolution", "households", "present")),
    # E041 quorum
    "E041-representatives-under-two-thirds": Case("E041", present("resolution", 29),
                                                  at=("resolution", "attendance", "present")),
    "E041-review-exactly-half": Case("E041", present("review", 21), at=("review", "attendance", "present")),
    "E041-deliberation-exactly-half": Case("E041", [put("deliberation.attendance", {"expected": 10, "present": 5})],
                                           at=("deliberation", "attendance", "present")),
    "E041-proposal-under-half": Case("E041", [put("proposal.attendance", {"expected": 5, "present": 2}),
                                              votes("proposal", 2)],
                                     at=("proposal", "attendance", "present")),
    "E041-assembly-half-adults": Case("E041", [put("resolution.body", "assembly"),
                                               put("resolution.attendance", {"expected": 1150, "present": 575}),
                                               votes("resolution", 500)],
                                      at=("resolution", "attendance", "present")),
    "E041-assembly-households-short": Case("E041", [put("resolution.body", "assembly"),
                                                    put("resolution.attendance", {"expected": 1150, "present": 400}),
                                                    put("resolution.households", {"expected": 380, "present": 253}),
                                                    votes("resolution", 300)],
                                           at=("resolution", "attendance", "present")),
    # E042 votes over attendance
    "E042-votes-over-present": Case("E042", [votes("review", 33, 1, 2)], at=("review", "votes")),
    "E042-proposal": Case("E042", [votes("proposal", 5, 1)], at=("proposal", "votes")),
    # E043 outcome contradicts votes
    "E043-half-is-not-passed": Case("E043", [votes("resolution", 19, 19), put("resolution.outcome", "passed"),
                                             drop("implementation", "result", "budget")],
                                    at=("resolution", "outcome")),
    "E043-rejected-but-votes-pass": Case("E043", [put("proposal.outcome", "rejected")], at=("proposal", "outcome")),
    # E050 notice period
    "E050-one-day-short": Case("E050", [put("disclosure.until", D(2024, 3, 21))], at=("disclosure", "until")),
    "E050-one-day": Case("E050", [put("disclosure.until", D(2024, 3, 16))], at=("disclosure", "until")),
    "E050-setting": Case("E050", [], at=("disclosure", "until"), settings=Settings(notice_min_days=10)),
    # E051 dates after today
    "E051-correction": Case("E051", [put("corrections.0.date", D(2025, 1, 1))], at=("corrections", 0, "date")),
    "E051-result": Case("E051", [], today=D(2024, 7, 9), at=[("corrections", 0, "date")]),
    "E051-meeting": Case("E051", [drop("deliberation", "review", "resolution", "disclosure", "implementation",
                                       "result", "attachments", "corrections", "budget")],
                         today=D(2024, 3, 1), at=("proposal", "date")),
    # E060–E062 personal numbers (line of the text that holds them)
    "E060-body": Case("E060", [body("承包人身份证号 440304198001011239 已核实。\n")], at="已核实"),
    "E060-x-front-matter": Case("E060", [put("proposal.notes", "提议人 11010519491231002X")],
                                at=("proposal", "notes")),
    "E061-body": Case("E061", [body("联系人手机：13812345678\n")], at="联系人"),
    "E061-dashes": Case("E061", [body("联系人手机 138-1234-5678\n")], at="联系人"),
    "E061-title": Case("E061", [put("summary", "报名电话15912345678")], at=("summary",)),
    "E062-16": Case("E062", [body("打入卡号6225880123456783。\n")], at="卡号"),
    "E062-19": Case("E062", [body("打入卡号 6222021234567890128 。\n")], at="卡号"),
    "E062-grouped": Case("E062", [body("打入卡号 6225 8801 2345 6783。\n")], at="卡号"),
    # E070 attachments
    "E070-missing": Case("E070", [put("attachments.0.file", "缺失.pdf")], at=("attachments", 0, "file")),
    "E070-parent": Case("E070", [put("attachments.0.file", "../x.pdf")], at=("attachments", 0, "file"),
                        setup=lambda s: s.attach("x.pdf", PDF, record=".")),
    "E070-subfolder": Case("E070", [put("attachments.0.file", "sub/x.pdf")], at=("attachments", 0, "file"),
                           setup=lambda s: _nested_attachment(s)),
    "E070-exe": Case("E070", [put("attachments.0.file", "setup.exe")], at=("attachments", 0, "file"),
                     setup=lambda s: s.attach("setup.exe", b"MZ\x90\x00")),
    "E070-no-suffix": Case("E070", [put("attachments.0.file", "README")], at=("attachments", 0, "file"),
                           setup=lambda s: s.attach("README", b"hi")),
    "E070-png-as-pdf": Case("E070", [put("attachments.0.file", "scan.pdf")], at=("attachments", 0, "file"),
                            setup=lambda s: s.attach("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)),
    "E070-fake-webp": Case("E070", [put("attachments.0.file", "p.webp")], at=("attachments", 0, "file"),
                           setup=lambda s: s.attach("p.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ")),
    "E070-second-of-two": Case("E070", [put("attachments", [{"file": "决议公告.pdf"}, {"file": "没有.jpg"}])],
                               at=("attachments", 1, "file")),
}

# -- near misses: each is one step from a failing case and must pass clean ------------------

PASS: dict[str, Case] = {
    "optional-summary-missing": Case("", [drop("summary")]),
    "no-budget-no-cost": Case("", [drop("budget", "result.cost")]),
    "cost-without-budget": Case("", [drop("budget")]),
    "cost-null-without-budget": Case("", [drop("budget"), put("result.cost", None)]),
    "cost-zero-with-budget": Case("", [put("result.cost", 0)]),
    "outcome-null-with-votes": Case("", [put("proposal.outcome", None)]),
    "votes-zero": Case("", [votes("resolution", 36, 0, 0)]),
    "votes-zero-decimal": Case("", [put("proposal.votes.against", Decimal("0.0"))]),
    "votes-instead-of-outcome": Case("", [drop("deliberation.outcome"), votes("deliberation", 8)]),
    "money-int": Case("", [put("budget", 120000)]),
    "money-one-decimal": Case("", [put("budget", Decimal("120000.5"))]),
    "money-zero": Case("", [put("budget", Decimal("0")), put("result.cost", 0)]),
    "count-as-decimal-whole": Case("", [put("review.attendance.expected", Decimal("42.0"))]),
    "leap-day": Case("", [put("implementation.updates.0.date", Raw("2024-02-29")),
                          put("implementation.start", D(2024, 3, 16)),
                          put("implementation.updates.0.date", D(2024, 3, 20))]),
    "title-80": Case("", [put("title", "关" * 80)]),
    "summary-200": Case("", [put("summary", "摘" * 200)]),
    "fullwidth-colon-in-value": Case("", [put("title", "关于：村东道路硬化的事项")]),
    "village-own-folder": Case("", [put("village", "dongwang")]),
    "same-day-steps": Case("", [put("deliberation.date", D(2024, 3, 2)), put("review.date", D(2024, 3, 2)),
                                put("resolution.date", D(2024, 3, 2)), put("disclosure.date", D(2024, 3, 2)),
                                put("disclosure.until", D(2024, 3, 8)), put("implementation.start", D(2024, 3, 2))]),
    "completed-equals-result-date": Case("", [put("result.completed", D(2024, 7, 5))]),
    "progress-flat": Case("", [put("implementation.updates", [{"date": D(2024, 5, 1), "progress": 50},
                                                              {"date": D(2024, 5, 1), "progress": 50}])]),
    "result-without-implementation": Case("", [drop("implementation")]),
    "completed-on-start-day": Case("", [put("result.completed", D(2024, 4, 1)), put("result.date", D(2024, 4, 10)),
                                        put("implementation.updates", [{"date": D(2024, 4, 1), "progress": 100}])]),
    "completed-on-disclosure-day": Case("", [drop("implementation"), put("result.completed", D(2024, 3, 16)),
                                             put("result.date", D(2024, 3, 20))]),
    "result-on-start-day": Case("", [put("result.date", D(2024, 4, 1)), put("result.completed", D(2024, 4, 1)),
                                     put("implementation.updates", [{"date": D(2024, 4, 1), "progress": 100}])]),
    "due-on-start-day": Case("", [put("implementation.due", D(2024, 4, 1))]),
    "update-on-result-day": Case("", [put("implementation.updates", [{"date": D(2024, 7, 5), "progress": 100}])]),
    "update-on-disclosure-day-no-start": Case("", [drop("implementation.start"), put("implementation.updates", [
        {"date": D(2024, 3, 16), "progress": 0}])]),
    "disclosure-after-rejected-resolution": Case("", [votes("resolution", 19, 19),
                                                      drop("implementation", "result", "budget")]),
    "present-equals-expected": Case("", [put("resolution.attendance.present", 45), votes("resolution", 45)]),
    "representatives-exactly-two-thirds": Case("", present("resolution", 30)),
    "review-half-plus-one": Case("", present("review", 22)),
    "deliberation-half-plus-one": Case("", [put("deliberation.attendance", {"expected": 10, "present": 6})]),
    "assembly-by-households": Case("", [put("resolution.body", "assembly"),
                                        put("resolution.attendance", {"expected": 1150, "present": 400}),
                                        put("resolution.households", {"expected": 380, "present": 254}),
                                        votes("resolution", 300)]),
    "assembly-by-adults": Case("", [put("resolution.body", "assembly"),
                                    put("resolution.attendance", {"expected": 1150, "present": 576}),
                                    votes("resolution", 500)]),
    "votes-sum-exactly-present": Case("", [votes("review", 34, 1, 0)]),
    "votes-one-over-half": Case("", [votes("resolution", 20, 18), put("resolution.outcome", "passed")]),
    "rejected-outcome-matches": Case("", [votes("resolution", 19, 19), put("resolution.outcome", "rejected"),
                                          drop("implementation", "result", "budget")]),
    "notice-exactly-min": Case("", [put("disclosure.until", D(2024, 3, 22))]),
    "notice-setting-shorter": Case("", [put("disclosure.until", D(2024, 3, 20))],
                                   settings=Settings(notice_min_days=5)),
    "future-due-and-until": Case("", [put("disclosure.until", D(2025, 1, 5)), put("implementation.due", D(2025, 3, 1))]),
    "dates-on-today": Case("", [], today=D(2024, 7, 10)),
    "id-wrong-check-digit": Case("", [body("编号 110105194912310027 不是身份证号。\n")]),
    "id-17-digits": Case("", [body("编号 11010519491231002 。\n")]),
    "mobile-public": Case("", [body("村委会电话：13812345678\n")],
                          settings=Settings(public_phones=("138-1234-5678",))),
    "landline": Case("", [body("村委会电话：0371-12345678\n")]),
    "mobile-12-digits": Case("", [body("编号 138123456789 。\n")]),
    "card-luhn-invalid": Case("", [body("合同号 6225880123456784。\n")]),
    "card-15-digits": Case("", [body("合同号 622588012345674。\n")]),
    "png-attachment": Case("", [put("attachments", [{"file": "map.PNG", "title": "图"}])],
                           setup=lambda s: s.attach("map.PNG", PNG)),
    "jpeg-webp-attachments": Case("", [put("attachments", [{"file": "a.jpg"}, {"file": "b.jpeg"}, {"file": "c.webp"}])],
                                  setup=lambda s: [s.attach("a.jpg", JPEG), s.attach("b.jpeg", JPEG),
                                                   s.attach("c.webp", WEBP)]),
    "html-lookalikes": Case("", [body("人数<100人，见 <https://example.com> 和《通知》，a < b > c。\n")]),
    "registry-counts-match": Case("", [put("resolution.body", "assembly"),
                                       put("resolution.attendance", {"expected": 1150, "present": 900}),
                                       put("resolution.households", {"expected": 380, "present": 300}),
                                       votes("resolution", 800)]),
    "disclosure-within-days": Case("", [put("disclosure.date", D(2024, 3, 22)), put("disclosure.until", D(2024, 3, 28))]),
    "result-within-days": Case("", [put("result.date", D(2024, 7, 13))]),
    "cost-equals-budget": Case("", [put("result.cost", Decimal("120000.00"))]),
}


def run_case(site: Site, case: Case):
    rec = base_record()
    for edit in case.edits:
        edit(rec)
    extra = rec.pop("__body__", None)
    name = rec.pop("__name__", None)
    path = site.write(rec, body=(extra if extra is not None else "事项说明。\n"), name=name)
    if case.setup:
        case.setup(site)
    report = site.validate(today=case.today, settings=case.settings)
    return path, report


@pytest.mark.parametrize("name", list(FAIL))
def test_failing_case_gives_exactly_its_code(site: Site, name: str) -> None:
    case = FAIL[name]
    path, report = run_case(site, case)
    assert codes(report, path) == {case.code} | case.also, [(d.code, d.line, d.message) for d in report.diagnostics]
    assert not of(report) or all(d.file for d in report.diagnostics)
    if case.at is not None:
        want = expected_lines(text_of(path), case.at)
        got = [d.line for d in of(report, path, case.code)]
        assert got == sorted(want), f"lines {got} != {want}"
    for d in of(report, path, case.code):
        assert d.severity == RULES[case.code].severity
        assert d.message and "{" not in d.message and "{" not in d.hint


@pytest.mark.parametrize("name", list(PASS))
def test_near_miss_passes(site: Site, name: str) -> None:
    case = PASS[name]
    path, report = run_case(site, case)
    assert of(report) == [], [(d.code, d.line, d.message) for d in report.diagnostics]
    assert len(report.records) == 1


def test_every_code_is_covered() -> None:
    covered = {c.code for c in FAIL.values()}
    covered |= {"E001", "E002", "E003", "E004", "E005", "E006", "E007", "E090", "W040", "W050", "W051", "W052", "W053", "W060",
                "W070", "W071"}  # tested below, in test_loading.py, test_hostile_input.py and test_markdown_bounds.py
    covered |= {"W054", "W061"}  # records.md §8 (v1.1): test_v11_fields.py
    assert set(RULES) - {"E080", "E081"} <= covered


# -- hints ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "hint"), [
    (Raw("2024-3-5"), "写成 2024-03-05"),
    ("2024年3月5日", "写成 2024-03-05"),
    (Raw("2024-02-30"), "2024年2月没有30日"),
    (Raw("2023-02-29"), "2023年2月没有29日"),
    (Raw("2024-13-01"), "没有"),
])
def test_date_hints(site: Site, value: object, hint: str) -> None:
    rec = base_record()
    rec["review"]["date"] = value
    path = site.write(rec)
    [d] = of(site.validate(), path)
    assert d.code == "E013"
    assert hint in d.hint, d.hint
    assert d.line == key_line(text_of(path), "review", "date")


@pytest.mark.parametrize(("value", "hint"), [
    (Raw("120,000"), "120000"),
    (Raw("１２０"), "120"),
    (Decimal("-5"), "负数"),
    (Decimal("120000.005"), "两位小数"),
])
def test_money_hints(site: Site, value: object, hint: str) -> None:
    rec = base_record()
    rec["budget"] = value
    path = site.write(rec)
    [d] = of(site.validate(), path)
    assert d.code == "E012"
    assert hint in d.hint + d.message


def test_unknown_key_hint_names_closest(site: Site) -> None:
    rec = base_record()
    rec["titel"] = "关于"
    rec["resolution"]["vote"] = {"for": 1}
    path = site.write(rec)
    hints = {d.message: d.hint for d in of(site.validate(), path)}
    assert any("title" in h for m, h in hints.items() if "titel" in m)
    assert any("votes" in h for m, h in hints.items() if "vote" in m)


def test_enum_hint_suggests(site: Site) -> None:
    rec = base_record()
    rec["category"] = "lands"
    path = site.write(rec)
    [d] = of(site.validate(), path)
    assert "land" in d.hint


def test_e050_hint_gives_earliest_until(site: Site) -> None:
    rec = base_record()
    rec["disclosure"]["until"] = D(2024, 3, 21)
    path = site.write(rec)
    [d] = of(site.validate(), path)
    assert "2024-03-22" in d.hint
    assert "6" in d.message


# -- warnings -----------------------------------------------------------------------------------

def _warn(site: Site, rec: dict, today: dt.date = TODAY, settings: Settings | None = None):
    path = site.write(rec)
    report = site.validate(today=today, settings=settings)
    return path, report


def test_w040_review_expected_differs_from_party_members(site: Site) -> None:
    rec = base_record()
    rec["review"]["attendance"]["expected"] = 40
    path, report = _warn(site, rec)
    [d] = of(report, path)
    assert (d.code, d.severity, d.line) == ("W040", "warning", key_line(text_of(path), "review", "attendance",
                                                                          "expected"))
    assert report.errors == 0 and len(report.records) == 1


def test_w040_representatives_and_assembly(site: Site) -> None:
    rec = base_record()
    rec["resolution"]["attendance"]["expected"] = 44
    path, report = _warn(site, rec)
    assert [d.code for d in of(report, path)] == ["W040"]
    rec = base_record()
    rec["resolution"].update(body="assembly", attendance={"expected": 1100, "present": 900},
                             households={"expected": 381, "present": 300},
                             votes={"for": 800, "against": 0, "abstain": 0})
    path, report = _warn(site, rec)
    text = text_of(path)
    assert [(d.code, d.line) for d in of(report, path)] == [
        ("W040", key_line(text, "resolution", "attendance", "expected")),
        ("W040", key_line(text, "resolution", "households", "expected"))]


def test_w040_not_without_registry_counts(site: Site) -> None:
    site.villages = [{"id": "dongwang", "name": "东王村"}]
    site.write_villages()
    rec = base_record()
    rec["review"]["attendance"]["expected"] = 40
    path, report = _warn(site, rec)
    assert of(report, path) == []


def test_w050_disclosure_late(site: Site) -> None:
    rec = base_record()
    rec["disclosure"].update(date=D(2024, 3, 23), until=D(2024, 3, 29))
    path, report = _warn(site, rec)
    [d] = of(report, path)
    assert (d.code, d.line) == ("W050", key_line(text_of(path), "disclosure", "date"))
    # the setting moves the deadline
    path, report = _warn(site, rec, settings=Settings(disclosure_within_days=8))
    assert of(report, path) == []


def test_w051_result_late(site: Site) -> None:
    rec = base_record()
    rec["result"]["date"] = D(2024, 7, 14)
    path, report = _warn(site, rec)
    [d] = of(report, path)
    assert (d.code, d.line) == ("W051", key_line(text_of(path), "result", "date"))


def test_w052_disclosure_overdue(site: Site) -> None:
    rec = base_record()
    for k in ("disclosure", "implementation", "result", "corrections"):
        del rec[k]
    path, report = _warn(site, rec, today=D(2024, 3, 23))
    [d] = of(report, path)
    assert (d.code, d.line) == ("W052", key_line(text_of(path), "resolution"))
    assert report.records[0].derived.status == "disclosure_overdue"
    path, report = _warn(site, rec, today=D(2024, 3, 22))  # the deadline day itself
    assert of(report, path) == []
    assert report.records[0].derived.status == "awaiting_disclosure"


def test_w053_result_overdue(site: Site) -> None:
    rec = base_record()
    del rec["result"]
    path, report = _warn(site, rec, today=D(2024, 7, 31))
    [d] = of(report, path)
    assert (d.code, d.line) == ("W053", key_line(text_of(path), "implementation", "due"))
    assert report.records[0].derived.status == "result_overdue"
    path, report = _warn(site, rec, today=D(2024, 7, 30))  # due + grace == today
    assert of(report, path) == []
    assert report.records[0].derived.status == "implementing"


def test_w060_cost_over_budget(site: Site) -> None:
    rec = base_record()
    rec["result"]["cost"] = Decimal("125000.50")
    path, report = _warn(site, rec)
    [d] = of(report, path)
    assert (d.code, d.line) == ("W060", key_line(text_of(path), "result", "cost"))
    assert "5,000.50" in d.message


def test_w070_raw_html(site: Site) -> None:
    rec = base_record()
    rec["resolution"]["text"] = "同意<script>alert(1)</script>"
    path = site.write(rec, body="背景\n\n这是<b>重要</b>事项。\n\n<!-- 注释 -->\n")
    report = site.validate()
    text = text_of(path)
    got = [(d.code, d.line) for d in of(report, path)]
    assert got == [("W070", key_line(text, "resolution", "text")), ("W070", text_line(text, "<b>")),
                   ("W070", text_line(text, "<!--"))]
    assert report.errors == 0 and len(report.records) == 1


def test_warnings_do_not_block_a_record(site: Site) -> None:
    rec = base_record()
    rec["result"]["cost"] = Decimal("125000")
    rec["review"]["attendance"]["expected"] = 40
    _, report = _warn(site, rec)
    assert report.errors == 0 and report.warnings == 2 and len(report.records) == 1


# -- personal numbers (more forms in test_personal_numbers.py) ---------------------------------

@pytest.mark.parametrize("first17", ["44030419800101123", "32058219900307251", "11010519491231002",
                                     "51010719751212341"])
def test_resident_id_valid_and_wrong_check_digit(site: Site, first17: str) -> None:
    good = vkit.resident_id(first17)
    rec = base_record()
    path = site.write(rec, body=f"说明\n\n承包人 {good}\n")
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E060", text_line(text_of(path), "承包人"))
    assert good not in d.message  # masked
    for wrong in "0123456789X":
        if wrong != good[-1] and not vkit.luhn_ok(first17 + wrong):
            break
    path = site.write(rec, body=f"说明\n\n承包人 {first17 + wrong}\n")
    assert of(site.validate(), path) == []


@pytest.mark.parametrize("prefix", ["622202123456789012", "622588012345678", "411111111111111", "621700001000000000",
                                    "62220212345678901"])
def test_bank_card_luhn(site: Site, prefix: str) -> None:
    good = next(prefix + x for x in "0123456789" if vkit.luhn_ok(prefix + x))
    bad = next(prefix + x for x in "0123456789" if not vkit.luhn_ok(prefix + x))
    path = site.write(base_record(), body=f"卡号 {good}\n")
    assert [d.code for d in of(site.validate(), path)] == ["E062"]
    path = site.write(base_record(), body=f"卡号 {bad}\n")
    assert of(site.validate(), path) == []


@pytest.mark.parametrize("number", ["13012345678", "13912345678", "14712345678", "15012345678", "16612345678",
                                    "17712345678", "18812345678", "19912345678"])
def test_mobile_prefixes(site: Site, number: str) -> None:
    path = site.write(base_record(), body=f"电话 {number}\n")
    assert [d.code for d in of(site.validate(), path)] == ["E061"]
    settings = Settings(public_phones=(number,))
    assert of(site.validate(settings=settings), path) == []


def test_supervision_phone_in_villages_yml_is_public(site: Site) -> None:
    """The 村务监督委员会 phone of villages.yml is printed on every matter page of its village:
    public by definition, so a record may quote it; any other mobile is still refused."""
    site.villages[0]["supervision_contact"] = "主任 王某某"
    site.villages[0]["supervision_phone"] = "139-1234-5678"
    site.write_villages()
    path = site.write(base_record(), body="有意见请打监督委员会电话 13912345678\n")
    report = site.validate()
    assert of(report, path) == [] and report.villages["dongwang"].supervision["supervision_phone"] == "139-1234-5678"
    assert "supervision_phone" not in report.villages["dongwang"].counts
    path = site.write(base_record(), body="有意见请打 13912345679\n")
    assert [d.code for d in of(site.validate(), path)] == ["E061"]


def test_mobile_12_prefix_is_not_mobile(site: Site) -> None:
    path = site.write(base_record(), body="编号 12012345678\n")
    assert of(site.validate(), path) == []


# -- E070 on the file system ---------------------------------------------------------------------

def _attach_case(site: Site, name: str):
    rec = base_record()
    rec["attachments"] = [{"file": name, "title": "附件"}]
    path = site.write(rec)
    return path, site.validate()


def test_e070_over_10_mb_sparse(site: Site) -> None:
    big = site.attach("big.pdf", PDF)
    with big.open("r+b") as fh:
        fh.truncate(10 * 1024 * 1024 + 1)
    path, report = _attach_case(site, "big.pdf")
    [d] = of(report, path)
    assert (d.code, d.line) == ("E070", key_line(text_of(path), "attachments", 0, "file"))
    assert "10 MB" in d.message


def test_e070_exactly_10_mb_passes(site: Site) -> None:
    big = site.attach("big.pdf", PDF)
    with big.open("r+b") as fh:
        fh.truncate(10 * 1024 * 1024)
    path, report = _attach_case(site, "big.pdf")
    assert of(report, path) == []


def test_e070_symlink_out_of_folder(site: Site, tmp_path) -> None:
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(PDF)
    folder = site.content / "dongwang" / "2024-003"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "link.pdf").symlink_to(outside)
    path, report = _attach_case(site, "link.pdf")
    [d] = of(report, path)
    assert (d.code, d.line) == ("E070", key_line(text_of(path), "attachments", 0, "file"))


def test_e070_symlink_to_other_record_folder(site: Site) -> None:
    other = site.attach("other.pdf", PDF, record="2024-001")
    folder = site.content / "dongwang" / "2024-003"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "link.pdf").symlink_to(other)
    path, report = _attach_case(site, "link.pdf")
    assert [d.code for d in of(report, path)] == ["E070"]


def test_e070_directory_named_pdf(site: Site) -> None:
    (site.content / "dongwang" / "2024-003" / "dir.pdf").mkdir(parents=True)
    path, report = _attach_case(site, "dir.pdf")
    assert [d.code for d in of(report, path)] == ["E070"]


def test_e070_empty_pdf(site: Site) -> None:
    site.attach("empty.pdf", b"")
    path, report = _attach_case(site, "empty.pdf")
    assert [d.code for d in of(report, path)] == ["E070"]


@pytest.mark.parametrize("field", ["name", "township"])
def test_village_and_township_names_are_bounded(site: Site, field: str) -> None:
    """A name is part of page titles, a township's name of its address and file names: a name
    of 41 characters is refused with the field named; 40 pass."""
    site.villages[0][field] = "东" * 41
    site.write_villages()
    path = site.write(base_record())
    problems = [d for d in site.validate().diagnostics if d.code == "E090"]
    assert len(problems) == 1 and field in problems[0].message and "40" in problems[0].message + problems[0].hint
    site.villages[0][field] = "东" * 40
    site.write_villages()
    report = site.validate()
    assert of(report, path) == [] and not [d for d in report.diagnostics if d.code == "E090"]
