"""``python -m builder new``: the skeleton validates as written, carries every key of the model
with a comment, numbers records in order, and refuses what it cannot write."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from builder.cli import UsageError
from builder.engine.parallel import validate_content as validate
from builder.model.schema import RECORD, F
from builder.model.settings import Settings
from builder.model.skeleton import skeleton_text
from builder.new import write_new

from .conftest import DISCLOSED, PDF, TODAY, make_content, run_cli

DAY = dt.date.fromisoformat(TODAY)
KEY_LINE = re.compile(r"^# ( *(?:- )?[a-z_]+:.*)$")


@pytest.fixture(autouse=True)
def _build_date(monkeypatch) -> None:
    monkeypatch.setenv("CUNWU_TODAY", TODAY)


def check(content, path, today=DAY) -> list:
    return validate(content, Settings(), today, [path]).diagnostics


def uncomment(text: str) -> str:
    """What a secretary does once every step is done: delete "# " before each key line."""
    return "\n".join(m[1] if (m := KEY_LINE.match(line)) else line for line in text.split("\n"))


def keys(spec: dict[str, F], prefix: str = "") -> list[str]:
    out = []
    for name, f in spec.items():
        out.append(prefix + name)
        if f.kind == "map":
            out += keys(f.fields, prefix + name + ".")
        elif f.kind == "list":
            out += keys(f.item.fields, prefix + name + "[].")
    return out


def test_new_record_validates_clean(tmp_path) -> None:
    content = make_content(tmp_path)
    path = write_new(content, "dongwang", "关于村西道路硬化的事项", 2024)
    assert path == content / "dongwang" / "2024-001.md"
    assert check(content, path) == []
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert data["id"] == "2024-001" and data["village"] == "dongwang"
    assert data["title"] == "关于村西道路硬化的事项"
    assert str(data["proposal"]["date"]) == TODAY
    assert set(data) == {"id", "title", "village", "category", "proposal"}


def test_command_line(tmp_path) -> None:
    make_content(tmp_path)
    done = run_cli("new", "--village", "xiwang", "--title", "关于村西道路硬化的事项", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2024-001.md" in done.stdout
    done = run_cli("validate", "content", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "0 个错误，0 个警告" in done.stdout


def test_ids_increment_per_village_and_year(tmp_path) -> None:
    content = make_content(tmp_path, {"dongwang/2024-001.md": DISCLOSED})
    (content / "dongwang" / "2024-007").mkdir()  # an attachment folder holds its number too
    (content / "dongwang" / "2024-007" / "a.pdf").write_bytes(PDF)
    assert write_new(content, "dongwang", "事项一", 2024).name == "2024-008.md"
    assert write_new(content, "dongwang", "事项二", 2024).name == "2024-009.md"
    assert write_new(content, "dongwang", "事项三", 2023).name == "2023-001.md"
    assert write_new(content, "xiwang", "事项四", 2024).name == "2024-001.md"
    for path in (content / "dongwang").glob("*.md"):
        assert check(content, path) == [], path


def test_village_folder_is_created_for_a_registered_village(tmp_path) -> None:
    content = make_content(tmp_path)
    (content / "xiwang").rmdir()
    path = write_new(content, "xiwang", "事项", 2024)
    assert path.is_file() and check(content, path) == []


@pytest.mark.parametrize("village", ["beiwang", "DongWang", "../dongwang", "dongwang/2024", ""])
def test_unknown_village_is_refused(tmp_path, village: str) -> None:
    content = make_content(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(UsageError) as err:
        write_new(content, village, "事项", 2024)
    assert "dongwang（东王村）" in str(err.value)  # the message lists the registered villages
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_unknown_village_on_the_command_line_exits_2(tmp_path) -> None:
    make_content(tmp_path)
    done = run_cli("new", "--village", "beiwang", "--title", "事项", cwd=tmp_path)
    assert done.returncode == 2
    assert "beiwang" in done.stderr and "没有在" in done.stderr and "登记" in done.stderr
    assert not (tmp_path / "content" / "beiwang").exists()


def test_missing_content_folder_exits_2(tmp_path) -> None:
    done = run_cli("new", "--village", "dongwang", "--title", "事项", cwd=tmp_path)
    assert done.returncode == 2 and "content" in done.stderr


@pytest.mark.parametrize("title", ["", "   ", "一" * 81, "第一行\n第二行"])
def test_bad_title_is_refused(tmp_path, title: str) -> None:
    content = make_content(tmp_path)
    with pytest.raises(UsageError):
        write_new(content, "dongwang", title, 2024)
    assert list((content / "dongwang").iterdir()) == []


def test_title_that_the_validator_refuses_leaves_no_file(tmp_path) -> None:
    content = make_content(tmp_path)
    with pytest.raises(UsageError) as err:
        write_new(content, "dongwang", "联系人 13812345678", 2024)
    assert "E061" in str(err.value)
    assert list((content / "dongwang").iterdir()) == []


@pytest.mark.parametrize("title", [
    "关于 #3 号井: 维修的事项", "yes", "2024", "'引号' 和 \"双引号\"", "- 列表开头", "[方括号]", "{花括号}",
    "关于……的事项", "a: b", "%百分号", "@at", "`反引号`", "* 星号", "&锚", "!感叹号", "> 大于", "| 竖线",
])
def test_awkward_titles_round_trip(tmp_path, title: str) -> None:
    content = make_content(tmp_path)
    path = write_new(content, "dongwang", title, 2024)
    assert check(content, path) == []
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))
    assert str(data["title"]) == title


def test_every_key_of_the_model_is_there_with_a_comment() -> None:
    text = skeleton_text("2024-001", "dongwang", "事项", DAY)
    front = text.split("\n---\n")[0]
    full = yaml.safe_load(uncomment(front).removeprefix("---\n"))
    found = []

    def walk(value, prefix=""):
        for k, v in value.items():
            found.append(prefix + k)
            if isinstance(v, dict):
                walk(v, prefix + k + ".")
            elif isinstance(v, list) and v and isinstance(v[0], dict):
                walk(v[0], prefix + k + "[].")

    walk(full)
    assert found == keys(RECORD)
    for line in front.split("\n")[1:]:
        if line.strip() and not line.startswith("# ") or KEY_LINE.match(line):
            assert re.search(r"\S\s{2,}# \S", line), f"no comment on: {line!r}"


def test_comments_come_from_the_model() -> None:
    text = skeleton_text("2024-001", "dongwang", "事项", DAY)
    for name, spec in RECORD.items():
        assert f"# {spec.what}" in text, name
    for spec in RECORD["resolution"].fields.values():
        assert f"# {spec.what}" in text


def test_fully_uncommented_skeleton_is_a_complete_valid_record(tmp_path) -> None:
    """Deleting "# " before every key gives a full record: the comments keep YAML's structure and
    the examples are consistent (the first step's date set to the examples' year). The one key
    that depends on a choice is ``households``, counted at a villagers' assembly only: under the
    example body (representatives) it is refused, as its comment says, and with
    ``body: assembly`` the record is valid."""
    content = make_content(tmp_path)
    text = uncomment(skeleton_text("2024-005", "dongwang", "事项", dt.date(2024, 3, 2)))
    path = content / "dongwang" / "2024-005.md"
    path.write_text(text, encoding="utf-8")
    (content / "dongwang" / "2024-005").mkdir()
    (content / "dongwang" / "2024-005" / "决议公告.pdf").write_bytes(PDF)
    found = [d for d in check(content, path, dt.date(2024, 12, 31)) if d.severity == "error"]
    households = next(i for i, line in enumerate(text.split("\n"), start=1) if line.startswith("  households:"))
    assert [(d.code, d.line) for d in found] == [("E012", households)]
    path.write_text(text.replace("body: representatives", "body: assembly"), encoding="utf-8")
    found = [d for d in check(content, path, dt.date(2024, 12, 31)) if d.severity == "error"]
    assert found == []


def test_skeleton_has_no_html_tabs_or_full_width_colons_in_keys() -> None:
    text = skeleton_text("2024-001", "dongwang", "事项", DAY)
    assert "<" not in text and "\t" not in text
    for line in text.split("\n"):
        key = line.removeprefix("# ").split("#")[0]
        assert not re.match(r"^\s*[a-z_]+\s*：", key), line
