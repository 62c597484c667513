"""What validation gives: the records that passed, every diagnostic, and the villages.

Domain types, shared by the pipeline that makes them (``validate``) and the views that show
them, so that a view imports the types, not the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .records import RawRecord, Village
from .rules import ERROR, Diagnostic
from .status import Derived


@dataclass
class Record:
    """A record that passed every error check: what the site is built from."""

    raw: RawRecord
    data: dict
    derived: Derived
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def village(self) -> str:
        return self.data["village"]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def sha256(self) -> str:
        """Of the file's bytes as committed: shown on the matter page and in the manifest."""
        return self.raw.sha256


@dataclass
class Report:
    villages: dict[str, Village] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    checked: int = 0
    parsed: dict[Path, RawRecord] = field(default_factory=dict)  # resolved path -> readable record
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity == ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


def as_text(d: Diagnostic) -> str:
    """One diagnostic as a person reads it: ``file:line: CODE message``, then the hint."""
    where = f"{d.file}:{d.line}" if d.line else d.file
    return f"{where}: {d.code} {d.message}" + (f"\n    提示：{d.hint}" if d.hint else "")
