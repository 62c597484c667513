"""records.md §8 (v1.1): unanimous votes, the voting method, online attendance, objections,
the township's approval, funding and acceptance. Each field and rule: a record that fails with
exactly its code, and a near miss that passes. Built on test_rule_codes' cases (base record,
one change, the line of the offending key checked in the file written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from test_rule_codes import Case, drop, expected_lines, put, run_case, votes
from vkit import TODAY, Raw, Site, base_record, codes, key_line, of, text_of

from builder.model.rules import RULES
from builder.model.settings import Settings
from builder.model.status import derive, passed

D = dt.date
M = Decimal
APPROVAL = {"by": "张村镇党委、政府", "date": D(2024, 3, 25), "notes": "审核同意"}


def objection(day: dt.date, answered: dt.date | None = None, **more: object) -> dict:
    item = {"date": day, "summary": "第三组农户对地块边界有异议", **more}
    if answered is not None:
        item.update(response="已重新测量并调整", answered=answered)
    return item


def funding(*amounts: str) -> list[dict]:
    sources = ("财政奖补", "村集体收益", "农户自筹", "帮扶资金")
    return [{"source": s, "amount": M(a)} for s, a in zip(sources, amounts, strict=False)]


NOT_YET_DONE = drop("implementation", "result", "corrections")  # on notice: nothing after the disclosure

FAIL: dict[str, Case] = {
    # votes: unanimous, a union of the votes map and one word
    "E012-votes-chinese": Case("E012", [put("review.votes", "全票通过")], at=("review", "votes")),
    "E012-votes-capital": Case("E012", [put("resolution.votes", "Unanimous")], at=("resolution", "votes")),
    "E012-votes-list": Case("E012", [put("review.votes", ["unanimous"])], at=("review", "votes")),
    "E043-unanimous-rejected": Case("E043", [put("review.votes", "unanimous"), put("review.outcome", "rejected")],
                                    at=("review", "outcome")),
    "E041-unanimous-without-quorum": Case("E041", [put("review.votes", "unanimous"),
                                                   put("review.attendance.present", 21)],
                                          at=("review", "attendance", "present")),
    "E041-unanimous-representatives": Case("E041", [put("resolution.votes", "unanimous"),
                                                    put("resolution.attendance.present", 29)],
                                           at=("resolution", "attendance", "present")),
    # method
    "E012-method": Case("E012", [put("review.method", "show-of-hands")], at=("review", "method")),
    "E012-method-chinese": Case("E012", [put("proposal.method", "举手表决")], at=("proposal", "method")),
    # attendance.online
    "E040-online-over-present": Case("E040", [put("review.attendance.online", 36)],
                                     at=("review", "attendance", "online")),
    "E040-online-negative": Case("E040", [put("deliberation.attendance.online", -1)],
                                 at=("deliberation", "attendance", "online")),
    "E012-online-text": Case("E012", [put("resolution.attendance.online", "六")],
                             at=("resolution", "attendance", "online")),
    # objections in the disclosure and the result
    "E012-objections-chinese": Case("E012", [put("disclosure.objections", "无异议")], at=("disclosure", "objections")),
    "E012-objections-no": Case("E012", [put("result.objections", Raw("no"))], at=("result", "objections")),
    "E012-objection-not-a-map": Case("E012", [put("disclosure.objections", ["有人有意见"])],
                                     at=("disclosure", "objections", 0)),
    "E010-objection-summary": Case("E010", [put("disclosure.objections", [{"date": D(2024, 3, 18)}])],
                                   at=("disclosure", "objections", 0)),
    "E010-objection-date": Case("E010", [put("disclosure.objections", [{"summary": "有异议"}])],
                                at=("disclosure", "objections", 0)),
    "E010-response-without-answered": Case("E010", [put("disclosure.objections", [
        objection(D(2024, 3, 18), response="已答复")])], at=("disclosure", "objections", 0)),
    "E010-answered-without-response": Case("E010", [put("result.objections", [
        objection(D(2024, 7, 8), answered=None) | {"answered": D(2024, 7, 9)}])], at=("result", "objections", 0)),
    "E011-objection-key": Case("E011", [put("disclosure.objections", [objection(D(2024, 3, 18), D(2024, 3, 19)) |
                                                                       {"reply": "已答复"}])],
                               at=("disclosure", "objections", 0, "reply")),
    "E013-objection-date": Case("E013", [put("disclosure.objections", [objection("2024年3月18日", D(2024, 3, 19))])],
                                at=("disclosure", "objections", 0, "date")),
    "E030-objection-before-disclosure": Case("E030", [put("disclosure.objections", [
        objection(D(2024, 3, 15), D(2024, 3, 19))])], at=("disclosure", "objections", 0, "date")),
    "E030-answered-before-raised": Case("E030", [put("disclosure.objections", [
        objection(D(2024, 3, 18), D(2024, 3, 17))])], at=("disclosure", "objections", 0, "answered")),
    "E030-result-objection-before-result": Case("E030", [put("result.objections", [
        objection(D(2024, 7, 4), D(2024, 7, 6))])], at=("result", "objections", 0, "date")),
    "E051-objection-in-future": Case("E051", [put("disclosure.objections", [
        objection(D(2025, 1, 2), D(2025, 1, 3))])],
        at=[("disclosure", "objections", 0, "date"), ("disclosure", "objections", 0, "answered")]),
    "W054-disclosure-unanswered": Case("W054", [put("disclosure.objections", [
        objection(D(2024, 3, 18), D(2024, 3, 19)), objection(D(2024, 3, 20))])], at=("disclosure", "objections", 1)),
    "W054-result-unanswered": Case("W054", [put("result.objections", [objection(D(2024, 7, 8))])],
                                   at=("result", "objections", 0), today=D(2024, 7, 21)),
    # approval: the township's review
    "E010-approval-by": Case("E010", [put("approval", {"date": D(2024, 3, 25)})], at=("approval",)),
    "E011-approval-key": Case("E011", [put("approval", APPROVAL | {"opinion": "同意"})], at=("approval", "opinion")),
    "E013-approval-date": Case("E013", [put("approval", APPROVAL | {"date": Raw("2024-3-25")})],
                               at=("approval", "date")),
    "E030-approval-before-resolution": Case("E030", [put("approval", APPROVAL | {"date": D(2024, 3, 14)})],
                                            at=("approval", "date")),
    "E030-approval-after-start": Case("E030", [put("approval", APPROVAL | {"date": D(2024, 4, 2)})],
                                      at=("approval", "date")),
    "E031-approval-without-resolution": Case("E031", [
        drop("resolution", "disclosure", "implementation", "result", "attachments", "corrections"),
        put("approval", APPROVAL)], at=("approval",)),
    "E032-approval-after-rejected-resolution": Case("E032", [votes("resolution", 19, 19), NOT_YET_DONE,
                                                             put("approval", APPROVAL)], at=("approval",)),
    "E051-approval-in-future": Case("E051", [NOT_YET_DONE, put("approval", APPROVAL)], at=("approval", "date"),
                                    today=D(2024, 3, 24)),
    # funding
    "E012-funding-3-decimals": Case("E012", [put("funding", funding("100000.005", "20000.00"))],
                                    at=("funding", 0, "amount")),
    "E012-funding-thousands": Case("E012", [put("funding", [{"source": "财政奖补", "amount": Raw("120,000")}])],
                                   at=("funding", 0, "amount")),
    "E012-funding-negative": Case("E012", [put("funding", funding("140000.00", "-20000.00"))],
                                  at=("funding", 1, "amount")),
    "E012-funding-wan": Case("E012", [put("funding", [{"source": "财政奖补", "amount": "12万"}])],
                             at=("funding", 0, "amount")),
    "E012-funding-not-a-list": Case("E012", [put("funding", {"source": "财政奖补", "amount": M("120000.00")})],
                                    at=("funding",)),
    "E010-funding-amount": Case("E010", [put("funding", [{"source": "财政奖补"}])], at=("funding", 0)),
    "W061-funding-short": Case("W061", [put("funding", funding("100000.00", "19999.99"))], at=("funding",)),
    "W061-funding-over": Case("W061", [put("funding", funding("100000.00", "20000.00", "500.00"))], at=("funding",)),
    # result.acceptance
    "E010-acceptance-by": Case("E010", [put("result.acceptance", {"date": D(2024, 7, 1)})],
                               at=("result", "acceptance")),
    "E030-acceptance-before-completed": Case("E030", [put("result.acceptance", {"date": D(2024, 6, 27), "by": "镇村联合验收"})],
                                             at=("result", "acceptance", "date")),
    "E030-acceptance-after-result": Case("E030", [put("result.acceptance", {"date": D(2024, 7, 6), "by": "镇村联合验收"})],
                                         at=("result", "acceptance", "date")),
    # personal numbers in the new text, found where they are (E060–E062 scan the whole file)
    "E061-objection-summary": Case("E061", [put("disclosure.objections", [
        objection(D(2024, 3, 18), D(2024, 3, 19)) | {"summary": "村民张某（电话13812345678）对边界有异议"}])],
        at="13812345678"),
    "E060-approval-notes": Case("E060", [put("approval", APPROVAL | {"notes": "经办人 440304198001011239"})],
                                at="440304198001011239"),
    "E062-funding-source": Case("E062", [put("funding", [{"source": "打入卡号6225880123456783", "amount": M("120000.00")}])],
                                at="6225880123456783"),
    "E061-objection-response": Case("E061", [put("result.objections", [
        objection(D(2024, 7, 8), D(2024, 7, 9)) | {"response": "已电话 139-1234-5678 答复"}])], at="139-1234-5678"),
}

PASS: dict[str, Case] = {
    "unanimous-in-every-meeting": Case("", [put(f"{s}.votes", "unanimous") for s in
                                            ("proposal", "deliberation", "review", "resolution")]),
    "unanimous-and-passed": Case("", [put("review.votes", "unanimous"), put("review.outcome", "passed")]),
    "unanimous-at-exactly-the-quorum": Case("", [put("review.votes", "unanimous"), put("review.attendance.present", 22)]),
    "every-method": Case("", [put("proposal.method", "ballot"), put("deliberation.method", "hands"),
                              put("review.method", "online"), put("resolution.method", "mixed")]),
    "online-equals-present": Case("", [put("review.attendance.online", 35)]),
    "online-zero": Case("", [put("resolution.attendance.online", 0)]),
    "no-objections": Case("", [put("disclosure.objections", "none"), put("result.objections", "none")]),
    "objection-answered-same-day": Case("", [put("disclosure.objections", [objection(D(2024, 3, 18), D(2024, 3, 18))])]),
    "objection-on-the-posting-day": Case("", [put("disclosure.objections", [objection(D(2024, 3, 16), D(2024, 3, 17))]),
                                              put("result.objections", [objection(D(2024, 7, 5), D(2024, 7, 5))])]),
    "objection-unanswered-on-the-last-day": Case("", [NOT_YET_DONE, put("disclosure.objections",
                                                                         [objection(D(2024, 3, 18))])],
                                                 today=D(2024, 3, 23)),
    "result-objection-unanswered-for-15-days": Case("", [put("result.objections", [objection(D(2024, 7, 8))])],
                                                    today=D(2024, 7, 20)),
    "objection-answered-today": Case("", [put("disclosure.objections", [objection(D(2024, 3, 18), D(2024, 12, 31))])]),
    "objections-empty-list": Case("", [put("disclosure.objections", [])]),
    "approval-on-the-resolution-day": Case("", [put("approval", APPROVAL | {"date": D(2024, 3, 15)})]),
    "approval-on-the-start-day": Case("", [put("approval", APPROVAL | {"date": D(2024, 4, 1)})]),
    "approval-before-disclosure-without-notes": Case("", [put("approval", {"by": "张村镇人民政府", "date": D(2024, 3, 15)}),
                                                          drop("implementation.start")]),
    "approval-before-any-implementation": Case("", [NOT_YET_DONE, put("approval", APPROVAL)]),
    "funding-adds-up-exactly": Case("", [put("funding", funding("100000.00", "15000.50", "4999.50"))]),
    "funding-one-source": Case("", [put("funding", funding("120000"))]),
    "funding-without-budget": Case("", [drop("budget"), put("funding", funding("100000.00", "1.00"))]),
    "acceptance-on-completed-day": Case("", [put("result.acceptance", {"date": D(2024, 6, 28), "by": "镇村联合验收"})]),
    "acceptance-on-result-day": Case("", [put("result.acceptance", {"date": D(2024, 7, 5), "by": "镇村联合验收"})]),
    "public-phone-in-objection": Case("", [put("disclosure.objections", [
        objection(D(2024, 3, 18), D(2024, 3, 19)) | {"response": "已答复，咨询电话 13812345678"}])],
        settings=Settings(public_phones=("13812345678",))),
}


@pytest.mark.parametrize("name", list(FAIL))
def test_failing_case_gives_exactly_its_code(site: Site, name: str) -> None:
    case = FAIL[name]
    path, report = run_case(site, case)
    assert codes(report, path) == {case.code} | case.also, [(d.code, d.line, d.message) for d in report.diagnostics]
    want = expected_lines(text_of(path), case.at)
    got = [d.line for d in of(report, path, case.code)]
    assert got == sorted(want), f"lines {got} != {want}"
    for d in of(report, path, case.code):
        assert d.severity == RULES[case.code].severity
        assert d.message and "{" not in d.message and "{" not in d.hint


@pytest.mark.parametrize("name", list(PASS))
def test_near_miss_passes(site: Site, name: str) -> None:
    path, report = run_case(site, PASS[name])
    assert of(report) == [], [(d.code, d.line, d.message) for d in report.diagnostics]
    assert len(report.records) == 1


def test_new_warnings_have_failing_cases_here() -> None:
    """test_rule_codes counts W054 and W061 as covered because of this file."""
    assert {"W054", "W061"} <= {c.code for c in FAIL.values()}
    for code in ("W054", "W061"):
        rule = RULES[code]
        assert rule.severity == "warning" and rule.message and rule.hint and rule.bad and rule.good


# -- what the messages say ----------------------------------------------------------------------

@pytest.mark.parametrize(("where", "value", "word"), [
    ("review.votes", "全票通过", "unanimous"), ("review.votes", "一致通过", "unanimous"),
    ("review.votes", "UNANIMOUS", "unanimous"), ("disclosure.objections", "无异议", "none"),
    ("disclosure.objections", Raw("no"), "none"), ("result.objections", "公示期间无异议", "none"),
])
def test_a_word_written_another_way_gets_the_word_in_its_hint(site: Site, where: str, value: object,
                                                              word: str) -> None:
    path, report = run_case(site, Case("E012", [put(where, value)]))
    [d] = of(report, path)
    assert d.code == "E012" and f"英文小写 {word}" in d.hint, d.hint


@pytest.mark.parametrize(("value", "key"), [("举手表决", "hands"), ("投票", "ballot"), ("线上线下结合", "mixed"),
                                          ("微信视频表决", "online"), ("hand", "hands")])
def test_a_method_in_chinese_gets_its_key_in_the_hint(site: Site, value: str, key: str) -> None:
    path, report = run_case(site, Case("E012", [put("review.method", value)]))
    [d] = of(report, path)
    assert d.code == "E012" and f"是不是 {key}？" in d.hint, d.hint


def test_w054_and_w061_messages_name_the_objection_and_the_difference(site: Site) -> None:
    path, report = run_case(site, FAIL["W054-disclosure-unanswered"])
    [d] = of(report, path)
    assert "2024年3月20日" in d.message and "地块边界" in d.message and "2024年3月23日" in d.message
    path, report = run_case(site, FAIL["W061-funding-short"])
    [d] = of(report, path)
    assert "119,999.99" in d.message and "120,000.00" in d.message and "少 0.01" in d.message


def test_e040_online_hint_says_online_counts_among_present(site: Site) -> None:
    path, report = run_case(site, FAIL["E040-online-over-present"])
    [d] = of(report, path)
    assert "线上参会 36 人" in d.message and "实到 35 人" in d.message and "实到人数之内" in d.hint


# -- derivation: unanimous passes, quorum is its own rule ---------------------------------------

def test_unanimous_passes_and_the_matter_goes_on(site: Site) -> None:
    assert passed({"votes": "unanimous", "attendance": {"expected": 42, "present": 35}}) is True
    assert passed({"votes": "unanimous"}) is True
    rec = base_record()
    for step in ("review", "resolution"):
        rec[step]["votes"] = "unanimous"
    for key in ("disclosure", "implementation", "result", "corrections"):
        del rec[key]
    path = site.write(rec)
    report = site.validate(today=D(2024, 3, 20))
    assert of(report, path) == [] and report.records[0].derived.status == "awaiting_disclosure"
    assert derive(report.records[0].data, D(2024, 3, 23), Settings()).status == "disclosure_overdue"


def test_unanimous_quorum_failure_fails_with_e041_and_nothing_else(site: Site) -> None:
    rec = base_record()
    rec["resolution"]["votes"] = "unanimous"
    rec["resolution"]["attendance"]["present"] = 20
    path = site.write(rec)
    report = site.validate()
    assert [(d.code, d.line) for d in of(report, path)] == [
        ("E041", key_line(text_of(path), "resolution", "attendance", "present"))]
    assert report.records == []


def test_clean_data_keeps_the_words(site: Site) -> None:
    rec = base_record()
    rec["review"]["votes"] = "unanimous"
    rec["disclosure"]["objections"] = "none"
    site.write(rec)
    [record] = site.validate(today=TODAY).records
    assert record.data["review"]["votes"] == "unanimous" and record.data["disclosure"]["objections"] == "none"

