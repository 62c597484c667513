"""How the model writes for people what is not a label: dates as 2024年3月5日 (in the diagnostics,
and on every page)."""

from __future__ import annotations

import datetime as dt


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
