"""Loading: a file's bytes to a raw record (values with line marks), and the village registry.

Nothing here judges a record beyond whether it can be read at all (E001–E003, E002 for YAML,
E090 for the registry); the rules come later. Nothing here reads the disk: ``disk`` does, and
checks what only the disk can tell (E004, E005).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import chars
from .rules import Diagnostic, diag
from .schema import SUPERVISION, VILLAGE, VILLAGE_PATTERN
from .sitenames import RESERVED
from .typecheck import check_map
from .yamlnodes import MAX_DEPTH, MAX_NODES, DuplicateKey, TooComplex, build, line_of, safe_compose, values

MAX_RECORD_BYTES = 1024 * 1024


@dataclass
class RawRecord:
    """A record as read: values with the line of each key, the Markdown body, the source text."""

    file: str  # as shown in diagnostics
    path: Path
    village_dir: str  # the folder it sits in
    stem: str  # file name without .md
    text: str
    data: Any = None
    body: str = ""
    body_line: int = 1
    front: str = ""  # the front matter's YAML text, which starts on line 2
    sha256: str = ""  # of the file's bytes as read
    _lines: dict | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> dict:
        """The line of every key: ``("resolution", "votes")`` → 1-based line. Only a record with
        something to report needs them, so they are worked out on first use (recording them for
        every record was a noticeable part of validation: README, Performance)."""
        if self._lines is None:
            self._lines = {}
            if self.front:
                _, self._lines, _ = parse_yaml(self.front, self.file, first_line=2)
        return self._lines

    @lines.setter
    def lines(self, value: dict) -> None:
        self._lines = value


@dataclass
class Village:
    id: str
    name: str
    township: str = ""
    counts: dict = field(default_factory=dict)  # party_members, representatives, ...
    line: int | None = None
    supervision: dict = field(default_factory=dict)  # supervision_contact, supervision_phone: public


def _decode(data: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    if b"\x00" in data:
        return None, diag(file, None, "E001", detail="这是二进制文件，不是文本",
                          hint="记录必须是文本文件（.md）；图片、扫描件请作为附件放在同名文件夹中")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gbk")
        except UnicodeDecodeError:
            return None, diag(file, line, "E001", detail=f"第 {line} 行有无法识别的字节")
        return None, diag(file, line, "E001", detail="看起来是 GBK 编码",
                          hint="文件是 GBK（简体中文 Windows 的默认编码）保存的，请另存为 UTF-8 编码")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), None


def too_large(file: str, size: int) -> Diagnostic:
    return diag(file, None, "E004", size=f"{size / 1024 / 1024:.1f} MB")


def parse_record(file: str, path: Path, data: bytes) -> tuple[RawRecord | None, list[Diagnostic]]:
    """One record file's bytes to a raw record; on failure the reason instead."""
    if len(data) > MAX_RECORD_BYTES:
        return None, [too_large(file, len(data))]
    text, problem_diag = _decode(data, file)
    if problem_diag:
        return None, [problem_diag]
    controls = control_chars(text, file)
    if controls:
        return None, controls
    rec = RawRecord(file, path, path.parent.name, path.stem, text)
    # Hashed now, from the bytes as read: the site shows it, and reading every file again costs.
    rec.sha256 = hashlib.sha256(data).hexdigest()
    return rec, parse_front_matter(rec)


def control_chars(text: str, file: str, first_line: int = 1) -> list[Diagnostic]:
    """E007 for each line (the first few) of ``text`` that holds a control character."""
    out: list[Diagnostic] = []
    last = 0
    while len(out) < 5:
        m = chars.control(text[last:])
        if m is None:
            break
        line = chars.line_at(text, last + m.start(), first_line)
        out.append(diag(file, line, "E007", where=f"第 {line} 行", char=chars.name(m[0])))
        end = text.find("\n", last + m.start())
        if end < 0:
            break
        last = end + 1
    return out


_FENCE = re.compile(r"^---[ \t]*$", re.M)


