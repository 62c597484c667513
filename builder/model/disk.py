"""The disk step: a content folder's files to ``Sources`` (their bytes), and attachments as the
checks may look at them (``DiskFiles``).

Plain reads and ``stat`` calls and nothing else: what only the disk can tell (a link, a file too
large to read, E004 and E005; a file that looks like a record but is not named as one, E006)
is found here; everything else is judged from the bytes, in
``validate``, the same for a folder on disk and for files held in memory.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from pathlib import Path

from .records import MAX_RECORD_BYTES, too_large
from .rules import Diagnostic, diag
from .sources import HEAD, REGISTRY, Found, Source, Sources, misplaced


def display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it.
    The file itself is not resolved, so a symbolic link is shown as the link, not its target."""
    if not path.is_absolute():
        return str(path)
    full = os.path.join(_real(os.path.dirname(path)), path.name)
    cwd = _real(os.getcwd())
    prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
    return full[len(prefix):] if full.startswith(prefix) else str(path)


def real_path(path: Path) -> Path:
    """``path.resolve()`` for a file that is not itself a link, resolving its folder only once."""
    return Path(_real(os.path.abspath(os.path.dirname(path)))) / path.name


@functools.lru_cache(maxsize=4096)
def _real(folder: str) -> str:
    """An absolute folder with its links resolved: once per folder rather than once per file."""
    return os.path.realpath(folder)


def find_records(content: Path) -> list[Path]:
    """Every ``*.md`` below ``content``, in a stable order (the build must be reproducible).

    A folder that is a symbolic link is listed too, not walked, so that it is refused (E005)
    rather than silently left out."""
    found = []
    for root, dirs, files in os.walk(content):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / d for d in dirs if (Path(root) / d).is_symlink()]
        found += [Path(root) / f for f in sorted(files) if f.endswith(".md")]
    return found


def read_source(path: Path, content: Path) -> Source:
    """One record file's bytes, or why they are not to be read (E004, E005). A misplaced file
    is not read: it is refused for its place."""
    file = display(path)
    if path.is_symlink():
        return Source(file, path, problem=diag(file, None, "E005", detail=_link(path, content)))
    if misplaced(path, content):
        return Source(file, path)
    if not path.is_file():
        return Source(file, path, problem=diag(file, None, "E005", detail="不是普通文件"))
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            return Source(file, path, problem=too_large(file, size))
        data = path.read_bytes()
    except OSError as exc:
        return Source(file, path, problem=diag(file, None, "E005", detail=f"无法读取文件：{exc.strerror}"))
    return Source(file, path, data, real=real_path(path))  # a record read is never a link (E005)


def _link(path: Path, content: Path) -> str:
    target = path.resolve()
    inside = content.resolve() in target.parents
    where = "content/ 之内的其他文件" if inside else "content/ 之外"
    what = "文件夹" if target.is_dir() else "记录"
    return f"{what}是一个符号链接，指向 {where}（{target.name}）"


def read_registry(content: Path) -> Source:
    path = content / REGISTRY
    file = display(path)
    if not path.is_file():
        return Source(file, path, problem=diag(file, None, "E090", detail=f"找不到村庄登记文件 {file}",
                                               hint=_registry_hint(content)))
    return Source(file, path, path.read_bytes())


def read_sources(content: Path, only: list[Path] | None = None) -> Sources:
    """The content folder (or just the ``only`` files in it), read; a whole folder also with
    E006 for each file in it that looks like a record but would not be read as one."""
    paths = only if only is not None else find_records(content)
    around = misnamed_records(content) if only is None else []
    return Sources(content, read_registry(content), [read_source(p, content) for p in paths], around)


def _registry_hint(content: Path) -> str | None:
    """A file that was meant to be villages.yml (``villages.yaml``, ``Villages.yml.txt``)."""
    near = sorted(p.name for p in content.glob("*") if p.is_file() and p.name.lower().startswith("villages"))
    return f"content/ 中有 {near[0]}，请把它改名为 {REGISTRY}" if near else None


