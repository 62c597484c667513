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

from .records import RawRecord, Village
from .rules import Diagnostic, diag
from .schema import ID_PATTERN, MEETINGS, RECORD, STEPS
from .settings import Settings
from .status import attendance, passed, quorum_met, rejected_step
from .textshape import markdown_hazard
from .typecheck import dotted
from .yamlnodes import line_of

LABELS = {
    "proposal": "党支部会提议",
    "deliberation": "“两委”会商议",
    "review": "党员大会审议",
    "resolution": "村民代表会议决议",
    "disclosure": "决议公开",
    "implementation": "组织实施",
    "result": "实施结果公开",
}
ASSEMBLY_LABEL = "村民会议决议"


def step_label(step: str, data: dict) -> str:
    """The step's name as site.md has it; a resolution is named by the body that made it."""
    if step == "resolution" and (data.get("resolution") or {}).get("body") == "assembly":
        return ASSEMBLY_LABEL
    return LABELS[step]


ATTACHMENT_TYPES = {".pdf": b"%PDF", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG",
                    ".webp": b"RIFF"}
MAX_ATTACHMENT = 10 * 1024 * 1024


@dataclass
class Ctx:
    rec: RawRecord
    data: dict  # clean values
    villages: dict[str, Village]
    settings: Settings
    today: dt.date
    content: Path
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
        return _CANDIDATE.search(self.rec.text) is not None


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

@check("E010")
def outcome_or_votes(ctx: Ctx) -> None:
    for step in ("proposal", "deliberation"):
        s = ctx.data.get(step)
        raw = ctx.rec.data.get(step) if isinstance(ctx.rec.data.get(step), dict) else {}
        if s is not None and "votes" not in raw and "outcome" not in raw:
            ctx.report("E010", (step,), field=f"{step}.outcome", what="没有填写票数时，须写明结果 passed 或 rejected")
    if "budget" in ctx.data and isinstance(ctx.rec.data.get("result"), dict) and "cost" not in ctx.rec.data["result"]:
        ctx.report("E010", ("result",), field="result.cost", what="填写了预算（budget），结果中须写实际支出")


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


