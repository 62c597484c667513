"""Characters a secretary cannot see on screen.

Control characters (refused, E007) break the pages and the feed: XML has no place for most of
them. Invisible characters (a no-break or zero-width space, a stray BOM) are allowed in text,
but where they make a value or a line wrong the message has to name them: ``project`` and
``project`` + U+200B look the same in any editor.
"""

from __future__ import annotations

import re
import unicodedata

# Tab and line feed are text; a carriage return never reaches here from a file (line ends are
# normalised on reading), so one left in a value came from a "\r" escape.
_CONTROL_NAMES = {
    "\x00": "空字符", "\x07": "响铃符", "\x08": "退格符", "\x0b": "垂直制表符", "\x0c": "换页符",
    "\r": "回车符", "\x1b": "转义符 ESC", "\x7f": "删除符", "\x85": "下一行符",
    "\u202a": "双向文本控制符", "\u202b": "双向文本控制符", "\u202c": "双向文本控制符",
    "\u202d": "双向文本控制符", "\u202e": "双向文本控制符（文字反向显示）",
    "\u2066": "双向文本控制符", "\u2067": "双向文本控制符", "\u2068": "双向文本控制符", "\u2069": "双向文本控制符",
    "\ufffe": "非字符", "\uffff": "非字符",
}
# C0 and C1 controls, DEL, the bidirectional overrides (they can show a title reversed) and
# the two non-characters XML refuses.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")

INVISIBLE = {
    "\u00a0": "不换行空格", "\u00ad": "软连字符", "\u180e": "蒙古文元音分隔符",
    "\u2000": "空格", "\u2001": "空格", "\u2002": "半身空格", "\u2003": "全身空格", "\u2004": "空格",
    "\u2005": "空格", "\u2006": "空格", "\u2007": "数字空格", "\u2008": "空格", "\u2009": "窄空格",
    "\u200a": "细空格", "\u200b": "零宽空格", "\u200c": "零宽不连字", "\u200d": "零宽连字",
    "\u200e": "从左到右标记", "\u200f": "从右到左标记", "\u2028": "行分隔符", "\u2029": "段分隔符",
    "\u202f": "窄不换行空格", "\u205f": "数学空格", "\u2060": "零宽不换行", "\u3000": "全角空格",
    "\ufeff": "字节顺序标记 BOM",
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")


def name(ch: str) -> str:
    """``U+00A0（不换行空格）``: the code point, and what it is when it has a Chinese name."""
    what = _CONTROL_NAMES.get(ch) or INVISIBLE.get(ch) or ("控制字符" if _CONTROL.match(ch) else "")
    if not what:
        what = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f"（{what}）" if what else "")


def control(text: str) -> re.Match | None:
    """The first control character in ``text`` (tab and line feed are not)."""
    return _CONTROL.search(text)


def invisible(text: str) -> re.Match | None:
    """The first invisible character in ``text``."""
    return _INVISIBLE.search(text)


def line_at(text: str, index: int, first_line: int = 1) -> int:
    return text.count("\n", 0, index) + first_line


def shown(value: object) -> str:
    """A value as typed, with control and invisible characters written out (‹U+200B›)."""
    text = str(value)
    if _CONTROL.search(text) is None and _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(_code, _CONTROL.sub(_code, text))


def visible_only(text: str) -> str:
    """``text`` without its invisible characters."""
    return _INVISIBLE.sub("", text)


def _code(m: re.Match) -> str:
    return f"‹U+{ord(m[0]):04X}›"


def invisible_hint(value: object) -> str:
    """A sentence naming the invisible character in ``value``, or '' when there is none."""
    m = invisible(str(value))
    return f"值中有不可见字符 {name(m[0])}，请删除它（或改成普通半角空格）" if m else ""