# A file that is meant to be a record: its name starts with an id (2026-007.md.txt, 2026-008.MD,
# 2026-009), or it is a text or Markdown file by its extension. Other files in a village folder
# (Thumbs.db, a stray photo) are not records; attachments live in <village>/<id>/ and are not
# looked at here.
_ID_START = re.compile(r"^\s*(\d{4})\s*[-_－—]\s*(\d{1,3})(?!\d)")
_TEXT_TYPES = {"", ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".text", ".yml", ".yaml"}
_ATTACHMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".webp"}
_ID_LINE = re.compile(r"^id:\s*[\"']?(\d{4}-\d{3})\b", re.M)


def misnamed_records(content: Path) -> list[Diagnostic]:
    """E006 for every file in ``content`` or a village folder that looks like a record but does
    not end in ``.md``: it would be neither checked nor published, without a word."""
    out: list[Diagnostic] = []
    try:
        top = sorted(content.iterdir())
    except OSError:
        return out
    for entry in top:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            out += [d for f in sorted(entry.iterdir()) if (d := misnamed(f, content)) is not None]
        elif entry.name != REGISTRY and _ID_START.match(entry.name) and (d := misnamed(entry, content)) is not None:
            out.append(d)
    return out


def misnamed(path: Path, content: Path) -> Diagnostic | None:
    """E006 when ``path`` (in a village folder) looks like a record but is not named ``*.md``."""
    name = path.name
    if name.endswith(".md") or name.startswith(".") or not path.is_file():
        return None
    stem, suffix = _split(name)
    m = _ID_START.match(name)
    if (m is None and suffix not in _TEXT_TYPES) or suffix in _ATTACHMENT_TYPES:
        return None  # not a record; an attachment out of place is E070's, when a record lists it
    record_id = f"{m[1]}-{int(m[2]):03d}" if m else _id_inside(path)
    village = path.parent.name if path.parent != content else "村代码"
    right = f"{record_id}.md" if record_id else "编号.md（例如 2026-007.md）"
    file = display(path)
    if suffix not in _TEXT_TYPES:
        return diag(file, None, "E006", name=name, detail=f"记录必须是 .md 文本文件，不能是 {suffix} 文件",
                    hint=f"把内容复制到一个 UTF-8 文本文件中，保存为 content/{village}/{right}")
    if path.parent == content:
        return diag(file, None, "E006", name=name, detail="记录没有放在村文件夹中，也不以 .md 结尾",
                    hint=f"请把文件移到 content/村代码/ 文件夹中，并改名为 {right}")
    if record_id and (path.parent / right).exists():
        return diag(file, None, "E006", name=name, detail=f"编号与已有的 {right} 相同，但不以 .md 结尾",
                    hint=f"如果是同一条记录的旧稿或副本，请合并到 {right} 后删除 {name}")
    return diag(file, None, "E006", name=name, detail="记录文件必须以 .md 结尾（小写）",
                hint=f"请把文件改名为 {right}" + ("（注意“隐藏已知文件类型的扩展名”时，真实的文件名可能多了 .txt）"
                                                 if name.lower().endswith(".txt") else ""))


def _split(name: str) -> tuple[str, str]:
    """A name's stem and its last extension, lower case and without spaces around it."""
    clean = name.strip().rstrip(".")
    dot = clean.rfind(".")
    if dot <= 0:
        return clean, ""
    return clean[:dot], clean[dot:].strip().lower()


def _id_inside(path: Path) -> str:
    """The id a text file gives itself on an ``id:`` line, or ''."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    m = _ID_LINE.search(head)
    return m[1] if m else ""


class DiskFiles:
    """Attachments on disk, below ``content``. ``image_size`` decodes an image (the engine
    passes Pillow's); without it, photos are not opened."""

    def __init__(self, content: Path, image_size: Callable[[Path], tuple[int, int]] | None = None) -> None:
        self.content, self.decode = content, image_size

    def find(self, folder: Path, name: str) -> Found:
        path = folder / name
        if folder.is_symlink() or (folder.exists() and self.content.resolve() not in folder.resolve().parents):
            return Found("folder-link")
        if path.is_symlink() or (path.exists() and folder.resolve() not in path.resolve().parents):
            return Found("file-link")
        if not path.is_file():
            return Found("missing")
        with path.open("rb") as fh:
            return Found("file", path.stat().st_size, fh.read(HEAD))

    def image_size(self, path: Path) -> tuple[int, int] | None:
        return None if self.decode is None else self.decode(path)