def _fmt(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@check("E030")
def dates_in_order(ctx: Ctx) -> None:
    d = ctx.data
    chain = [(s, ctx.date(s)) for s in ("proposal", "deliberation", "review", "resolution", "disclosure", "result")]
    chain = [(s, day) for s, day in chain if day is not None]
    for (prev, pday), (step, day) in zip(chain, chain[1:], strict=False):
        if day < pday:
            ctx.report("E030", (step, "date"), detail=f"{ctx.label(step)}的日期 {_fmt(day)} 早于前一步"
                       f"{ctx.label(prev)}的 {_fmt(pday)}")
    disc, res, impl = d.get("disclosure") or {}, d.get("result") or {}, d.get("implementation") or {}
    if "until" in disc and "date" in disc and disc["until"] < disc["date"]:
        ctx.report("E030", ("disclosure", "until"), detail=f"公示期至 {_fmt(disc['until'])} 早于公示开始 {_fmt(disc['date'])}")
    if "completed" in res and "date" in res and res["completed"] > res["date"]:
        ctx.report("E030", ("result", "completed"), detail=f"完成日期 {_fmt(res['completed'])} 晚于结果公开日期 {_fmt(res['date'])}")
    if "start" in impl and "date" in disc and impl["start"] < disc["date"]:
        ctx.report("E030", ("implementation", "start"), detail=f"实施开始 {_fmt(impl['start'])} 早于决议公开 {_fmt(disc['date'])}",
                   hint="决议公开之后才能组织实施")
    _updates_in_order(ctx, impl.get("updates") or [])


def _updates_in_order(ctx: Ctx, updates: list) -> None:
    for i in range(1, len(updates)):
        prev, cur = updates[i - 1], updates[i]
        path = ("implementation", "updates", i)
        if "date" in prev and "date" in cur and cur["date"] < prev["date"]:
            ctx.report("E030", path, detail=f"实施进展第 {i + 1} 条（{_fmt(cur['date'])}）早于前一条（{_fmt(prev['date'])}）",
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
        ctx.report("W050", ("disclosure", "date"), resolution=_fmt(res), disclosure=_fmt(disc), days=days)


@check("W051")
def result_in_time(ctx: Ctx) -> None:
    res = ctx.data.get("result") or {}
    days = ctx.settings.result_within_days
    if "completed" in res and "date" in res and (res["date"] - res["completed"]).days > days:
        ctx.report("W051", ("result", "date"), completed=_fmt(res["completed"]), result=_fmt(res["date"]), days=days)


@check("W052")
def disclosure_overdue(ctx: Ctx) -> None:
    res = ctx.data.get("resolution") or {}
    if "date" not in res or "disclosure" in ctx.rec.data or passed(res) is not True or rejected_step(ctx.data):
        return
    deadline = res["date"] + dt.timedelta(days=ctx.settings.disclosure_within_days)
    if ctx.today > deadline:
        ctx.report("W052", ("resolution",), resolution=_fmt(res["date"]), deadline=_fmt(deadline))


@check("W053")
def result_overdue(ctx: Ctx) -> None:
    due = (ctx.data.get("implementation") or {}).get("due")
    if due is None or "result" in ctx.rec.data or rejected_step(ctx.data):
        return
    deadline = due + dt.timedelta(days=ctx.settings.result_grace_days)
    if deadline < ctx.today:
        ctx.report("W053", ("implementation", "due"), due=_fmt(due), days=ctx.settings.result_grace_days,
                   deadline=_fmt(deadline))


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

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
_CARD_RE = re.compile(r"(?<!\d)(\d{16,19}|\d{4}(?: \d{4}){3,4}(?: \d{1,3})?)(?!\d)")
# Every match of the three patterns above is a run of 11 or more digits, spaces, dashes and X
# that starts with a digit; most records have none, and this one scan rules them all out.
_CANDIDATE = re.compile(r"\d[\d \-Xx]{10,}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


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


def _found(ctx: Ctx, pattern: re.Pattern) -> Iterator[tuple[int, re.Match]]:
    """Matches of ``pattern`` in the record's text, with their 1-based line. No number pattern
    can match across a line break, so one pass over the whole text finds what a pass per line
    would, without splitting and counting digits line by line for each of the three checks."""
    if not ctx.may_hold_numbers:
        return
    text = ctx.rec.text
    line, pos = 1, 0
    for m in pattern.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        yield line, m


@check("E060")
def no_resident_ids(ctx: Ctx) -> None:
    for number, m in _found(ctx, _ID_RE):
        if is_resident_id(m[1]):
            ctx.report("E060", line=number, masked=_mask(m[1]))


@check("E061")
def no_mobiles(ctx: Ctx) -> None:
    if not ctx.may_hold_numbers:
        return
    public = {re.sub(r"\D", "", p) for p in ctx.settings.public_phones}
    for number, m in _found(ctx, _MOBILE_RE):
        digits = re.sub(r"\D", "", m[1])
        if digits not in public:
            ctx.report("E061", line=number, masked=_mask(digits))


@check("E062")
def no_bank_cards(ctx: Ctx) -> None:
    for number, m in _found(ctx, _CARD_RE):
        digits = m[1].replace(" ", "")
        if 16 <= len(digits) <= 19 and luhn(digits) and not is_resident_id(digits):
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
        problem = attachment_problem(folder, name, ctx.content)
        if problem:
            ctx.report("E070", ("attachments", i, "file"), file=name, detail=problem)


def attachment_problem(folder: Path, name: str, content: Path) -> str:
    """Why an attachment can't be published, or '' when it can."""
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        return f"只写文件名，文件须直接放在 {folder.as_posix()}/ 中"
    path = folder / name
    suffix = path.suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        return f"类型 {suffix or '（无扩展名）'} 不允许，只能是 pdf、jpg、jpeg、png、webp"
    if folder.is_symlink() or (folder.exists() and content.resolve() not in folder.resolve().parents):
        return "附件文件夹是一个链接，指向 content/ 之外"
    if path.is_symlink() or (path.exists() and folder.resolve() not in path.resolve().parents):
        return "是一个链接，指向附件文件夹之外"
    if not path.is_file():
        return f"找不到文件 {path.as_posix()}"
    size = path.stat().st_size
    if size > MAX_ATTACHMENT:
        return f"文件有 {size / 1024 / 1024:.1f} MB，超过 10 MB"
    with path.open("rb") as fh:
        head = fh.read(12)
    magic = ATTACHMENT_TYPES[suffix]
    if not head.startswith(magic) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        return f"文件内容不是 {suffix[1:].upper()} 格式（扩展名与内容不符）"
    return image_problem(path) if suffix != ".pdf" else ""


def image_problem(path: Path) -> str:
    """A photo must open: the site re-encodes it to remove its location data."""
    from PIL import Image  # only records with photos pay for the import

    try:
        with Image.open(path) as img:
            img.verify()
    except Exception as exc:  # Pillow raises many kinds for damaged files; all mean the same here
        return f"图片已损坏，无法打开（{type(exc).__name__}）"
    return ""


def money(value: Decimal) -> str:
    return f"{value:,.2f}"