def parse_front_matter(rec: RawRecord) -> list[Diagnostic]:
    text = rec.text
    if not text.strip():
        return [diag(rec.file, 1, "E003", detail="：文件是空的")]
    if not text.startswith("---") or not _FENCE.match(text.split("\n", 1)[0]):
        return [diag(rec.file, 1, "E003", detail="：第一行不是 ---")]
    first_end = text.find("\n") + 1 or len(text)
    closing = _FENCE.search(text, first_end)
    if closing is None:
        return [diag(rec.file, 1, "E003", detail="：缺少结束的 --- 行",
                     hint="信息区填完后另起一行写 ---，再写正文")]
    front = text[first_end: closing.start()]
    after = text[closing.end():]
    body_start = closing.end() + len(after) - len(after.lstrip("\n"))
    rec.body = text[body_start:]
    rec.body_line = text[:body_start].count("\n") + 1
    data, _, problem = parse_yaml(front, rec.file, first_line=2, with_lines=False)
    if problem:
        return [problem]
    if not isinstance(data, dict):
        return [diag(rec.file, 2, "E003", detail="：信息区里没有“键: 值”形式的内容",
                     hint="每行写成 键: 值，例如 id: 2024-003；冒号用英文半角“:”，后面留一个空格")]
    rec.data, rec.front, rec.lines = data, front, None  # lines: on first use
    return []


def parse_yaml(text: str, file: str, first_line: int = 1,
               with_lines: bool = True) -> tuple[Any, dict, Diagnostic | None]:
    """Parse YAML with line marks counted from ``first_line``; a syntax error becomes E002.
    ``with_lines=False`` gives the same values and errors without the line marks (``{}``)."""
    try:
        node = safe_compose(text)
        lines: dict = {}
        if node is None:
            data = None
        elif with_lines:
            data = build(node, (), lines, first_line=first_line)
        else:
            data = values(node, first_line=first_line)
    except DuplicateKey as exc:
        return None, {}, diag(file, exc.line, "E002", detail=f"字段 {exc.key} 重复出现",
                              hint="同一个字段只能写一次，请删除或合并重复的一行")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and str(exc.context or "").startswith(_OPENED):
            mark = exc.context_mark  # an unclosed quote or bracket: point at where it was opened
        line = mark.line + first_line if mark else first_line
        hint, culprit = _yaml_hint(text, mark, first_line)
        if culprit is not None:
            line = culprit + first_line
        return None, {}, diag(file, line, "E002", detail=_yaml_problem(exc), hint=hint)
    except TooComplex as exc:
        detail, hint = _too_complex(exc.why, text)
        line = first_line + (exc.line or 0)
        return None, {}, diag(file, line, "E002", detail=detail, hint=hint)
    except RecursionError:
        detail, hint = _too_complex("deep", text)
        return None, {}, diag(file, first_line, "E002", detail=detail, hint=hint)
    except yaml.YAMLError:  # the reader's errors have no mark; control characters are E007 before
        return None, {}, diag(file, first_line, "E002", detail="有无法识别的字符")
    return data, lines, None


_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]")


def _too_complex(why: str, text: str) -> tuple[str, str]:
    """What to tell the secretary about ``TooComplex``: its message detail and hint."""
    if why == "deep":
        return (f"嵌套层次太深（超过 {MAX_DEPTH} 层），无法读取",
                "记录只需要“键: 值”、列表和缩进；请检查这一行是否多了成串的 [ 或 {")
    if why == "key":
        return "字段名只能是文字，不能是列表或花括号", "每行写成 键: 值；不要用 ? 开头，也不要用 [ ] 或 { } 作字段名"
    if _ALIAS.search(text):
        return "用了 & 和 * 引用，展开后内容太多，无法读取", "记录中不要用 & 和 * 引用；文字中有 &、* 时请加引号"
    return (f"信息区的内容太多（超过 {MAX_NODES} 项），无法读取",
            "一条记录只写一件事项；实施进展只记主要的几次，详细经过写在正文中")


