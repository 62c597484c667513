"""The rules of spec §5: one small function per code, run on a type-checked record.

Each check receives a ``Ctx`` and calls ``ctx.report(code, path, **fields)``; the message and
hint come from ``rules.RULES``. Checks see clean values only (typecheck left out what was
wrong), so each one tolerates missing parts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .chinese import cn_date
from .records import RawRecord, Village
from .rules import Diagnostic, diag
from .schema import APPROVAL_LABEL, ID_PATTERN, MEETINGS, RECORD, STEPS, step_label
from .settings import Settings
from .sources import NO_FILES, Files
from .status import UNANIMOUS, attendance, passed, quorum_met, rejected_step
from .textshape import markdown_hazard
from .typecheck import dotted
from .yamlnodes import line_of

ATTACHMENT_TYPES = {".pdf": b"%PDF", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG",
                    ".webp": b"RIFF"}
MAX_ATTACHMENT = 10 * 1024 * 1024
# Pixels of a photo: re-encoding one without its metadata holds it decoded several times over
# (about 15 bytes a pixel), and the build has to stay within its memory bound.
MAX_IMAGE_PIXELS = 50_000_000
LONG_SIDE = 7000  # a 4:3 photo this long on its longer side stays under the limit


@dataclass
class Ctx:
    rec: RawRecord
    data: dict  # clean values
    villages: dict[str, Village]
    settings: Settings
    today: dt.date
    content: Path
    files: Files = NO_FILES  # the attachments, as whoever holds them lets the checks look at them
    out: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, path: tuple = (), /, line: int | None = None, hint: str | None = None,
               **fields: object) -> None:
        at = line if line is not None else line_of(self.rec.lines, path)
        self.out.append(diag(self.rec.file, at, code, hint=hint, **fields))

    def label(self, step: str) -> str:
        return step_label(step, self.data)

    def date(self, step: str) -> dt.date | None:
        return (self.data.get(step) or {}).get("date")

    @functools.cached_property
    def may_hold_numbers(self) -> bool:
        """Whether the text has a run that could be a personal number (E060–E062 look closer)."""
        rough = _ROUGH.search(self.rec.text)
        return rough is not None and _CANDIDATE.search(self.rec.text, rough.start()) is not None

    @functools.cached_property
    def number_text(self) -> str | None:
        """The text as E060–E062 read it (``normalise_numbers``), or None when it holds no candidate."""
        return normalise_numbers(self.rec.text) if self.may_hold_numbers else None


CHECKS: list[tuple[str, Callable[[Ctx], None]]] = []


def check(code: str) -> Callable:
    def register(fn: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        CHECKS.append((code, fn))
        return fn
    return register


def run_checks(ctx: Ctx) -> list[Diagnostic]:
    for _code, fn in CHECKS:
        fn(ctx)
    return ctx.out


# -- required-when rules the schema cannot express -------------------------------------------

def _given(raw: object, key: str) -> bool:
    """Whether the record states ``key``: an empty value (``cost:``, ``cost: null``) states nothing."""
    return isinstance(raw, dict) and raw.get(key) is not None


@check("E010")
def outcome_or_votes(ctx: Ctx) -> None:
    for step in ("proposal", "deliberation"):
        raw = ctx.rec.data.get(step)
        if ctx.data.get(step) is not None and not _given(raw, "votes") and not _given(raw, "outcome"):
            ctx.report("E010", (step,), field=f"{step}.outcome", what="没有填写票数时，须写明结果 passed 或 rejected")
    result = ctx.rec.data.get("result")
    if "budget" in ctx.data and isinstance(result, dict) and not _given(result, "cost"):
        at = ("result", "cost") if "cost" in result else ("result",)
        ctx.report("E010", at, field="result.cost", what="填写了预算（budget），结果中须写实际支出")


@check("E021")
def id_matches_file(ctx: Ctx) -> None:
    value = ctx.data.get("id")
    if value is None:
        return
    if not re.match(ID_PATTERN, value):
        ctx.report("E021", ("id",), detail=f"编号 {value} 格式不对，应为 年份-三位序号，如 2024-003")
    elif value != ctx.rec.stem:
        ctx.report("E021", ("id",), detail=f"编号 {value} 与文件名 {ctx.rec.stem}.md 不一致",
                   hint=f"把文件改名为 {value}.md，或把编号改为 {ctx.rec.stem}")


@check("E022")
def village_known(ctx: Ctx) -> None:
    value = ctx.data.get("village")
    if value is None:
        return
    if value not in ctx.villages:
        if not getattr(ctx.villages, "complete", True):
            return  # villages.yml has an error of its own (E090), reported once
        known = "、".join(ctx.villages) or "（暂无）"
        ctx.report("E022", ("village",), detail=f"村代码 {value} 没有在 villages.yml 中登记",
                   hint=f"已登记的村代码：{known}")
    elif value != ctx.rec.village_dir:
        ctx.report("E022", ("village",), detail=f"village 是 {value}，但记录放在 {ctx.rec.village_dir}/ 文件夹中",
                   hint=f"把记录移到 content/{value}/，或把 village 改为 {ctx.rec.village_dir}")


# -- order of the procedure ------------------------------------------------------------------

@check("E031")
def no_skipped_step(ctx: Ctx) -> None:
    missing = None  # the first step that is absent (implementation is optional)
    for step in STEPS:
        if step in ctx.rec.data:
            if missing:
                ctx.report("E031", (step,), step=ctx.label(step), missing=ctx.label(missing))
        elif missing is None and step != "implementation":
            missing = step


@check("E032")
def nothing_after_rejection(ctx: Ctx) -> None:
    stop = rejected_step(ctx.data)
    if stop is None:
        return
    for step in STEPS[STEPS.index(stop) + 1:]:
        if step in ctx.rec.data and not (stop == "resolution" and step == "disclosure"):
            ctx.report("E032", (step,), rejected=ctx.label(stop), step=ctx.label(step))


@check("E030")
def dates_in_order(ctx: Ctx) -> None:
    d = ctx.data
    chain = [(s, ctx.date(s)) for s in STEPS if s != "implementation"]  # implementation has no date
    chain = [(s, day) for s, day in chain if day is not None]
    for (prev, pday), (step, day) in zip(chain, chain[1:], strict=False):
        if day < pday:
            ctx.report("E030", (step, "date"), detail=f"{ctx.label(step)}的日期 {cn_date(day)} 早于前一步"
                       f"{ctx.label(prev)}的 {cn_date(pday)}")
    disc, res, impl = d.get("disclosure") or {}, d.get("result") or {}, d.get("implementation") or {}
    if "until" in disc and "date" in disc and disc["until"] < disc["date"]:
        ctx.report("E030", ("disclosure", "until"), detail=f"公示期至 {cn_date(disc['until'])} 早于公示开始 {cn_date(disc['date'])}")
    if "completed" in res and "date" in res and res["completed"] > res["date"]:
        ctx.report("E030", ("result", "completed"), detail=f"完成日期 {cn_date(res['completed'])} 晚于结果公开日期 {cn_date(res['date'])}")
    if "start" in impl and "date" in disc and impl["start"] < disc["date"]:
        ctx.report("E030", ("implementation", "start"), detail=f"实施开始 {cn_date(impl['start'])} 早于决议公开 {cn_date(disc['date'])}",
                   hint="决议公开之后才能组织实施")
    _updates_in_order(ctx, impl.get("updates") or [])


def _work_began(ctx: Ctx) -> tuple[str, dt.date] | None:
    """The day the work could begin, named: implementation.start, or the disclosure when that is
    later (or there is no start): a matter is carried out only once its resolution is public."""
    start = (ctx.data.get("implementation") or {}).get("start")
    disclosed = ctx.date("disclosure")
    if start is not None and (disclosed is None or start >= disclosed):
        return "实施开始", start
    return (ctx.label("disclosure"), disclosed) if disclosed is not None else None


@check("E030")
def due_after_start(ctx: Ctx) -> None:
    impl = ctx.data.get("implementation") or {}
    if "start" in impl and "due" in impl and impl["due"] < impl["start"]:
        ctx.report("E030", ("implementation", "due"), detail=f"计划完成日期 {impl['due']} 早于实施开始 {impl['start']}",
                   hint="due 是计划完成的日期，应在 start 之后")


def _posted_early(ctx: Ctx) -> bool:
    """Whether the result was posted before the work began. That one wrong date is reported
    once (by result_after_start or dates_in_order); what follows from it is not reported again."""
    began, posted = _work_began(ctx), (ctx.data.get("result") or {}).get("date")
    return began is not None and posted is not None and posted < began[1]


@check("E030")
def result_after_start(ctx: Ctx) -> None:
    start = (ctx.data.get("implementation") or {}).get("start")
    posted, disclosed = ctx.date("result"), ctx.date("disclosure")
    if start and posted and posted < start and not (disclosed and posted < disclosed):  # that one is dates_in_order's
        ctx.report("E030", ("result", "date"), detail=f"实施结果公开日期 {posted} 早于实施开始 {start}",
                   hint="实施之后才能公开结果：核对 implementation.start 和 result.date")


@check("E030")
def completed_after_start(ctx: Ctx) -> None:
    began, completed = _work_began(ctx), (ctx.data.get("result") or {}).get("completed")
    if began and completed and completed < began[1] and not _posted_early(ctx):
        ctx.report("E030", ("result", "completed"), detail=f"完成日期 {completed} 早于{began[0]} {began[1]}",
                   hint="决议公开、开始实施之后，工作才能完成：核对 result.completed")


@check("E030")
def updates_between_start_and_result(ctx: Ctx) -> None:
    began, posted = _work_began(ctx), ctx.date("result")
    late_ok = _posted_early(ctx)
    for i, update in enumerate((ctx.data.get("implementation") or {}).get("updates") or []):
        day, at = update.get("date"), ("implementation", "updates", i, "date")
        if day and began and day < began[1]:
            ctx.report("E030", at, detail=f"实施进展第 {i + 1} 条的日期 {day} 早于{began[0]} {began[1]}",
                       hint="实施进展写在开始实施之后")
        elif day and posted and day > posted and not late_ok:
            ctx.report("E030", at, detail=f"实施进展第 {i + 1} 条的日期 {day} 晚于实施结果公开 {posted}",
                       hint="结果公开后事项已办结，不再有实施进展：核对进展日期和 result.date")


def _updates_in_order(ctx: Ctx, updates: list) -> None:
    for i in range(1, len(updates)):
        prev, cur = updates[i - 1], updates[i]
        path = ("implementation", "updates", i)
        if "date" in prev and "date" in cur and cur["date"] < prev["date"]:
            ctx.report("E030", path, detail=f"实施进展第 {i + 1} 条（{cn_date(cur['date'])}）早于前一条（{cn_date(prev['date'])}）",
                       hint="进展按日期先后排列，最新的写在最后")
        if "progress" in prev and "progress" in cur and cur["progress"] < prev["progress"]:
            ctx.report("E030", path, detail=f"实施进度从 {prev['progress']}% 降到了 {cur['progress']}%",
                       hint="进度只能保持或增加；如有返工，请在 note 中说明")


# -- meetings: attendance, quorum, votes -----------------------------------------------------

def _meetings(ctx: Ctx) -> Iterator[tuple[str, dict]]:
    for step in MEETINGS:
        if isinstance(ctx.data.get(step), dict):
            yield step, ctx.data[step]


@check("E040")
def attendance_sane(ctx: Ctx) -> None:
    for step, s in _meetings(ctx):
        for key in ("attendance", "households"):
            part = s.get(key)
            if not isinstance(part, dict) or "expected" not in part or "present" not in part:
                continue
            what = "应到户数" if key == "households" else "应到人数"
            e, p = part["expected"], part["present"]
            if e <= 0:
                ctx.report("E040", (step, key, "expected"), detail=f"{ctx.label(step)}的{what}是 {e}，必须大于 0")
            elif p < 0:
                ctx.report("E040", (step, key, "present"), detail=f"{ctx.label(step)}的实到数是 {p}，不能为负")
            elif p > e:
                ctx.report("E040", (step, key, "present"), detail=f"{ctx.label(step)}实到 {p}，多于{what} {e}")


def _need_half(e: int) -> int:
    return e // 2 + 1


def _need_two_thirds(e: int) -> int:
    return -(-2 * e // 3)


@check("E041")
def quorum(ctx: Ctx) -> None:
    for step, s in _meetings(ctx):
        if quorum_met(step, s) is not False:
            continue
        e, p = attendance(s["attendance"])
        at = (step, "attendance", "present")
        if step != "resolution":
            ctx.report("E041", at, step=ctx.label(step), detail=f"应到{e}人，实到{p}人，须过半数（至少{_need_half(e)}人）")
        elif s.get("body") == "assembly":
            hh = attendance(s.get("households"))
            extra = f"；户代表应到{hh[0]}户，实到{hh[1]}户，也不足三分之二（至少{_need_two_thirds(hh[0])}户）" if hh else ""
            ctx.report("E041", at, step=ctx.label(step),
                       detail=f"应到{e}人，实到{p}人，须过半数（至少{_need_half(e)}人）{extra}",
                       hint="村民会议须有本村十八周岁以上村民过半数，或本村三分之二以上的户的代表参加")
        else:
            ctx.report("E041", at, step=ctx.label(step),
                       detail=f"应到{e}人，实到{p}人，须达到三分之二（至少{_need_two_thirds(e)}人）",
                       hint="村民代表会议须有三分之二以上的组成人员参加")


@check("E012")
def households_only_at_assembly(ctx: Ctx) -> None:
    res = ctx.data.get("resolution") or {}
    if res.get("body") == "representatives" and "households" in res:
        ctx.report("E012", ("resolution", "households"), field="resolution.households",
                   detail="到会户代表只用于村民会议（body: assembly），这是村民代表会议（body: representatives）",
                   fix="村民代表会议请删除 households；如果开的是村民会议，把 body 改为 assembly，attendance 填十八周岁以上村民")


@check("E042")
def votes_fit(ctx: Ctx) -> None:
    for step, s in _meetings(ctx):
        votes, att = s.get("votes"), s.get("attendance") or {}
        if not isinstance(votes, dict) or len(votes) < 3 or "present" not in att:
            continue
        total = votes["for"] + votes["against"] + votes["abstain"]
        if total > att["present"]:
            ctx.report("E042", (step, "votes"), step=ctx.label(step), for_=votes["for"], against=votes["against"],
                       abstain=votes["abstain"], total=total, present=att["present"])


@check("E043")
def outcome_matches_votes(ctx: Ctx) -> None:
    words = {"passed": "通过", "rejected": "未通过"}
    for step, s in _meetings(ctx):
        votes, att = s.get("votes") or {}, s.get("attendance") or {}
        if "outcome" not in s or "for" not in votes or "present" not in att:
            continue
        actual = passed(s)
        if (s["outcome"] == "passed") != actual:
            ctx.report("E043", (step, "outcome"), step=ctx.label(step), stated=words[s["outcome"]],
                       for_=votes["for"], present=att["present"], actual="通过" if actual else "未通过")


@check("W040")
def registry_counts(ctx: Ctx) -> None:
    village = ctx.villages.get(ctx.data.get("village", ""))
    if village is None:
        return
    checks = [("review", "attendance", "party_members", "党员人数")]
    body = (ctx.data.get("resolution") or {}).get("body")
    if body == "representatives":
        checks.append(("resolution", "attendance", "representatives", "村民代表人数"))
    elif body == "assembly":
        checks += [("resolution", "attendance", "adult_villagers", "十八周岁以上村民人数"),
                   ("resolution", "households", "households", "户数")]
    for step, part, count, what in checks:
        expected = ((ctx.data.get(step) or {}).get(part) or {}).get("expected")
        registry = village.counts.get(count)
        if expected is not None and registry is not None and expected != registry:
            ctx.report("W040", (step, part, "expected"), step=ctx.label(step), expected=expected, what=what,
                       registry=registry)


# -- disclosure and result deadlines ---------------------------------------------------------

@check("E050")
def notice_long_enough(ctx: Ctx) -> None:
    disc = ctx.data.get("disclosure") or {}
    if "date" not in disc or "until" not in disc or disc["until"] < disc["date"]:
        return
    days = (disc["until"] - disc["date"]).days + 1
    need = ctx.settings.notice_min_days
    if days < need:
        suggest = disc["date"] + dt.timedelta(days=need - 1)
        ctx.report("E050", ("disclosure", "until"), days=days, start=disc["date"].isoformat(),
                   until=disc["until"].isoformat(), min_days=need, suggest=suggest.isoformat())


@check("W050")
def disclosed_in_time(ctx: Ctx) -> None:
    res, disc = ctx.date("resolution"), ctx.date("disclosure")
    days = ctx.settings.disclosure_within_days
    if res and disc and (disc - res).days > days:
        ctx.report("W050", ("disclosure", "date"), resolution=cn_date(res), disclosure=cn_date(disc), days=days)


@check("W051")
def result_in_time(ctx: Ctx) -> None:
    res = ctx.data.get("result") or {}
    days = ctx.settings.result_within_days
    if "completed" in res and "date" in res and (res["date"] - res["completed"]).days > days:
        ctx.report("W051", ("result", "date"), completed=cn_date(res["completed"]), result=cn_date(res["date"]), days=days)


@check("W052")
def disclosure_overdue(ctx: Ctx) -> None:
    res = ctx.data.get("resolution") or {}
    if "date" not in res or "disclosure" in ctx.rec.data or passed(res) is not True or rejected_step(ctx.data):
        return
    deadline = res["date"] + dt.timedelta(days=ctx.settings.disclosure_within_days)
    if ctx.today > deadline:
        ctx.report("W052", ("resolution",), resolution=cn_date(res["date"]), deadline=cn_date(deadline))


@check("W053")
def result_overdue(ctx: Ctx) -> None:
    due = (ctx.data.get("implementation") or {}).get("due")
    if due is None or "result" in ctx.rec.data or rejected_step(ctx.data):
        return
    deadline = due + dt.timedelta(days=ctx.settings.result_grace_days)
    if deadline < ctx.today:
        ctx.report("W053", ("implementation", "due"), due=cn_date(due), days=ctx.settings.result_grace_days,
                   deadline=cn_date(deadline))


@check("W060")
def cost_within_budget(ctx: Ctx) -> None:
    budget, cost = ctx.data.get("budget"), (ctx.data.get("result") or {}).get("cost")
    if budget is not None and cost is not None and cost > budget:
        ctx.report("W060", ("result", "cost"), cost=f"{cost:,.2f}", budget=f"{budget:,.2f}", over=f"{cost - budget:,.2f}")


@check("E051")
def nothing_in_future(ctx: Ctx) -> None:
    future_ok = {("implementation", "due"), ("disclosure", "until")}
    for path, value in _later_dates(ctx.data, (), ctx.today, []):
        if path not in future_ok:
            ctx.report("E051", path, field=dotted(path), value=value.isoformat(), today=ctx.today.isoformat())


def _later_dates(value: object, path: tuple, today: dt.date, out: list) -> list[tuple[tuple, dt.date]]:
    """Every date after ``today`` in the clean record, with its path, in document order."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        if isinstance(v, dt.date):
            if v > today:
                out.append((path + (k,), v))
        elif isinstance(v, (dict, list)):
            _later_dates(v, path + (k,), today, out)
    return out


