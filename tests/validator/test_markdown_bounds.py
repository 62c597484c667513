"""W071: text Markdown cannot lay out in bounded time is named, with its field and line, and still
published (as plain text); a 1 MB record is checked in seconds whatever its shape."""

from __future__ import annotations

import time

import pytest
from vkit import Site, base_record, key_line, of, text_line, text_of

from builder.model.textshape import MAX_CHARS, MAX_NESTING

HAZARDS = {
    "brackets": "[" * 30_000,
    "nesting": "> " * (MAX_NESTING + 1) + "引文",
    "long": "字" * MAX_CHARS + "[链接](https://e.org)",
    "headings": "# 标题\n" * 5000,
}


@pytest.mark.parametrize("shape", HAZARDS)
def test_w071_names_the_field_and_its_line(site: Site, shape: str) -> None:
    rec = base_record()
    rec["resolution"]["text"] = HAZARDS[shape]
    path = site.write(rec)
    report = site.validate()
    [d] = of(report, path)
    assert (d.code, d.line) == ("W071", key_line(text_of(path), "resolution", "text"))
    assert "resolution.text" in d.message and "纯文本" in d.message
    assert report.errors == 0 and len(report.records) == 1  # published all the same


def test_w071_in_the_body_points_at_the_body(site: Site) -> None:
    path = site.write(base_record(), body="背景\n\n" + "1. " * 40 + "条目\n")
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("W071", text_line(text_of(path), "背景")) and "正文" in d.message


def test_near_miss_long_but_ordinary_text(site: Site) -> None:
    rec = base_record()
    rec["resolution"]["text"] = "同意[方案](https://e.org)，**按户发放**。\n\n" * 500
    rec["result"]["summary"] = "> " * MAX_NESTING + "引文"
    path = site.write(rec, body="背景\n\n- 一\n    - 二\n\n" + "正文。" * 5000)
    assert of(site.validate(), path) == []


@pytest.mark.parametrize("unit", ["[", "\n", "x\n-\n", "``a`", "> ", "1. ", "*a", "<a "])
def test_a_1_mb_record_is_checked_in_seconds(site: Site, unit: str) -> None:
    path = site.write(base_record(), body=unit * (1_000_000 // len(unit) - 2_000))  # just under the limit
    start = time.perf_counter()
    report = site.validate()
    assert time.perf_counter() - start < 20  # quadratic shapes took minutes
    assert len(report.records) == 1 and report.errors == 0, [d.message for d in of(report, path)][:3]
