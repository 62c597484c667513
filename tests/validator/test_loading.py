"""Reading files: encodings, front matter, YAML syntax, size, links (E001–E005), the village
registry (E090), and that one bad record never hides another's diagnostics."""

from __future__ import annotations

import os
import re

import pytest
from vkit import PDF, PNG, RECORD_ID, Site, base_record, codes, dump, key_line, of, record_text, text_line

from builder.model.records import MAX_RECORD_BYTES


def _only(report, path) -> list:
    return [(d.code, d.line) for d in of(report, path)]


# -- E001 encodings ---------------------------------------------------------------------------

def test_gbk_file_is_e001_with_gbk_hint(site: Site) -> None:
    text = record_text(base_record())
    path = site.write(base_record(), text=text.encode("gbk"))
    [d] = of(site.validate(), path)
    assert d.code == "E001"
    assert d.line == text_line(text, "title:")  # the first line that is not ASCII
    assert "GBK" in d.message + d.hint and "UTF-8" in d.hint


def test_invalid_utf8_not_gbk_is_e001(site: Site) -> None:
    path = site.write(text=b"---\nid: 2024-003\ntitle: \xff\xff\xff\n---\n")
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E001", 3)
    assert "GBK" not in d.hint


def test_binary_file_is_e001(site: Site) -> None:
    path = site.write(text=PNG + b"\x00\x01\x02" * 100)
    [d] = of(site.validate(), path)
    assert d.code == "E001"


def test_bom_and_crlf_are_accepted(site: Site) -> None:
    text = record_text(base_record())
    path = site.write(base_record(), text=b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    report = site.validate()
    assert of(report, path) == [] and len(report.records) == 1


def test_crlf_keeps_line_numbers(site: Site) -> None:
    rec = base_record()
    rec["titel"] = "多余"
    text = record_text(rec)
    path = site.write(rec, text="\ufeff" + text.replace("\n", "\r\n"))
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E011", key_line(text, "titel"))


# -- E003 front matter ------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "line"), [
    (b"", 1),
    (b"\n\n   \n", 1),
    ("id: 2024-003\ntitle: 关于\n".encode(), 1),
    ("事项说明\n---\nid: 2024-003\n---\n".encode(), 1),
    ("---\nid: 2024-003\ntitle: 关于\n".encode(), 1),  # no closing fence
    ("---\n- 一\n- 二\n---\n正文\n".encode(), 2),  # front matter is a list
    ("---\n只有一句话\n---\n正文\n".encode(), 2),  # front matter is a scalar
    ("---\n---\n正文\n".encode(), 2),  # empty front matter
])
def test_no_front_matter_is_e003(site: Site, content: bytes, line: int) -> None:
    path = site.write(text=content)
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E003", line), d


def test_fence_with_trailing_spaces_passes(site: Site) -> None:
    text = record_text(base_record()).replace("---\n", "---  \n")
    path = site.write(base_record(), text=text)
    assert of(site.validate(), path) == []


# -- E002 YAML syntax, with the line of the culprit and a specific hint ------------------------

BASE = record_text(base_record())


@pytest.mark.parametrize(("name", "old", "new", "culprit", "hint"), [
    ("full-width colon", "title: ", "title：", "title：", "全角"),
    ("full-width colon nested", "  outcome: passed\n  notes", "  outcome：passed\n  notes", "outcome：", "全角"),
    ("tab indent", "  date: 2024-03-05", "\tdate: 2024-03-05", "\tdate", "制表符"),
    ("tab deeper", "    present: 8", "\t\tpresent: 8", "\t\tpresent", "制表符"),
    ("full-width space indent", "  date: 2024-03-05", "\u3000\u3000date: 2024-03-05", "\u3000\u3000date", "全角空格"),
    ("full-width space after colon", "title: ", "title:\u3000", "title:\u3000", "全角空格"),
    ("full-width space after nested colon", "  date: 2024-03-05", "  date:\u30002024-03-05", "date:\u3000",
     "全角空格"),
    ("no space after a colon", "summary: ", "summary:", "summary:", "改成“summary: ”"),
    ("no space after a nested colon", "  date: 2024-03-05", "  date:2024-03-05", "date:2024", "改成“date: ”"),
])
def test_yaml_syntax_errors_have_hints_and_lines(site: Site, name: str, old: str, new: str, culprit: str,
                                                 hint: str) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    path = site.write(base_record(), text=text)
    [d] = of(site.validate(), path)
    assert d.code == "E002"
    assert d.line == text_line(text, culprit), (d.line, d.message)
    assert hint in d.hint, d.hint
    assert not re.search(r"[A-Za-z]{5,}", d.message), d.message  # translated, not libyaml's English


def test_duplicate_key_is_e002_at_the_second_key(site: Site) -> None:
    text = BASE.replace("category: land\n", "category: land\ncategory: assets\n", 1)
    path = site.write(base_record(), text=text)
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E002", text_line(text, "category: assets"))
    assert "category" in d.message


def test_unclosed_quote_points_at_the_quote(site: Site) -> None:
    text = BASE.replace("title: ", 'title: "', 1)
    path = site.write(base_record(), text=text)
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E002", text_line(text, 'title: "'))