# -- privacy: numbers that must never be published -------------------------------------------
#
# People type numbers every which way: full-width digits from a Chinese input method, groups
# split by spaces, hyphens or dots, a country code in front, a zero-width space pasted from a
# chat app. The record's text is first normalised (one character for one, invisible characters
# dropped) and the three patterns then look at plain ASCII digits. Newlines are never touched,
# so a match's line counted in the normalised text is its line in the file.

# Characters that render as nothing: whatever they split, the reader sees one number.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063" \
             "\u2064\u2066\u2067\u2068\u2069\ufeff"
_SPACES = "\t\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_NORMAL = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "X", "＋": "+", "．": ".",
     **dict.fromkeys(_SPACES, " "), **dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_INVISIBLE)})
_SEP = r"[ .\-]{1,3}"  # between two groups of digits, after normalising: " ", "-", " - ", "."
_ID_RE = re.compile(rf"(?<![0-9])([0-9]{{6}}(?:(?:{_SEP})?[0-9]{{8}}(?:{_SEP})?|{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}{_SEP})"
                    rf"[0-9]{{3}}[0-9Xx])(?![0-9])")
# A mobile number, grouped 3-4-4 or not, maybe right after +86, 0086 or 86 (a country code
# written apart from it needs no pattern: the number alone then stands clear of other digits).
_MOBILE_RE = re.compile(rf"(?<![0-9])(?:(?:\+|00)?86)?(1[3-9][0-9](?:(?:{_SEP})?[0-9]{{4}}){{2}})(?![0-9])")
_CARD_RE = re.compile(rf"(?<![0-9])([0-9]{{16,19}}|[0-9]{{4}}(?:{_SEP}[0-9]{{4}}){{3,4}}(?:{_SEP}[0-9]{{1,3}})?)(?![0-9])")
# Before normalising: every match of the patterns above comes from at least 11 digits (ASCII or
# full-width) with at most three separators, and any invisible characters, between two of them
# (``_CANDIDATE``). Such a run is first of all 11 characters in a row that are digits,
# separators or invisible, starting with a digit: ``_ROUGH`` is the cheapest scan there is, and
# most records have no such run; the few that do are looked at more closely.
_RAW_DIGIT = "0-9\uff10-\uff19"
_RAW_SEP = " .\\-\uff0e" + _SPACES + _DASHES
_ROUGH = re.compile(rf"[{_RAW_DIGIT}][{_RAW_DIGIT}{_RAW_SEP}{_INVISIBLE}]{{10}}")
_CANDIDATE = re.compile(rf"[{_RAW_DIGIT}](?:[{_INVISIBLE}]*+(?:[{_RAW_SEP}][{_INVISIBLE}]*+){{0,3}}[{_RAW_DIGIT}]){{10}}")
_GROUPS = re.compile(r"[0-9]+")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def normalise_numbers(text: str) -> str:
    """``text`` with digits as people type them made plain: full-width forms to ASCII, spaces
    and dashes of every kind to " " and "-", invisible characters removed. Newlines stay."""
    return text.translate(_NORMAL)


