"""Record files as they were at a git revision, for the history checks (``validate --base``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .model.disk import display
from .model.sources import Source


class GitError(Exception):
    pass


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"无法运行 git：{exc}") from exc
    if done.returncode:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} 失败")
    return done.stdout


def old_records(content: Path, base: str) -> list[Source]:
    """Every record file under ``content`` as it was at ``base``, by its path today."""
    top = Path(_git(["rev-parse", "--show-toplevel"], content).decode().strip())
    _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    rel = content.resolve().relative_to(top.resolve()).as_posix()
    listing = _git(["ls-tree", "-r", "-z", "--name-only", base, "--", rel or "."], top).decode("utf-8")
    names = [n for n in listing.split("\0") if n.endswith(".md") and n.count("/") - rel.count("/") == 2]
    if not names:
        return []
    batch = _git(["cat-file", "--batch"], top, "".join(f"{base}:{n}\n" for n in names).encode())
    out: list[Source] = []
    pos = 0
    for name in names:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        path = top / name
        out.append(Source(display(path), path, batch[header_end + 1: header_end + 1 + size], real=path.resolve()))
        pos = header_end + 1 + size + 1
    return out


def exists(path: Path) -> bool:
    """A record file is there today (a link counts: it is refused for what it is, E005)."""
    return path.exists() or path.is_symlink()
