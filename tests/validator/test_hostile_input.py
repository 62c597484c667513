"""Careless and hostile input at loading (issue 10): what a secretary's Notepad, a copy from a web
page or an attacker puts in a record or villages.yml. Each case has a failing fixture and a near
miss that passes; messages are read for what they tell the secretary."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from vkit import BODY, PDF, RECORD_ID, TODAY, Raw, Site, base_record, cli, codes, key_line, of, record_text, text_line

from builder.model.sitenames import RESERVED
from builder.model.typecheck import MAX_MONEY
from builder.model.yamlnodes import MAX_NODES

BASE = record_text(base_record())


def _one(report, path) -> object:
    [d] = of(report, path)
    return d


# -- site names as village ids (E090) ---------------------------------------------------------

@pytest.mark.parametrize("village", ["pagefind", "data", "search", "assets", "stats", "guide", "status",
                                     "category", "about", "schema"])
def test_village_id_the_site_uses_is_e090(site: Site, village: str) -> None:
    site.add_village(id=village, name="某村")
    registry = site.content / "villages.yml"
    rec = base_record()
    rec["village"] = village
    record = site.write(rec, village=village)
    site.attach("决议公告.pdf", PDF, village=village)
    report = site.validate()
    d = _one(report, registry)
    assert d.code == "E090" and village in d.message and "网站" in d.message
    assert d.line == text_line(registry.read_text(encoding="utf-8"), f"id: {village}")
    assert of(report, record) == []  # the registry's error is told once, not again on the record
    assert report.errors == 1  # and it stops the build


def test_village_id_near_a_site_name_passes(site: Site) -> None:
    site.add_village(id="data-cun", name="大塔村")
    rec = base_record()
    rec["village"] = "data-cun"
    site.write(rec, village="data-cun")
    site.attach("决议公告.pdf", PDF, village="data-cun")
    report = site.validate()
    assert report.diagnostics == [] and [r.village for r in report.records] == ["data-cun"]


def test_reserved_names_cover_the_sites_own_folders() -> None:
    assert {"pagefind", "data", "search", "assets", "stats", "guide", "status", "category", "about",
            "schema", "feed.xml", "404.html", "sitemap.xml"} <= RESERVED


# -- a registry error is told once ------------------------------------------------------------

def test_broken_registry_is_one_error_not_one_per_record(site: Site) -> None:
    for n in range(3, 6):
        rec = base_record()
        rec["id"] = f"2024-00{n}"
        site.write(rec)
    site.write_villages(text="villages:\n  - id: dongwang\n    name：东王村\n")
    report = site.validate()
    assert [d.code for d in report.diagnostics] == ["E090"]
    assert report.diagnostics[0].file.endswith("villages.yml")


def test_bad_entry_in_registry_spares_its_records_the_e022(site: Site) -> None:
    site.add_village(id="xiwang", name="西王村", households="三百")
    rec = base_record()
    rec["village"] = "xiwang"
    path = site.write(rec, village="xiwang")
    report = site.validate()
    assert codes(report, site.content / "villages.yml") == {"E090"} and of(report, path) == []


def test_unregistered_village_with_a_sound_registry_is_still_e022(site: Site) -> None:
    rec = base_record()
    rec["village"] = "xiwang"
    path = site.write(rec, village="xiwang")
    assert codes(site.validate(), path) == {"E022"}


# -- misnamed record files (E006) ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "right"), [
    ("2024-003.md.txt", "2024-003.md"),  # Notepad
    ("2024-003.MD", "2024-003.md"),
    ("2024-003", "2024-003.md"),
    ("2024-003.markdown", "2024-003.md"),
    ("2024-003.md ", "2024-003.md"),
    ("2024-3.txt", "2024-003.md"),
    ("2024-003.docx", "2024-003.md"),
])
def test_misnamed_record_is_e006_naming_the_right_name(site: Site, name: str, right: str) -> None:
    path = site.content / "dongwang" / name
    path.parent.mkdir(parents=True)
    path.write_text(BASE, encoding="utf-8")
    report = site.validate()
    d = _one(report, path)
    assert d.code == "E006" and name in d.message
    assert right in d.hint, d.hint
    assert report.records == []


def test_markdown_file_without_id_in_name_gets_the_id_inside(site: Site) -> None:
    path = site.content / "dongwang" / "道路硬化.markdown"
    path.parent.mkdir(parents=True)
    path.write_text(BASE, encoding="utf-8")
    d = _one(site.validate(), path)
    assert d.code == "E006" and "2024-003.md" in d.hint


def test_misnamed_copy_beside_the_record_says_so(site: Site) -> None:
    site.write()
    copy = site.content / "dongwang" / "2024-003.md.txt"
    copy.write_text(BASE, encoding="utf-8")
    d = _one(site.validate(), copy)
    assert d.code == "E006" and "已有" in d.message


def test_record_like_file_at_the_top_of_content_is_e006(site: Site) -> None:
    path = site.content / "2024-003.txt"
    path.write_text(BASE, encoding="utf-8")
    d = _one(site.validate(), path)
    assert d.code == "E006" and "村代码" in d.hint


def test_other_files_and_attachments_are_left_alone(site: Site) -> None:
    site.write()
    folder = site.content / "dongwang"
    (folder / "Thumbs.db").write_bytes(b"\x00\x01")
    (folder / ".DS_Store").write_bytes(b"\x00")
    (folder / "村委会照片.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "2024-003" / "2024-003.txt").write_text("附件说明", encoding="utf-8")  # inside attachments
    (site.content / "README.txt").write_text("说明", encoding="utf-8")
    report = site.validate()
    assert report.diagnostics == [] and len(report.records) == 1


def test_misnamed_file_given_on_the_command_line(site: Site) -> None:
    path = site.content / "dongwang" / "2024-003.md.txt"
    path.parent.mkdir(parents=True)
    path.write_text(BASE, encoding="utf-8")
    done = cli("validate", "content/dongwang/2024-003.md.txt", "--today", TODAY.isoformat(), cwd=site.root)
    assert done.returncode == 1 and "E006" in done.stdout and "2024-003.md" in done.stdout


# -- nesting depth (E002, before libyaml's composer recurses) ----------------------------------

@pytest.mark.parametrize("deep", [
    "title: " + "[" * 50000 + "]" * 50000,
    "title: " + "{a: " * 30000 + "}" * 30000,
    "title:\n" + "- " * 50000 + "x",
    "title: " + "[" * 50000,  # never closed
])
def test_50000_nested_brackets_are_e002_not_a_crash(site: Site, deep: str) -> None:
    text = BASE.replace("title: 关于", deep + "\nsummary2: 关于", 1)
    path = site.write(base_record(), text=text)
    started = time.monotonic()
    report = site.validate()
    assert time.monotonic() - started < 20
    d = _one(report, path)
    assert d.code == "E002" and "嵌套" in d.message and "&" not in d.hint
    assert d.line == text_line(text, deep.split("\n")[-1][:20])


def test_deep_nesting_by_indentation_is_e002(site: Site) -> None:
    nested = "".join("  " * i + f"k{i}:\n" for i in range(45)) + "  " * 45 + "x"
    text = BASE.replace("title: ", "titel:\n" + "  " + nested.replace("\n", "\n  ") + "\ntitle: ", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert d.code == "E002" and "嵌套" in d.message


def test_nesting_of_40_passes_and_41_does_not(site: Site) -> None:
    # The front matter's own map is one level: 39 more lists reach 40.
    text = BASE.replace("title: ", "titel: " + "[" * 39 + "]" * 39 + "\ntitle: ", 1)
    path = site.write(base_record(), text=text)
    assert [d.code for d in of(site.validate(), path)] == ["E011"]  # read, then refused as a key
    text = BASE.replace("title: ", "titel: " + "[" * 40 + "]" * 40 + "\ntitle: ", 1)
    site.write(base_record(), text=text)
    assert [d.code for d in of(site.validate(), path)] == ["E002"]


def test_deep_registry_is_e090_not_a_crash(site: Site) -> None:
    villages = site.write_villages(text="villages: " + "[" * 50000 + "]" * 50000 + "\n")
    d = _one(site.validate(), villages)
    assert d.code == "E090" and "嵌套" in d.message


def test_deep_record_in_the_second_process(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    from pathlib import Path

    from builder.engine import parallel as v
    from builder.model.settings import Settings

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", content)
    last = sorted(content.glob("*/*.md"))[-1]  # checked by the second process
    last.write_text(last.read_text(encoding="utf-8").replace("title:", "title: " + "[" * 50000 + "\nx:", 1),
                    encoding="utf-8")
    monkeypatch.setattr(v, "PARALLEL_FROM", 10)
    report = v.validate_content(content, Settings(), dt.date(2026, 11, 20))
    assert [(d.file.endswith(last.name), d.code) for d in report.diagnostics if d.severity == "error"] == \
        [(True, "E002")]


# -- too long vs aliases -------------------------------------------------------------------------

def test_record_with_5000_updates_is_too_long_not_an_alias_problem(site: Site) -> None:
    rec = base_record()
    # Distinct maps: the same one repeated would be written with & and * by the YAML dumper.
    rec["implementation"]["updates"] = [{"date": dt.date(2024, 5, 1), "progress": 50, "note": "x"} for _ in range(5000)]
    path = site.write(rec)
    d = _one(site.validate(), path)
    assert d.code == "E002" and str(MAX_NODES) in d.message and "&" not in d.hint + d.message


def test_record_with_500_updates_passes(site: Site) -> None:
    rec = base_record()
    rec["implementation"]["updates"] = [{"date": dt.date(2024, 5, 1), "progress": 50, "note": "x"} for _ in range(500)]
    path = site.write(rec)
    assert of(site.validate(), path) == []


def test_alias_bomb_names_the_aliases(site: Site) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    path = site.write(text="---\n" + "\n".join(lines) + "\n---\n")
    d = _one(site.validate(), path)
    assert d.code == "E002" and "&" in d.hint


# -- control characters (E007) ------------------------------------------------------------------

@pytest.mark.parametrize(("escape", "char"), [("\\x01", "U+0001"), ("\\0", "U+0000"), ("\\v", "U+000B"),
                                              ("\\e", "U+001B"), ("\\x7f", "U+007F"), ("\\u202e", "U+202E")])
def test_control_character_escape_is_e007(site: Site, escape: str, char: str) -> None:
    text = BASE.replace("title: 关于村东", f'title: "关于{escape}村东', 1).replace("速生杨的事项\n", '速生杨的事项"\n', 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert (d.code, d.line) == ("E007", key_line(text, "title"))
    assert char in d.message and "title" in d.message


def test_raw_control_character_is_e007_at_its_line(site: Site) -> None:
    text = BASE.replace("流转期限十年", "流转期限\x01十年", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert (d.code, d.line) == ("E007", text_line(text, "\x01"))
    assert "U+0001" in d.message and "&" not in d.hint


def test_control_escape_in_a_list_and_in_markdown_text(site: Site) -> None:
    text = BASE.replace("  - 微信群\n", '  - "微信\\a群"\n', 1)
    path = site.write(base_record(), text=text)
    assert [(d.code, d.line) for d in of(site.validate(), path)] == [("E007", text_line(text, "微信"))]


def test_tab_and_newline_in_text_pass(site: Site) -> None:
    rec = base_record()
    rec["resolution"]["text"] = "同意\t流转\n第二段"
    rec["summary"] = "村东\t耕地"
    path = site.write(rec, body=BODY + "\t缩进的一行\n")
    assert of(site.validate(), path) == []


def test_control_character_in_village_name_is_e090(site: Site) -> None:
    villages = site.write_villages(text='villages:\n  - id: dongwang\n    name: "东王\\x07村"\n')
    site.write()
    d = _one(site.validate(), villages)
    assert d.code == "E090" and "U+0007" in d.message and d.line == 3


def test_raw_control_character_in_registry_is_e090(site: Site) -> None:
    villages = site.write_villages(text="villages:\n  - id: dongwang\n    name: 东王\x01村\n")
    d = _one(site.validate(), villages)
    assert (d.code, d.line) == ("E090", 3) and "U+0001" in d.message


# -- invisible characters are named, at their line -----------------------------------------------

def test_no_break_space_after_colon_is_named_at_its_line(site: Site) -> None:
    text = BASE.replace("title: ", "title:\u00a0", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert (d.code, d.line) == ("E002", text_line(text, "title:"))
    assert f"第 {d.line} 行有不可见字符 U+00A0（不换行空格）" in d.hint


def test_no_break_space_in_indentation_is_named(site: Site) -> None:
    text = BASE.replace("  date: 2024-03-05", "\u00a0 date: 2024-03-05", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert d.code == "E002" and d.line == text_line(text, "\u00a0 date") and "U+00A0" in d.hint


@pytest.mark.parametrize(("key", "value"), [("category", "land\u200b"), ("budget", "120000\u00a0"),
                                            ("budget", "120\u00a0000.00")])
def test_invisible_character_in_a_value_is_named(site: Site, key: str, value: str) -> None:
    text = BASE.replace(f"{key}: ", f"{key}: {value}  # ", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert (d.code, d.line) == ("E012", key_line(text, key))
    assert "‹U+" in d.message and "不可见字符 U+" in d.hint


def test_zero_width_space_in_a_date_is_named(site: Site) -> None:
    text = BASE.replace("  date: 2024-03-05", "  date: 2024-03-05\u200b", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert d.code == "E013" and "U+200B（零宽空格）" in d.hint


def test_zero_width_space_in_a_key_is_named(site: Site) -> None:
    text = BASE.replace("summary:", "summary\u200b:", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert d.code == "E011" and "U+200B" in d.hint and "summary" in d.hint


def test_invisible_characters_inside_text_pass(site: Site) -> None:
    rec = base_record()
    rec["title"] = "关于村东\u200b耕地流转\u00a0的事项"
    path = site.write(rec)
    assert of(site.validate(), path) == []


# -- money bounds (E012) ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [Raw("1000000000000000000000000000000"), Raw("1.0e+400"), Raw("1000000000000"),
                                   Raw("1e12"), Raw(".inf"), Raw(".nan"), Raw("-.inf")])
def test_money_beyond_the_maximum_is_e012(site: Site, value: Raw) -> None:
    rec = base_record()
    rec["budget"] = value
    path = site.write(rec)
    d = _one(site.validate(), path)
    assert d.code == "E012" and d.line == key_line(path.read_text(encoding="utf-8"), "budget")


def test_money_just_below_the_maximum_passes(site: Site) -> None:
    rec = base_record()
    rec["budget"] = MAX_MONEY - Decimal("0.01")
    rec["result"]["cost"] = Decimal("118500.00")
    path = site.write(rec)
    report = site.validate()
    assert of(report, path) == []
    assert report.records[0].data["budget"] == Decimal("999999999999.99")


def test_minus_zero_is_zero(site: Site) -> None:
    rec = base_record()
    rec["budget"] = Raw("-0.00")
    rec["result"]["cost"] = Raw("-0")
    site.write(rec)
    [record] = site.validate().records
    assert str(record.data["budget"]) == "0.00" and not record.data["budget"].is_signed()
    assert not record.data["result"]["cost"].is_signed()


def test_huge_count_is_e012(site: Site) -> None:
    rec = base_record()
    rec["review"]["attendance"]["expected"] = Raw("1e5000")
    path = site.write(rec)
    assert codes(site.validate(), path) == {"E012"}


# -- values as typed, one-line fields --------------------------------------------------------------

@pytest.mark.parametrize("typed", ["yes", "no", "on", "off", "True"])
def test_yaml_booleans_are_shown_as_typed(site: Site, typed: str) -> None:
    text = BASE.replace("  outcome: passed", f"  outcome: {typed}", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert d.code == "E012" and f"“{typed}”" in d.message


def test_two_line_title_is_e012(site: Site) -> None:
    text = BASE.replace("title: 关于村东", "title: |\n  关于村东\n  第二行", 1)
    path = site.write(base_record(), text=text)
    d = _one(site.validate(), path)
    assert (d.code, d.line) == ("E012", key_line(text, "title")) and "一行" in d.message


def test_folded_title_on_one_line_passes(site: Site) -> None:
    text = BASE.replace("title: 关于村东", "title: >-\n  关于村东\n  第二行", 1)
    path = site.write(base_record(), text=text)
    assert of(site.validate(), path) == []


# -- YAML messages are Chinese -------------------------------------------------------------------

@pytest.mark.parametrize("front", [
    "  id: 2024-003\ntitle: x\n",  # did not find expected <document start>
    "id: 2024-003\n...\ntitle: x\n",
    "id: 2024-003\n--- x\ntitle: y\n",  # but found another document
    'title: "\\xZZ"\n',
    "title: !x!y z\n",
    "%FOO bar\nid: 1\n",
    "a: &x 1\nb: &x 2\n",
    "title: |0\n x\n",
])
def test_yaml_errors_are_never_in_english(site: Site, front: str) -> None:
    path = site.write(text="---\n" + front + "---\n")
    d = _one(site.validate(), path)
    assert d.code == "E002"
    assert not any(w in d.message for w in ("found", "expected", "document", "occurrence", "indicator")), d.message


# -- the command line ----------------------------------------------------------------------------

def test_same_file_twice_is_checked_once(site: Site) -> None:
    rec = base_record()
    rec["category"] = "farm"
    site.write(rec)
    one = cli("validate", f"content/dongwang/{RECORD_ID}.md", "--today", TODAY.isoformat(), cwd=site.root)
    two = cli("validate", f"content/dongwang/{RECORD_ID}.md", f"./content/dongwang/{RECORD_ID}.md",
              f"content/../content/dongwang/{RECORD_ID}.md", "--today", TODAY.isoformat(), cwd=site.root)
    assert one.stdout == two.stdout and one.stdout.count("E012") == 1
    assert "检查了 1 条记录" in two.stdout


def test_same_folder_twice_is_checked_once(site: Site) -> None:
    site.write()
    done = cli("validate", "content", "./content", str(site.content), "--today", TODAY.isoformat(), cwd=site.root)
    assert done.returncode == 0 and "检查了 1 条记录" in done.stdout


@pytest.mark.parametrize("today", ["", "20241231", "2024-W53-2", "2024-366", " 2024-12-31"])
def test_today_must_be_yyyy_mm_dd(site: Site, today: str) -> None:
    site.write()
    done = cli("validate", "content", "--today", today, cwd=site.root)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "YYYY-MM-DD" in done.stderr


def test_today_yyyy_mm_dd_passes(site: Site) -> None:
    site.write()
    assert cli("validate", "content", "--today", "2024-12-31", cwd=site.root).returncode == 0


def test_registry_alone(site: Site) -> None:
    site.write()
    done = cli("validate", "content/villages.yml", "--today", TODAY.isoformat(), cwd=site.root)
    assert done.returncode == 0 and "找不到" not in done.stdout + done.stderr
    site.write_villages(text="villages:\n  - id: dongwang\n    name：东王村\n")
    done = cli("validate", "content/villages.yml", "--today", TODAY.isoformat(), cwd=site.root)
    assert done.returncode == 1 and done.stdout.count("E090") == 1 and "E022" not in done.stdout