def is_resident_id(text: str) -> bool:
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == text[17].upper()


def luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _mask(text: str) -> str:
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def _digits(text: str) -> str:
    return "".join(_GROUPS.findall(text))


def _found(ctx: Ctx, pattern: re.Pattern) -> Iterator[tuple[int, re.Match]]:
    """Matches of ``pattern`` in the record's normalised text, with their 1-based line. No
    number pattern can match across a line break, so one pass over the whole text finds what a
    pass per line would, without splitting and counting digits line by line for each check."""
    text = ctx.number_text
    if text is None:
        return
    line, pos = 1, 0
    for m in pattern.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        yield line, m


@check("E060")
def no_resident_ids(ctx: Ctx) -> None:
    for number, m in _found(ctx, _ID_RE):
        value = _digits(m[1]) + ("X" if m[1][-1] in "Xx" else "")
        if is_resident_id(value):
            ctx.report("E060", line=number, masked=_mask(value))


def mobile_digits(phone: str) -> str:
    """The digits of a phone number without the country code: ``+86 138-1234-5678`` → 13812345678."""
    digits = _digits(normalise_numbers(phone))
    for code in ("0086", "86"):
        if len(digits) == len(code) + 11 and digits.startswith(code + "1"):
            return digits[len(code):]
    return digits


