"""Site settings that the rules depend on: deadlines and the public phone numbers, as plain data.

They live in the ``cunwu`` plugin's block of ``mkdocs.yml``: the plugin hands its block to
``Settings.from_mapping`` and the command line reads the same block (``builder.config``), so a
check on the command line and the build agree. The defaults are written here only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Settings:
    disclosure_within_days: int = 7
    notice_min_days: int = 7
    result_within_days: int = 15
    result_grace_days: int = 30
    public_phones: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_mapping(cls, data: dict) -> Settings:
        """Settings from the plugin's block; a value of the wrong type is a ``ValueError`` (it
        would otherwise surface as a crash in the middle of the checks)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name, value in values.items():
            if name != "public_phones" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"站点设置 {name} 应为不小于 0 的整数，现在是 {value!r}")
        if "public_phones" in values:
            phones = values["public_phones"] or ()
            if not isinstance(phones, (list, tuple)) or not all(
                    isinstance(p, (str, int)) and not isinstance(p, bool) for p in phones):
                raise ValueError(f"站点设置 public_phones 应为电话号码的列表，现在是 {phones!r}")
            values["public_phones"] = tuple(str(p) for p in phones)
        return cls(**values)


DEFAULTS = Settings()


def build_date(value: str | None = None) -> dt.date:
    """The build date: ``value``, else ``CUNWU_TODAY``, else today. Only YYYY-MM-DD: Python's
    ``fromisoformat`` also takes ``20261125`` and ``2026-W48-3``, which no one means as a day."""
    text = value or os.environ.get("CUNWU_TODAY")
    if not text:
        return dt.date.today()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"not YYYY-MM-DD: {text!r}")
    return dt.date.fromisoformat(text)
