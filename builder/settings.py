"""Site settings that the rules depend on: deadlines and the public phone numbers.

They live in the ``cunwu`` plugin's block of ``mkdocs.yml``; the validator reads the same
block, so a check on the command line and the build agree.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

PLUGIN = "cunwu"


@dataclass(frozen=True)
class Settings:
    disclosure_within_days: int = 7
    notice_min_days: int = 7
    result_within_days: int = 15
    result_grace_days: int = 30
    public_phones: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_mapping(cls, data: dict) -> Settings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "public_phones" in values:
            values["public_phones"] = tuple(str(p) for p in values["public_phones"] or ())
        return cls(**values)


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml may hold ``!!python/name:`` and ``!ENV`` tags; they are not ours to run."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def load_settings(config: Path | None) -> Settings:
    """Settings from a mkdocs.yml; defaults when there is none."""
    if config is None:
        config = Path("mkdocs.yml")
        if not config.is_file():
            return Settings()
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Lenient) or {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN in entry:
            return Settings.from_mapping(entry[PLUGIN] or {})
    return Settings()


def build_date(value: str | None = None) -> dt.date:
    """The build date: ``value``, else ``CUNWU_TODAY``, else today."""
    text = value or os.environ.get("CUNWU_TODAY")
    return dt.date.fromisoformat(text) if text else dt.date.today()