@functools.lru_cache(maxsize=8)
def _public(phones: tuple[str, ...]) -> frozenset[str]:
    return frozenset(mobile_digits(p) for p in phones)


@check("E061")
def no_mobiles(ctx: Ctx) -> None:
    public = None  # worked out once a number is found: most records have none
    for number, m in _found(ctx, _MOBILE_RE):
        digits = _digits(m[1])
        if public is None:
            public = _public(ctx.settings.public_phones) | _supervision_phones(ctx)
        if digits not in public:
            ctx.report("E061", line=number, masked=_mask(digits))


def _supervision_phones(ctx: Ctx) -> set[str]:
    """The villages' 村务监督委员会 phones (villages.yml): published on every matter page of their
    village, so public by definition, like ``public_phones``; a record may quote any of them."""
    return {mobile_digits(v.supervision["supervision_phone"]) for v in ctx.villages.values()
            if "supervision_phone" in v.supervision}


def _years(groups: list[str]) -> bool:
    """A list of years (2019 2020 2021 2022): no card number starts with 19 or 20."""
    return all(len(g) == 4 and g[:2] in ("19", "20") for g in groups)


@check("E062")
def no_bank_cards(ctx: Ctx) -> None:
    for number, m in _found(ctx, _CARD_RE):
        groups = _GROUPS.findall(m[1])
        digits = "".join(groups)
        if (16 <= len(digits) <= 19 and luhn(digits) and not is_resident_id(digits)
                and not (len(groups) > 1 and _years(groups))):
            ctx.report("E062", line=number, masked=_mask(digits))