_OPENED = ("while scanning a quoted scalar", "while parsing a flow mapping", "while parsing a flow sequence")
_PROBLEMS = {
    "could not find expected ':'": "找不到冒号“:”",
    "mapping values are not allowed here": "这里不能出现“键: 值”（可能是缩进不对，或文字中的冒号需要加引号）",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”（可能是缩进不对，或文字中的冒号需要加引号）",
    "found character '\\t' that cannot start any token": "出现了制表符（Tab）",
    "found character that cannot start any token": "出现了不能放在开头的字符（制表符 Tab，或 @、` 等符号；文字请加引号）",
    "did not find expected comment or line break": "一行中多了内容（可能是引号后面还有文字，或缩进不对）",
    "did not find expected node content": "缺少内容（可能是缩进不对，或多了符号）",
    "did not find expected alphabetic or numeric character": "& 或 * 后面缺少名称（文字中有 &、* 时请加引号）",
    "block sequence entries are not allowed in this context": "这里不能出现以“- ”开头的列表项（可能是缩进不对）",
    "did not find expected '-' indicator": "列表项的缩进不对",
    "could not find expected directive name": "以 % 开头的行无法识别（文字中有 % 时请加引号）",
    "found a tab character": "出现了制表符（Tab）",
    "did not find expected key": "缩进不对，找不到下一个字段",
    "found undefined alias": "出现了未定义的 * 引用",
    "found unexpected end of stream": "内容意外结束（引号或括号没有闭合？）",
    "did not find expected ',' or '}'": "花括号 { } 中缺少逗号或右括号",
    "did not find expected ',' or ']'": "方括号 [ ] 中缺少逗号或右括号",
    "found unknown escape character": "引号中有无法识别的反斜杠转义",
    "did not find expected hexdecimal number": "引号中的 \\x 或 \\u 转义后面缺少十六进制数字",
    "found invalid Unicode character escape code": "引号中的 \\u 转义不是有效的字符",
    "did not find expected <document start>": "信息区的写法无法识别（第一个字段前面不要有空格，也不要写 ...）",
    "but found another document": "信息区中间多了一行 ---（信息区只能在开头和结尾各有一行 ---）",
    "found unexpected document indicator": "文字中间出现了 --- 或 ...（引号没有闭合？）",
    "found duplicate %YAML directive": "以 % 开头的行无法识别（文字中有 % 时请加引号）",
    "found undefined tag handle": "以 ! 开头的文字无法识别（文字中有 ! 时请加引号）",
    "did not find the expected tag URI": "以 ! 开头的文字无法识别（文字中有 ! 时请加引号）",
    "did not find the expected '>'": "以 ! 开头的文字无法识别（文字中有 ! 时请加引号）",
    "did not find expected whitespace or line break": "符号后面缺少空格（文字中有 !、&、* 时请加引号）",
    "second occurrence": "同一个 & 名称用了两次（文字中有 & 时请加引号）",
    "found an indentation indicator equal to 0": "| 或 > 后面的数字不能是 0",
    "mapping keys are not allowed in this context": "这里不能以 ? 开头（文字中有 ? 时请加引号）",
    "found unknown directive": "以 % 开头的行无法识别（文字中有 % 时请加引号）",
}


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = str(exc.problem or exc.context or "")
    for needle, chinese in _PROBLEMS.items():
        if needle in problem:
            return chinese
    return "这一行的写法无法识别"  # never libyaml's English: a secretary could not act on it


def _yaml_hint(text: str, mark: Any, first_line: int = 1) -> tuple[str, int | None]:
    """A sharper hint, and the 0-based line of the culprit when one is recognised."""
    lines = text.split("\n")
    row = mark.line if mark else 0
    # The culprit is often the line before the one the parser stops on, or further up.
    near = [i for i in (row, row - 1) if 0 <= i < len(lines)]
    order = near + list(range(len(lines)))
    for i in order:
        line = lines[i]
        hidden = chars.invisible(line.replace("\u3000", ""))  # U+3000 has its own hints below
        if hidden and (i in near or _structural(line, hidden.start())):
            return (f"第 {i + first_line} 行有不可见字符 {chars.name(hidden[0])}，"
                    "请删除它，或改成普通半角空格"), i
        indent = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        if "\t" in indent:
            return "缩进中有制表符（Tab），请全部改用空格缩进", i
        if "\u3000" in indent or "\u3000" in line.split(":")[0] or re.match(r"^\s*[A-Za-z_][\w-]*:\u3000", line):
            return "有全角空格“　”，请改成半角空格", i
        if re.match(r"^\s*[A-Za-z_][\w-]*\s*：", line):
            return "冒号要用英文半角“:”，不要用中文全角“：”，冒号后留一个空格", i
        tight = re.match(r"^\s*(?:- )?([a-z_]+):(?=[^\s:/])", line)
        if tight and i in near:
            return f"冒号后要留一个空格：把“{tight[1]}:”改成“{tight[1]}: ”", i
    return RULE_E002_HINT, None


def _structural(line: str, pos: int) -> bool:
    """Whether ``pos`` is in the line's indentation, its key, or right after the key's colon:
    where an invisible character breaks the YAML rather than sitting in a value."""
    colon = line.find(":")
    return pos <= len(line) - len(line.lstrip()) or colon < 0 or pos <= colon + 1


