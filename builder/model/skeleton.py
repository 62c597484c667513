"""A complete record skeleton, written from the model in ``schema.py`` (``python -m builder new``
writes it to a file: ``builder.new``; the guide page shows it).

Every key of the model appears, each with its meaning as a Chinese comment. The first step
(党支部会提议) is filled in with example values and today's date, so the new file passes the
validator as it stands; every later step, and every optional key, is there as commented-out
lines: when a step has been done, the secretary deletes the "# " at the start of its lines and
puts in the real values. Deleting exactly two characters per line is all it takes, which is
easy in the GitHub web editor too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import yaml

from .schema import CATEGORIES, RECORD, STEPS, F

#: Steps and keys written as live YAML; everything else is commented out.
LIVE = {"id", "title", "village", "category", "proposal"}
#: The category a new record starts with: "other" is the least misleading if left unchanged.
DEFAULT_CATEGORY = "other"
#: The model gives every meeting the same example date; a skeleton shows them in order, as the
#: example matter of the record contract does (a step dated before the one it follows is E030).
EXAMPLE_DATES = {"deliberation": "2024-03-05", "review": "2024-03-10", "resolution": "2024-03-15"}
#: Where trailing comments start (in display columns; a Chinese character is two).
COMMENT_COLUMN = 34

INTRO = """\
# 村务公开记录。以“#”开头的内容是填写说明，网站上不显示。
# 填写规则：冒号用英文半角“:”，冒号后留一个空格；缩进用空格，不要用 Tab 键。
# 后面的步骤办完一步，就把那一步每行开头的“# ”（井号和一个空格）删掉，再改成实际情况。
# 没有发生的步骤不要填写，保持注释状态即可。"""

NOW = "改成会议的实际情况"
LATER = "办完这一步后，删掉下面每行开头的“# ”，改成实际情况"
HEADINGS = {
    "approval": "乡镇审核（可选）：决议报乡镇审核或备案的，审核后删掉下面每行开头的“# ”，改成实际情况",
    "attachments": "附件：扫描件、照片放在 content/村代码/编号/ 文件夹中，需要时删掉下面每行开头的“# ”",
    "corrections": "修订记录：决议或结果公开后如需修改，在这里新增一条，写明日期和原因",
}
_cats = [f"{k} {v}" for k, v in CATEGORIES.items()]
CATEGORY_HELP = ["# 类别从下面选一个，填英文代码："] + [
    "#   " + "　".join(_cats[i: i + 3]) for i in range(0, len(_cats), 3)]

BODY = "在这里写事项说明：为什么要办这件事，涉及哪些村民小组、多少农户，准备怎么办。\n"


def width(text: str) -> int:
    """Display width in a monospace editor: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def scalar(value: object) -> str:
    """A value as YAML that reads back as the same value (quoted only when it must be)."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"no skeleton value for {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d+(\.\d{1,2})?", text):
        return text  # dates and money are written as typed; the validator reads them that way
    dumped = yaml.safe_dump(text, allow_unicode=True, default_flow_style=True, width=1 << 20)
    return dumped.removesuffix("\n").removesuffix("\n...").removesuffix("...").rstrip("\n")


def describe(name: str, spec: F, parent: str = "") -> str:
    """The comment for one key: its meaning from the model, and whether it may be left out."""
    what = spec.what
    if parent in ("proposal", "deliberation") and name in ("votes", "outcome"):
        return what + "（票数和结果至少填一项）"
    if name in STEPS and name != "implementation" or name == "outcome":
        return what  # a step is owed sooner or later; an outcome is checked against the votes
    if not spec.required and "可选" not in what:
        what += "（可选）"
    return what


def _line(indent: int, text: str, comment: str, live: bool) -> str:
    line = " " * indent + text
    line = line if live else "# " + line
    pad = max(COMMENT_COLUMN - width(line), 2)
    return line + " " * pad + "# " + comment


def _field(name: str, spec: F, value: object, indent: int, live: bool, parent: str = "") -> list[str]:
    """Lines for one key. Maps and lists recurse into the model."""
    key = name + ":"
    comment = describe(name, spec, parent)
    if spec.kind == "map":
        out = [_line(indent, key, comment, live)]
        for sub, sub_spec in spec.fields.items():
            sub_value = value.get(sub) if isinstance(value, dict) else None
            if sub_value is None and sub == "date" and name in EXAMPLE_DATES:
                sub_value = EXAMPLE_DATES[name]
            sub_live = live and _is_live(sub, sub_spec, sub_value)
            out += _field(sub, sub_spec, sub_value, indent + 2, sub_live, parent=parent or name)
        return out
    if spec.kind == "list":
        out = [_line(indent, key, comment, live)]
        item = spec.item
        first = True
        for sub, sub_spec in item.fields.items():
            text = ("- " if first else "  ") + sub + ": " + scalar(sub_spec.example)
            out.append(_line(indent + 2, text, describe(sub, sub_spec, name), live))
            first = False
        return out
    shown = value if value is not None else spec.example
    return [_line(indent, key + " " + scalar(shown), comment, live)]


def _is_live(name: str, spec: F, value: object) -> bool:
    """Inside a live step: required keys, and the outcome that step 1 needs without votes."""
    return spec.required or name == "outcome" or value is not None


def skeleton_text(record_id: str, village: str, title: str, today: dt.date) -> str:
    """The whole file: front matter with a comment on every key, then a body to replace."""
    values: dict[str, object] = {
        "id": record_id,
        "title": title,
        "village": village,
        "category": DEFAULT_CATEGORY,
        "proposal": {"date": today.isoformat()},
    }
    lines = ["---", INTRO]
    for name, spec in RECORD.items():
        live = name in LIVE
        if name in HEADINGS or name in STEPS:
            lines += ["", "# ======== " + HEADINGS.get(name, spec.what + "：" + (NOW if live else LATER)) + " ========"]
        if name == "category":
            lines += CATEGORY_HELP
        lines += _field(name, spec, values.get(name), 0, live)
    lines += ["---", BODY]
    return "\n".join(lines)