def test_unclosed_bracket_points_at_the_bracket(site: Site) -> None:
    text = BASE.replace("  channels:\n  - 公开栏\n  - 微信群\n  - 网站\n", "  channels: [公开栏, 微信群\n", 1)
    path = site.write(base_record(), text=text)
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E002", text_line(text, "channels: [公开栏"))


def test_alias_bomb_is_e002_not_a_hang(site: Site) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    path = site.write(text="---\n" + "\n".join(lines) + "\n---\n")
    [d] = of(site.validate(), path)
    assert d.code == "E002"


def test_deep_nesting_is_e002(site: Site) -> None:
    path = site.write(text="---\nid: " + "[" * 200 + "]" * 200 + "\n---\n")
    assert codes(site.validate(), path) == {"E002"}


def test_complex_key_is_e002(site: Site) -> None:
    path = site.write(text="---\n? [a, b]\n: c\n---\n")
    assert codes(site.validate(), path) == {"E002"}


# -- E004 size --------------------------------------------------------------------------------

def _sized(size: int) -> bytes:
    head = record_text(base_record(), body="").encode("utf-8")
    line = ("村东耕地流转情况说明。" * 10 + "\n").encode("utf-8")
    body = line * ((size - len(head)) // len(line))
    pad = size - len(head) - len(body)
    return head + body + b"x" * pad


def test_record_of_exactly_1_mb_passes(site: Site) -> None:
    data = _sized(MAX_RECORD_BYTES)
    assert len(data) == MAX_RECORD_BYTES == 1024 * 1024
    path = site.write(base_record(), text=data)
    assert of(site.validate(), path) == []


def test_record_over_1_mb_is_e004(site: Site) -> None:
    path = site.write(base_record(), text=_sized(MAX_RECORD_BYTES + 1))
    [d] = of(site.validate(), path)
    assert d.code == "E004"
    assert "MB" in d.message


# -- E005 not a regular file ------------------------------------------------------------------

def test_symlink_outside_content_is_e005(site: Site, tmp_path) -> None:
    outside = tmp_path / "elsewhere" / f"{RECORD_ID}.md"
    outside.parent.mkdir()
    outside.write_text(BASE, encoding="utf-8")
    link = site.record_path()
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    site.attach("决议公告.pdf", PDF)
    report = site.validate()
    [d] = of(report, link)
    assert d.code == "E005"
    assert "content/ 之外" in d.message
    assert report.records == []


def test_symlink_inside_content_is_e005(site: Site) -> None:
    real = site.write()
    link = site.record_path(name="2024-004")
    link.symlink_to(real)
    report = site.validate()
    assert [d.code for d in of(report, link)] == ["E005"]
    assert of(report, real) == []


def test_dangling_symlink_is_e005(site: Site, tmp_path) -> None:
    link = site.record_path()
    link.parent.mkdir(parents=True)
    link.symlink_to(tmp_path / "nowhere.md")
    assert [d.code for d in of(site.validate(), link)] == ["E005"]


def test_fifo_is_e005_not_a_hang(site: Site) -> None:
    path = site.record_path()
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    assert [d.code for d in of(site.validate(), path)] == ["E005"]


# -- placement --------------------------------------------------------------------------------

def test_record_not_in_a_village_folder_is_e022(site: Site) -> None:
    stray = site.content / "2024-003.md"
    stray.write_text(BASE, encoding="utf-8")
    deep = site.content / "dongwang" / "2024-003" / "2024-003.md"
    deep.parent.mkdir(parents=True)
    deep.write_text(BASE, encoding="utf-8")
    report = site.validate()
    assert [d.code for d in of(report, stray)] == ["E022"]
    assert [d.code for d in of(report, deep)] == ["E022"]


# -- one bad record never hides another ------------------------------------------------------

def test_two_bad_files_are_both_reported(site: Site) -> None:
    gbk = site.write(base_record(), text=BASE.encode("gbk"))
    rec = base_record()
    rec["id"] = "2024-004"
    rec["category"] = "farm"
    rec["review"]["date"] = "2024-3-5"
    second = site.write(rec)
    broken = site.write(text=BASE.replace("title: ", "title：", 1).replace("2024-003", "2024-005"), name="2024-005")
    rec = base_record()
    rec["id"] = "2024-006"
    good = site.write(rec)
    site.attach("决议公告.pdf", PDF, record="2024-006")
    report = site.validate()
    assert codes(report, gbk) == {"E001"}
    assert codes(report, second) == {"E012", "E013"}
    assert codes(report, broken) == {"E002"}
    assert of(report, good) == []
    assert report.checked == 4
    assert [r.id for r in report.records] == ["2024-006"]


def test_diagnostics_are_sorted_by_file_and_line(site: Site) -> None:
    for n in (5, 4):
        rec = base_record()
        rec["id"] = f"2024-00{n}"
        rec["category"] = "x"
        rec["titel"] = "x"
        site.write(rec)
    report = site.validate()
    keys = [(d.file, d.line or 0) for d in report.diagnostics]
    assert keys == sorted(keys) and len(keys) >= 4


# -- E090 the village registry ------------------------------------------------------------------

def test_villages_missing(site: Site) -> None:
    (site.content / "villages.yml").unlink()
    path = site.write()
    report = site.validate()
    [d] = of(report, site.content / "villages.yml")
    assert d.code == "E090"
    assert codes(report, path) == {"E022"}  # the record's village can't be found: still reported


@pytest.mark.parametrize(("text", "line"), [
    ("villages:\n  - id: dongwang\n    name：东王村\n", 3),
    ("villages:\n  - id: dongwang\n\tname: 东王村\n", 3),
    ("villages:\n  - id: dongwang\n    name: 东王村\n    name: 东王\n", 4),
    ("villages:\n  - id: dongwang\n    name: '东王村\n  - id: xiwang\n", 3),
])
def test_villages_malformed_yaml(site: Site, text: str, line: int) -> None:
    villages = site.write_villages(text=text)
    [d] = of(site.validate(), villages)
    assert (d.code, d.line) == ("E090", line)


@pytest.mark.parametrize("text", [
    "",
    "- id: dongwang\n  name: 东王村\n",
    "villages: dongwang\n",
    "villages:\n  - dongwang\n",
    "villages:\n  - id: dongwang\n",  # no name
    "villages:\n  - id: Dong_Wang\n    name: 东王村\n",
    "villages:\n  - id: dongwang\n    name: 东王村\n    mayor: 王某\n",
    "villages:\n  - id: dongwang\n    name: 东王村\n    households: 三百\n",
])
def test_villages_wrong_shape(site: Site, text: str) -> None:
    villages = site.write_villages(text=text)
    assert codes(site.validate(), villages) == {"E090"}


@pytest.mark.parametrize("count", ["party_members", "representatives", "households", "adult_villagers"])
def test_villages_negative_count_at_its_line(site: Site, count: str) -> None:
    site.villages[0][count] = -45
    villages = site.write_villages()
    [d] = of(site.validate(), villages)
    assert (d.code, d.line) == ("E090", text_line(villages.read_text(encoding="utf-8"), f"{count}: -45"))
    assert "-45" in d.message and "负数" in d.message and count in d.message


def test_village_with_a_wrong_count_still_holds_its_records(site: Site) -> None:
    site.villages[0]["party_members"] = -42
    villages = site.write_villages()
    path = site.write()
    report = site.validate()
    assert codes(report, villages) == {"E090"}
    assert of(report, path) == []  # not "村代码 dongwang 没有在 villages.yml 中登记"
    assert report.errors == 1


def test_villages_zero_count_passes(site: Site) -> None:
    site.add_village(id="nanwang", name="南王村", party_members=0, households=0)
    assert of(site.validate(), site.content / "villages.yml") == []


def test_villages_gbk(site: Site) -> None:
    path = site.content / "villages.yml"
    path.write_bytes("villages:\n  - id: dongwang\n    name: 东王村\n".encode("gbk"))
    [d] = of(site.validate(), path)
    assert d.code == "E090" and "GBK" in d.message + d.hint


def test_villages_duplicate_id_at_its_line(site: Site) -> None:
    site.add_village(id="dongwang", name="东王新村")
    text = (site.content / "villages.yml").read_text(encoding="utf-8")
    path = site.write()
    report = site.validate()
    [d] = of(report, site.content / "villages.yml")
    assert d.code == "E090"
    second = [i for i, line in enumerate(text.split("\n"), start=1) if "id: dongwang" in line][1]
    assert d.line == second
    assert of(report, path) == []  # the first entry still stands


def test_villages_two_distinct_ids_pass(site: Site) -> None:
    site.add_village(id="xiwang", name="西王村", township="张村镇")
    rec = base_record()
    rec["village"] = "xiwang"
    path = site.write(rec, village="xiwang")
    site.attach("决议公告.pdf", PDF, village="xiwang")
    site.write()
    report = site.validate()
    assert report.diagnostics == [] and len(report.records) == 2
    assert of(report, path) == []


def test_villages_file_is_plain_yaml(site: Site) -> None:
    assert dump({"villages": site.villages}).startswith("villages:")


# -- a large site is checked by two processes ---------------------------------------------------

def test_two_processes_report_exactly_what_one_does(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt
    import shutil
    from pathlib import Path

    from builder.engine import parallel as v
    from builder.model.settings import Settings

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content)
    last = sorted(content.glob("*/*.md"))[-1]  # checked by the second process
    last.write_text(last.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
    today = dt.date(2026, 11, 20)
    monkeypatch.setattr(v, "PARALLEL_FROM", 10)
    two = v.validate_content(content, Settings(), today)
    monkeypatch.setattr(v, "PARALLEL_FROM", 10**9)
    one = v.validate_content(content, Settings(), today)
    assert two.diagnostics == one.diagnostics and any(d.code == "E002" for d in two.diagnostics)
    assert [(r.village, r.id, r.data, r.derived) for r in two.records] == \
        [(r.village, r.id, r.data, r.derived) for r in one.records]
    assert two.checked == one.checked == len(list(content.glob("*/*.md")))