RULE_E002_HINT = "检查这一行的冒号、缩进和引号：冒号用英文半角“:”，冒号后留一个空格，缩进用空格"


class Registry(dict):
    """The villages by id. ``complete`` is False when villages.yml has an error: a village
    missing from it may be the one that could not be read, so records are not told that their
    village is not registered (E022) on top of the registry's own error."""

    complete: bool = True


def _unreadable(problems: list[Diagnostic], villages: dict | None = None) -> tuple[Registry, list[Diagnostic]]:
    registry = Registry(villages or {})
    registry.complete = False
    return registry, problems


def parse_villages(file: str, raw: bytes | None, missing: Diagnostic | None = None) -> tuple[Registry, list[Diagnostic]]:
    """``villages.yml``'s bytes (None: there is no such file; ``missing`` then says so, with what
    the folder holds instead) to the registry; every problem is E090 (E007 for a control
    character) and leaves the registry empty or partial."""
    if raw is None:
        return Registry(), [missing or diag(file, None, "E090", detail=f"找不到村庄登记文件 {file}")]
    text, bad = _decode(raw, file)
    if bad:
        return _unreadable([diag(file, bad.line, "E090", detail="villages.yml " + bad.message, hint=bad.hint)])
    controls = control_chars(text, file)
    if controls:
        return _unreadable([diag(file, d.line, "E090", detail="villages.yml " + d.message, hint=d.hint) for d in controls])
    data, lines, problem = parse_yaml(text, file)
    if problem:
        return _unreadable([diag(file, problem.line, "E090", detail="villages.yml " + problem.message,
                                 hint=problem.hint)])
    villages, problems = _registry(data, lines, file)
    return _unreadable(problems, villages) if problems else (Registry(villages), [])


def _registry(data: Any, lines: dict, file: str) -> tuple[dict[str, Village], list[Diagnostic]]:
    if not isinstance(data, dict) or not isinstance(data.get("villages"), list):
        return {}, [diag(file, 1, "E090", detail="villages.yml 应以 villages: 开头，下面每个村一项")]
    villages: dict[str, Village] = {}
    problems: list[Diagnostic] = []
    for i, entry in enumerate(data["villages"]):
        village, own = _village(entry, i, lines, file, villages)
        problems += own
        if village is not None:
            villages[village.id] = village
    return villages, problems


def _village(entry: Any, i: int, lines: dict, file: str,
             seen: dict[str, Village]) -> tuple[Village | None, list[Diagnostic]]:
    path = ("villages", i)
    own: list[Diagnostic] = []

    def report(code: str, at: tuple, hint: str | None = None, **fields: object) -> None:
        inner = diag(file, None, code, hint=hint, **fields)
        own.append(diag(file, line_of(lines, at), "E090", detail=f"第 {i + 1} 个村：{inner.message}", hint=inner.hint))

    if not isinstance(entry, dict):
        report("E012", path, field="村", detail="应为 id、name 等子项", fix="每个村写成 - id: …")
        return None, own
    clean = check_map(VILLAGE, entry, path, report)
    if own and not ("id" in clean and "name" in clean):
        return None, own
    at = line_of(lines, path + ("id",))
    if not re.match(VILLAGE_PATTERN, clean["id"]):
        return None, [diag(file, at, "E090", detail=f"村代码 {clean['id']} 只能用小写字母、数字和连字符")]
    if clean["id"] in seen:
        return None, [diag(file, at, "E090", detail=f"村代码 {clean['id']} 重复", hint="每个村的 id 必须不同")]
    if clean["id"] in RESERVED:
        return None, [diag(file, at, "E090", detail=f"村代码 {clean['id']} 是网站自己使用的名称，不能作为村代码",
                           hint=f"网站的 /{clean['id']}/ 已有别的用途，这个村的网页会被覆盖或无法打开；"
                                f"请换一个村代码（例如村名的拼音），并同时改名 content/{clean['id']}/ 文件夹"
                                f"和其中记录的 village；网站使用的名称：{'、'.join(sorted(RESERVED))}")]
    # With its id and name right the village stands (a wrong count is left out and reported):
    # its records are not all told that their village is unknown.
    supervision = {k: clean[k] for k in SUPERVISION if clean.get(k)}
    counts = {k: v for k, v in clean.items() if k not in ("id", "name", "township", *SUPERVISION)}
    return Village(clean["id"], clean["name"], clean.get("township", ""), counts, line_of(lines, path),
                   supervision), own