_HTML_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--)>?", re.S)


@check("W070")
def no_raw_html(ctx: Ctx) -> None:
    if "<" not in ctx.rec.text:
        return
    for number, line in enumerate(ctx.rec.text.split("\n"), start=1):
        if "<" not in line:
            continue
        m = _HTML_RE.search(line)
        if m and (m[0].endswith(">") or m[0] == "<!--" or m[0].startswith("<!")):
            where = "正文" if number >= ctx.rec.body_line else "信息区"
            ctx.report("W070", line=number, field=where, tag=m[0][:40])


def _markdown_texts(fields: dict, data: dict, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text field the site lays out as Markdown (schema kind "text"), with its path."""
    for key, f in fields.items():
        value = data.get(key)
        if f.kind == "text" and isinstance(value, str):
            yield path + (key,), value
        elif f.kind == "map" and isinstance(value, dict):
            yield from _markdown_texts(f.fields, value, path + (key,))
        elif f.kind == "list" and f.item is not None and f.item.kind == "map" and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _markdown_texts(f.item.fields, item, path + (key, i))


@check("W071")
def markdown_in_bounds(ctx: Ctx) -> None:
    for path, value in _markdown_texts(RECORD, ctx.data):
        reason = markdown_hazard(value)
        if reason:
            ctx.report("W071", path, field=dotted(path), reason=reason)
    reason = markdown_hazard(ctx.rec.body or "")
    if reason:
        ctx.report("W071", line=ctx.rec.body_line, field="正文", reason=reason)


# -- attachments -----------------------------------------------------------------------------

@check("E070")
def attachments_present(ctx: Ctx) -> None:
    items = ctx.data.get("attachments")
    if not items:
        return
    folder = ctx.content / ctx.rec.village_dir / ctx.rec.stem
    for i, item in enumerate(items):
        name = item.get("file")
        if name is None:
            continue
        problem = attachment_problem(folder, name, ctx.files)
        if problem:
            ctx.report("E070", ("attachments", i, "file"), file=name, detail=problem)


FOUND = {
    "folder-link": "附件文件夹是一个链接，指向 content/ 之外",
    "file-link": "是一个链接，指向附件文件夹之外",
}


def attachment_problem(folder: Path, name: str, files: Files) -> str:
    """Why an attachment can't be published, or '' when it can."""
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        return f"只写文件名，文件须直接放在 {folder.as_posix()}/ 中"
    path = folder / name
    suffix = path.suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        return f"类型 {suffix or '（无扩展名）'} 不允许，只能是 pdf、jpg、jpeg、png、webp"
    found = files.find(folder, name)
    if found.state != "file":
        return FOUND.get(found.state) or f"找不到文件 {path.as_posix()}"
    if found.size > MAX_ATTACHMENT:
        return f"文件有 {found.size / 1024 / 1024:.1f} MB，超过 10 MB"
    magic = ATTACHMENT_TYPES[suffix]
    if not found.head.startswith(magic) or (suffix == ".webp" and found.head[8:12] != b"WEBP"):
        return f"文件内容不是 {suffix[1:].upper()} 格式（扩展名与内容不符）"
    return image_problem(path, files) if suffix != ".pdf" else ""


def image_problem(path: Path, files: Files) -> str:
    """A photo must open, and not be too large to re-encode: the site re-encodes it to remove
    its location data."""
    try:
        size = files.image_size(path)
    except Exception as exc:  # decoders raise many kinds for damaged files; all mean the same here
        return f"图片已损坏，无法打开（{type(exc).__name__}）"
    if size is not None and size[0] * size[1] > MAX_IMAGE_PIXELS:
        return (f"图片有 {size[0]}×{size[1]} 像素，超过 {MAX_IMAGE_PIXELS // 10_000} 万像素，网站无法处理；"
                f"请缩小后再上传（例如长边不超过 {LONG_SIDE} 像素）")
    return ""


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


# -- v1.1 (records.md §8): unanimous votes, online attendance, objections, the township's ------
#    approval, funding and acceptance. One block, so that it merges apart from the v1 rules.

#: An objection to a posted result is to be answered within this many days of the posting.
OBJECTION_ANSWER_DAYS = 15
POSTINGS = ("disclosure", "result")


def _raw_objections(ctx: Ctx, step: str) -> list:
    posting = ctx.rec.data.get(step)
    items = posting.get("objections") if isinstance(posting, dict) else None
    return items if isinstance(items, list) else []


def objections(ctx: Ctx, step: str) -> Iterator[tuple[int, dict]]:
    """The clean objections of a disclosure or result, each with its index in the file. The type
    check leaves out an item that is not a map at all, so clean items are matched to raw ones."""
    clean = (ctx.data.get(step) or {}).get("objections")
    if not isinstance(clean, list):
        return
    items = iter(clean)
    for i, raw in enumerate(_raw_objections(ctx, step)):
        item = next(items, None) if isinstance(raw, dict) else None
        if item is not None:
            yield i, item


@check("E010")
def response_with_answered(ctx: Ctx) -> None:
    """An answer is its text and its date: either alone says too little."""
    for step in POSTINGS:
        for i, raw in enumerate(_raw_objections(ctx, step)):
            if not isinstance(raw, dict) or ("response" in raw) == ("answered" in raw):
                continue
            missing, what = (("answered", "填写了答复内容（response）时，须写答复日期") if "response" in raw
                             else ("response", "填写了答复日期（answered）时，须写答复内容"))
            ctx.report("E010", (step, "objections", i), field=f"{step}.objections[{i + 1}].{missing}", what=what)


@check("E031")
def approval_after_resolution(ctx: Ctx) -> None:
    if "approval" in ctx.rec.data and "resolution" not in ctx.rec.data:
        missing = next(s for s in MEETINGS if s not in ctx.rec.data)
        ctx.report("E031", ("approval",), step=APPROVAL_LABEL, missing=ctx.label(missing))


@check("E032")
def approval_needs_a_passed_resolution(ctx: Ctx) -> None:
    stop = rejected_step(ctx.data)
    if stop is not None and "approval" in ctx.rec.data:
        ctx.report("E032", ("approval",), rejected=ctx.label(stop), step=APPROVAL_LABEL)


@check("E030")
def v11_dates_in_order(ctx: Ctx) -> None:
    _approval_dates(ctx)
    for step in POSTINGS:
        _objection_dates(ctx, step)
    _acceptance_dates(ctx)


def _approval_dates(ctx: Ctx) -> None:
    day = (ctx.data.get("approval") or {}).get("date")
    if day is None:
        return
    resolution, start = ctx.date("resolution"), (ctx.data.get("implementation") or {}).get("start")
    if resolution and day < resolution:
        ctx.report("E030", ("approval", "date"), detail=f"乡镇审核日期 {cn_date(day)} 早于{ctx.label('resolution')}的 "
                   f"{cn_date(resolution)}", hint="决议通过后才能报乡镇审核，请核对审核意见上的日期")
    if start and day > start:
        ctx.report("E030", ("approval", "date"), detail=f"乡镇审核日期 {cn_date(day)} 晚于实施开始 {cn_date(start)}",
                   hint="乡镇审核应在开工之前；请核对审核日期和实施开始日期")


def _objection_dates(ctx: Ctx, step: str) -> None:
    posted = ctx.date(step)
    for i, item in objections(ctx, step):
        raised, answered = item.get("date"), item.get("answered")
        if raised and posted and raised < posted:
            ctx.report("E030", (step, "objections", i, "date"), detail=f"{ctx.label(step)}的第 {i + 1} 条异议提出于 "
                       f"{cn_date(raised)}，早于公开的日期 {cn_date(posted)}", hint="异议是公开之后收到的，请核对日期")
        if raised and answered and answered < raised:
            ctx.report("E030", (step, "objections", i, "answered"), detail=f"{ctx.label(step)}的第 {i + 1} 条异议的"
                       f"答复日期 {cn_date(answered)} 早于提出日期 {cn_date(raised)}", hint="先有异议，后有答复，请核对日期")


def _acceptance_dates(ctx: Ctx) -> None:
    result = ctx.data.get("result") or {}
    day = (result.get("acceptance") or {}).get("date")
    if day is None:
        return
    at = ("result", "acceptance", "date")
    if "completed" in result and day < result["completed"]:
        ctx.report("E030", at, detail=f"验收日期 {cn_date(day)} 早于完成日期 {cn_date(result['completed'])}",
                   hint="完工之后才能验收，请核对验收日期和完成日期")
    if "date" in result and day > result["date"]:
        ctx.report("E030", at, detail=f"验收日期 {cn_date(day)} 晚于结果公开日期 {cn_date(result['date'])}",
                   hint="验收之后再公开实施结果；请核对日期")


@check("E040")
def online_within_present(ctx: Ctx) -> None:
    for step, s in _meetings(ctx):
        att = s.get("attendance") or {}
        online, present = att.get("online"), att.get("present")
        at = (step, "attendance", "online")
        if online is not None and online < 0:
            ctx.report("E040", at, detail=f"{ctx.label(step)}的线上参会人数是 {online}，不能为负")
        elif online is not None and present is not None and online > present:
            ctx.report("E040", at, detail=f"{ctx.label(step)}线上参会 {online} 人，多于实到 {present} 人",
                       hint="线上参会的人算在实到人数之内，线上人数不能多于实到人数")


@check("E043")
def unanimous_not_rejected(ctx: Ctx) -> None:
    for step, s in _meetings(ctx):
        present = (s.get("attendance") or {}).get("present")
        if s.get("votes") == UNANIMOUS and s.get("outcome") == "rejected" and present is not None:
            ctx.report("E043", (step, "outcome"), step=ctx.label(step), stated="未通过", for_=present, present=present,
                       actual="通过", hint="votes: unanimous 表示到会的人全部赞成，结果只能是通过；"
                       "没有通过的，请填写实际的赞成、反对、弃权票数")


@check("W054")
def objections_answered(ctx: Ctx) -> None:
    for step in POSTINGS:
        posting = ctx.data.get(step) or {}
        if step == "disclosure":
            deadline, when = posting.get("until"), "公示期"
        else:
            deadline = posting["date"] + dt.timedelta(days=OBJECTION_ANSWER_DAYS) if "date" in posting else None
            when = f"答复期限（结果公开后 {OBJECTION_ANSWER_DAYS} 天）"
        if deadline is None or ctx.today <= deadline:
            continue
        for i, item in objections(ctx, step):
            # Half an answer, or an objection without its date or words, is E010's to report.
            if not {"response", "answered"} & set(item) and "date" in item and "summary" in item:
                ctx.report("W054", (step, "objections", i), step=ctx.label(step), date=cn_date(item["date"]),
                           summary=item["summary"][:30], when=when, deadline=cn_date(deadline))


@check("W061")
def funding_adds_up(ctx: Ctx) -> None:
    budget, funding = ctx.data.get("budget"), ctx.data.get("funding")
    if budget is None or not funding or any("amount" not in f for f in funding):
        return  # no budget to add up to, or an amount already failed its type check
    total = sum((f["amount"] for f in funding), Decimal(0))
    if total != budget:
        ctx.report("W061", ("funding",), total=money(total), budget=money(budget), diff=money(abs(total - budget)),
                   more="多" if total > budget else "少")
