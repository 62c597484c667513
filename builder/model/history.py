"""History checks against a git revision (E080, E081): what was disclosed stays on record.

A disclosed ``resolution``, ``disclosure`` or ``result`` may change only together with a new
``corrections`` entry, and a disclosed record may not disappear.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .checks import LABELS
from .records import RawRecord, display, parse_front_matter
from .rules import Diagnostic, diag

GUARDED = ("resolution", "disclosure", "result")


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


def old_records(content: Path, base: str) -> dict[Path, bytes]:
    """Every record file under ``content`` as it was at ``base``, keyed by its path today."""
    top = Path(_git(["rev-parse", "--show-toplevel"], content).decode().strip())
    _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], top)
    rel = content.resolve().relative_to(top.resolve()).as_posix()
    listing = _git(["ls-tree", "-r", "-z", "--name-only", base, "--", rel or "."], top).decode("utf-8")
    names = [n for n in listing.split("\0") if n.endswith(".md") and n.count("/") - rel.count("/") == 2]
    if not names:
        return {}
    batch = _git(["cat-file", "--batch"], top, "".join(f"{base}:{n}\n" for n in names).encode())
    out: dict[Path, bytes] = {}
    pos = 0
    for name in names:
        header_end = batch.index(b"\n", pos)
        size = int(batch[pos:header_end].split()[2])
        out[top / name] = batch[header_end + 1: header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return out


def _parse(path: Path, blob: bytes) -> dict | None:
    try:
        text = blob.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
    rec = RawRecord(display(path), path, path.parent.name, path.stem, text)
    return rec.data if not parse_front_matter(rec) else None


def check_history(content: Path, base: str, current: dict[Path, RawRecord]) -> list[Diagnostic]:
    """E080/E081 for every record disclosed at ``base``; ``current`` maps resolved paths to
    today's parsed records (records that failed to parse are judged by their other errors)."""
    out: list[Diagnostic] = []
    for path, blob in old_records(content, base).items():
        old = _parse(path, blob)
        if not isinstance(old, dict) or "disclosure" not in old:
            continue
        file = display(path)
        if not path.exists() and not path.is_symlink():
            out.append(diag(file, None, "E081", base=base, file=file))
            continue
        now = current.get(path.resolve())
        if now is None or not isinstance(now.data, dict):
            continue
        added = len(_list(now.data.get("corrections"))) > len(_list(old.get("corrections")))
        for step in GUARDED:
            if step in old and now.data.get(step) != old[step] and not added:
                line = now.lines.get((step,)) or now.lines.get(("corrections",))
                out.append(diag(now.file, line, "E080", step=LABELS[step], base=base))
    return out


def _list(value: object) -> list:
    return value if isinstance(value, list) else []
