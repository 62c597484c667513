"""The disk step: a content folder's files to ``Sources`` (their bytes), and attachments as the
checks may look at them (``DiskFiles``).

Plain reads and ``stat`` calls and nothing else: what only the disk can tell (a link, a file too
large to read, E004 and E005) is found here; everything else is judged from the bytes, in
``validate``, the same for a folder on disk and for files held in memory.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path

from .records import MAX_RECORD_BYTES, too_large
from .rules import diag
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
    return Source(display(path), path, path.read_bytes() if path.is_file() else None)


def read_sources(content: Path, only: list[Path] | None = None) -> Sources:
    """The content folder (or just the ``only`` files in it), read."""
    paths = only if only is not None else find_records(content)
    return Sources(content, read_registry(content), [read_source(p, content) for p in paths])


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
