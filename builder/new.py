"""``python -m builder new``: a new record file, with the next free number, from the skeleton
of ``model.skeleton``; refused unless it passes the validator as it stands."""

from __future__ import annotations

import re
from pathlib import Path

from .config import load_settings
from .engine.parallel import validate_content
from .model.disk import read_registry
from .model.records import parse_villages
from .model.schema import RECORD, VILLAGE_PATTERN
from .model.settings import build_date
from .model.skeleton import skeleton_text
from .usage import UsageError


def next_id(folder: Path, year: int) -> str:
    """The first number after every record or attachment folder of ``year`` in ``folder``."""
    used = [0]
    if folder.is_dir():
        pattern = re.compile(rf"^{year:04d}-(\d{{3}})(?:\.md)?$")
        used += [int(m[1]) for p in folder.iterdir() if (m := pattern.match(p.name))]
    number = max(used) + 1
    if number > 999:
        raise UsageError(f"{folder.as_posix()} 中 {year} 年的编号已用到 999，无法再新建")
    return f"{year:04d}-{number:03d}"


def write_new(content: Path, village: str, title: str, year: int) -> Path:
    """Write ``content/<village>/<year>-<next NNN>.md`` and return its path.

    Refuses (``UsageError``, exit code 2) an unknown village, a title the validator would
    refuse, or a skeleton that for any reason would not pass the validator."""
    if not content.is_dir():
        raise UsageError(f"找不到 content 文件夹 {content.as_posix()}")
    registry = read_registry(content)
    villages, problems = parse_villages(registry.file, registry.data)
    if village not in villages:
        if not re.fullmatch(VILLAGE_PATTERN.strip("^$"), village):
            why = f"村代码“{village}”格式不对：只能用小写字母、数字和连字符"
        else:
            why = f"村代码“{village}”没有在 {(content / 'villages.yml').as_posix()} 中登记"
        known = "、".join(f"{v.id}（{v.name}）" for v in villages.values()) or "（暂无）"
        extra = "；villages.yml 本身有错误，请先运行 python -m builder validate" if problems else ""
        raise UsageError(f"{why}。已登记的村：{known}{extra}")
    title = title.strip()
    limit = RECORD["title"].max_len
    if not title or "\n" in title or "\r" in title:
        raise UsageError("标题不能为空，也不能换行")
    if len(title) > limit:
        raise UsageError(f"标题有 {len(title)} 个字，最多 {limit} 个")
    if not 1000 <= year <= 9999:
        raise UsageError(f"年份 {year} 不对，应为四位数")

    today = build_date(None)
    folder = content / village
    folder.mkdir(exist_ok=True)
    record_id = next_id(folder, year)
    path = folder / f"{record_id}.md"
    with path.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(skeleton_text(record_id, village, title, today))

    report = validate_content(content, load_settings(None), today, [path])
    errors = [d for d in report.diagnostics if d.severity == "error"]
    if errors:
        path.unlink()
        found = "；".join(f"{d.code} {d.message}" for d in errors)
        raise UsageError(f"新记录没有通过检查，未写入：{found}")
    return path
