"""What validation reads, held in memory: each record file's bytes, the registry's, and what the
attachment checks (E070) may learn of a file.

The disk step (``disk``) fills these from a content folder; an editor in a browser fills them
from what it holds (``in_memory``, ``MemoryFiles``). Validation itself (``validate``) reads
nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .rules import Diagnostic

REGISTRY = "villages.yml"


@dataclass(frozen=True)
class Source:
    """One file as found: its bytes, or why they could not be read."""

    file: str  # as shown in diagnostics
    path: Path  # through the content folder: content/<village>/<id>.md
    data: bytes | None = None  # None: missing, or not read (``problem`` says why, if it matters)
    problem: Diagnostic | None = None  # E004, E005: the file is not for reading
    real: Path | None = None  # the path with links resolved, when it differs (history compares by it)

    @property
    def key(self) -> Path:
        return self.real or self.path


@dataclass
class Sources:
    """A content folder as validation sees it."""

    root: Path  # the content folder, as given: attachments and messages are named through it
    registry: Source  # villages.yml
    records: list[Source] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)  # files beside them: not records, but look like ones (E006)


@dataclass(frozen=True)
class Found:
    """What the attachment check learns of one file in a matter's folder.

    ``state``: ``file``; ``missing``; ``folder-link`` (the folder leads out of the content
    folder); ``file-link`` (the file leads out of its folder)."""

    state: str
    size: int = 0
    head: bytes = b""  # its first bytes, enough to tell the file type


class Files(Protocol):
    """The attachments as validation may look at them, passed in by whoever holds them."""

    def find(self, folder: Path, name: str) -> Found:
        """The file ``name`` in the matter folder ``folder``."""

    def image_size(self, path: Path) -> tuple[int, int] | None:
        """(width, height) of an image that opens; None when this holder cannot decode images
        (then only its type and size are checked). Raises for an image that does not open."""


HEAD = 12  # bytes: the longest signature the checks compare (RIFF....WEBP)


class MemoryFiles:
    """Attachments held in memory, by their path (``content/dongliu/2025-002/photo.jpg``).
    ``image_size``, when given, decodes images; without it, photos are not opened."""

    def __init__(self, files: Mapping[Path, bytes],
                 image_size: Callable[[bytes], tuple[int, int]] | None = None) -> None:
        self.files, self.decode = {Path(k): v for k, v in files.items()}, image_size

    def find(self, folder: Path, name: str) -> Found:
        data = self.files.get(folder / name)
        return Found("missing") if data is None else Found("file", len(data), data[:HEAD])

    def image_size(self, path: Path) -> tuple[int, int] | None:
        return None if self.decode is None else self.decode(self.files[path])


NO_FILES = MemoryFiles({})  # no attachment is there: each one listed is missing (E070)


def misplaced(path: Path, root: Path) -> bool:
    """Not directly in a village folder: told from the path alone (E022)."""
    return len(path.relative_to(root).parts) != 2


def in_memory(root: Path, files: Mapping[str, bytes]) -> tuple[Sources, MemoryFiles]:
    """A content folder held as ``{path inside it: bytes}`` (``"dongliu/2025-001.md"``): the
    records in the order the disk step lists them, and its other files as attachments."""
    root = Path(root)
    registry = Source(str(root / REGISTRY), root / REGISTRY, files.get(REGISTRY))
    names = sorted((n for n in files if n.endswith(".md")), key=_walk_order)
    records = [Source(str(root / n), root / n, files[n]) for n in names]
    others = {root / n: data for n, data in files.items() if not n.endswith(".md") and n != REGISTRY}
    return Sources(root, registry, records), MemoryFiles(others)


def _walk_order(name: str) -> tuple:
    """Files of a folder before its subfolders, each level sorted, as ``os.walk`` gives them."""
    parts = name.split("/")
    return tuple((1, p) for p in parts[:-1]) + ((0, parts[-1]),)
