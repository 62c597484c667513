"""Checks a record's raw values against the model in ``schema.py`` (codes E010–E013).

Returns the diagnostics and a clean copy in which dates are ``datetime.date``, money is
``Decimal`` and every value that failed is left out, so the rules after it can trust types.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from . import chars
from .schema import F

Report = Callable[..., None]  # report(code, path, **fields)

# The largest amount a record may hold, in yuan: above any village's matter (a whole village's
# land compensation is some hundreds of millions) and far inside what the site can show exactly
# (14 digits with the fen; Decimal's context has 28, a JavaScript number 15–16).
MAX_MONEY = Decimal(10) ** 12
# No village has ten million people or households; bigger counts are typing mistakes, and a
# number of thousands of digits could not even be printed.
MAX_COUNT = 10**7

_FULLWIDTH = re.compile(r"[０-９．，]")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_LOOSE_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + part)
    return out


def parse_date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _date_hint(value: object) -> str:
    text = str(value).strip().translate(_FW_TABLE)
    m = _LOOSE_DATE.match(text) or _DATE.match(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        try:
            dt.date(y, mo, d)
        except ValueError:
            return f"{y}年{mo}月没有{d}日，请核对日期"
        return f"写成 {y:04d}-{mo:02d}-{d:02d}"
    return chars.invisible_hint(value) or "日期写成 年-月-日，月和日都用两位数，例如 2024-03-05"


_FW_TABLE = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def _number_hint(value: object) -> str:
    text = str(value)
    if chars.invisible(text):
        return chars.invisible_hint(text)
    if _FULLWIDTH.search(text):
        return f"请用半角数字：{text.translate(_FW_TABLE)}"
    if "," in text or "，" in text:
        return f"数字中不要用千位分隔符：{text.replace(',', '').replace('，', '')}"
    if "万" in text:
        return "金额以元为单位，只写数字，例如 120000.00"
    return "只填数字，不带单位和文字"


def _check_scalar(spec: F, value: Any, path: tuple, report: Report) -> Any:
    kind = spec.kind
    if kind in ("str", "text"):
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            report("E012", path, field=dotted(path), detail="应为一段文字", fix="直接写文字；有冒号等符号时用引号括起来")
            return None
        text = str(value)
        if not _plain_text(spec, text, path, report):
            return None
        if spec.max_len and len(text) > spec.max_len:
            report("E012", path, field=dotted(path), detail=f"有 {len(text)} 个字，最多 {spec.max_len} 个",
                   fix=f"压缩到 {spec.max_len} 字以内")
            return None
        if spec.required and not text.strip():
            report("E010", path, field=dotted(path), what=spec.what)
            return None
        return text
    if kind == "date":
        d = parse_date(value)
        if d is None:
            report("E013", path, field=dotted(path), value=chars.shown(value), hint=_date_hint(value))
        return d
    if kind == "enum":
        if isinstance(value, str) and value in spec.options:
            return value
        close = difflib.get_close_matches(str(value), spec.options, n=1) or _chinese_option(str(value), spec.options)
        fix = f"是不是 {close[0]}？" if close else ""
        hidden = chars.invisible_hint(value)
        report("E012", path, field=dotted(path), detail=f"“{chars.shown(value)}”不是可选值（{' | '.join(spec.options)}）",
               fix=(hidden + "；" if hidden else "") + fix + "可选：" + "、".join(spec.options))
        return None
    if kind in ("count", "percent"):
        typed = value
        if isinstance(value, bool) or not isinstance(value, int):
            if not (isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value()):
                report("E012", path, field=dotted(path), detail=f"“{chars.shown(value)}”不是整数", fix=_number_hint(value))
                return None
            if abs(value) >= MAX_COUNT:  # before int(): 1e5000 would make an integer too large to print
                report("E012", path, field=dotted(path), detail=f"{chars.shown(typed)} 太大",
                       fix=f"人数、户数和票数都小于 {MAX_COUNT:,}，请核对")
                return None
            value = int(value)
        if value >= MAX_COUNT:
            report("E012", path, field=dotted(path), detail=f"{chars.shown(typed)} 太大", fix=f"人数、户数和票数都小于 {MAX_COUNT:,}，请核对")
            return None
        if kind == "percent" and not 0 <= value <= 100:
            report("E012", path, field=dotted(path), detail=f"进度 {typed} 不在 0–100 之间", fix="进度填 0 到 100 的整数")
            return None
        if kind == "count" and value < 0 and not spec.signed:
            report("E012", path, field=dotted(path), detail=f"{spec.what} {typed} 是负数",
                   fix=f"{spec.what}只能是 0 或正整数，没有就填 0")
            return None
        return value  # a negative attendance is E040's business
    if kind == "money":
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            report("E012", path, field=dotted(path), detail=f"“{chars.shown(value)}”不是金额", fix=_number_hint(value))
            return None
        amount = Decimal(value)
        if not amount.is_finite() or abs(amount) >= MAX_MONEY:
            report("E012", path, field=dotted(path), detail=f"金额 {value} 太大，应少于 1 万亿元",
                   fix="金额以元为单位，只写数字，例如 120000.00；请核对是否多写了几位")
            return None
        if amount == 0:
            amount = abs(amount)  # "-0.00" is zero, not a negative amount to show as "-0.00 元"
        if amount < 0:
            report("E012", path, field=dotted(path), detail=f"金额 {value} 是负数", fix="金额不能为负数")
            return None
        if amount.as_tuple().exponent < -2:
            report("E012", path, field=dotted(path), detail=f"金额 {value} 超过两位小数", fix="金额最多保留到分（两位小数）")
            return None
        return amount
    if kind == "strlist":
        if not isinstance(value, list) or not value or not all(
                isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip() for v in value):
            report("E012", path, field=dotted(path), detail="应为至少一项的列表",
                   fix=f"写成列表，例如 [{', '.join(spec.example or ['公开栏'])}]")
            return None
        items = [str(v) for v in value]
        ok = [_plain_text(spec, v, path + (i,), report) for i, v in enumerate(items)]
        return items if all(ok) else None
    raise ValueError(f"unknown kind {kind}")  # a mistake in schema.py, not in a record


def _plain_text(spec: F, text: str, path: tuple, report: Report) -> bool:
    """Whether ``text`` is free of control characters (E007: an escape such as "\\x07" in quotes
    gets past the check of the file's raw text) and, unless it is Markdown, of line breaks:
    a title or a name is one line wherever it is shown (E012)."""
    bad = chars.control(text)
    if bad:
        report("E007", path, where=f"{dotted(path)} 中", char=chars.name(bad[0]))
        return False
    if spec.kind != "text" and ("\n" in text.strip() or "\u2028" in text or "\u2029" in text):
        report("E012", path, field=dotted(path), detail="只能写一行，中间不能换行",
               fix="写在同一行（标题不要用 | 或 >）；较长的说明写在正文或 notes 中")
        return False
    return True


def check(spec: F, value: Any, path: tuple, report: Report) -> Any:
    """Check ``value`` against ``spec``; return its clean form or None when it failed."""
    if spec.word and not isinstance(value, (dict, list)) and value is not None:
        return _check_word(spec, value, path, report)
    if spec.kind == "map":
        if not isinstance(value, dict):
            report("E012", path, field=dotted(path) or "信息区", detail="应为若干“键: 值”子项",
                   fix="子项另起一行，比下一级多缩进两个空格")
            return None
        return check_map(spec.fields, value, path, report)
    if spec.kind == "list":
        if not isinstance(value, list):
            report("E012", path, field=dotted(path), detail="应为列表", fix="每一项另起一行，以“- ”开头")
            return None
        items = [check(spec.item, v, path + (i,), report) for i, v in enumerate(value)]
        return [v for v in items if v is not None]
    if value is None:
        if spec.required:
            report("E010", path, field=dotted(path), what=spec.what)
        return None
    return _check_scalar(spec, value, path, report)


# -- v1.1 (records.md §8): a word in place of a map or list (votes: unanimous, objections: none)

# What secretaries write for the word, in Chinese or nearly in English: each gets a hint.
_WORD_SYNONYMS = {
    "unanimous": ("全票通过", "一致通过", "一致同意", "全票", "全体同意", "举手表决，一致同意"),
    "none": ("无", "无异议", "没有", "没有异议", "公示期间无异议", "群众均无反对意见", "无反对意见", "no", "false"),
}


# v1.1: ``method`` written in Chinese, as the minutes say it (举手表决); longest match first.
_CHINESE_OPTIONS = {"线上线下": "mixed", "投票": "ballot", "举手": "hands", "线上": "online", "视频": "online"}


def _chinese_option(value: str, options: tuple) -> list[str]:
    return next(([key] for word, key in _CHINESE_OPTIONS.items() if word in value and key in options), [])


def _check_word(spec: F, value: Any, path: tuple, report: Report) -> str | None:
    if value == spec.word:
        return value
    text = str(value).strip().lower() if isinstance(value, bool) else str(value).strip()
    shape = "若干“键: 值”子项" if spec.kind == "map" else "列表"
    if text.lower() == spec.word or text.lower() in _WORD_SYNONYMS.get(spec.word, ()):
        fix = f"{spec.word_what}请写英文小写 {spec.word}"
    else:
        fix = f"{spec.word_what}写 {spec.word}；否则写成{shape}"
    report("E012", path, field=dotted(path), detail=f"“{text}”既不是 {spec.word}，也不是{shape}", fix=fix)
    return None


def check_map(fields: dict[str, F], value: dict, path: tuple, report: Report) -> dict:
    out: dict = {}
    for key, raw in value.items():
        spec = fields.get(key)
        if spec is None:
            suggest = _unknown_key_hint(key, fields)
            report("E011", path + (key,), field=chars.shown(dotted(path + (key,))), suggest=suggest)
            continue
        clean = check(spec, raw, path + (key,), report)
        if clean is not None:
            out[key] = clean
    for key in _required(fields):
        if key not in value:
            report("E010", path, field=dotted(path + (key,)), what=fields[key].what)
    return out


_REQUIRED: dict[int, tuple[dict, tuple[str, ...]]] = {}


def _required(fields: dict[str, F]) -> tuple[str, ...]:
    """The required keys of a map, worked out once per map of the schema."""
    known = _REQUIRED.get(id(fields))
    if known is None or known[0] is not fields:
        known = _REQUIRED[id(fields)] = (fields, tuple(k for k, spec in fields.items() if spec.required))
    return known[1]


def _unknown_key_hint(key: str, fields: dict[str, F]) -> str:
    if "：" in key:
        return "冒号要用英文半角“:”，不要用中文全角“：”，冒号后留一个空格"
    if "\u3000" in key:
        return f"字段名 {key.strip(' 　')} 前后有全角空格“　”，请删除或改成半角空格（缩进只用半角空格）"
    hidden = chars.invisible(key)
    if hidden:
        return f"字段名中有不可见字符 {chars.name(hidden[0])}，请删除它，写成 {chars.visible_only(key)}"
    close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
    return f"是不是 {close[0]}？" if close else "可用的字段：" + "、".join(fields)
