"""The command line contract (spec §7), run as users and CI run it: ``python -m builder validate``
in a subprocess, from the site's folder."""

from __future__ import annotations

import json
import re

import pytest
from vkit import PDF, Site, base_record, cli, key_line, text_of

TODAY = "2024-12-31"


@pytest.fixture
def clean(site: Site) -> Site:
    site.write()
    return site


@pytest.fixture
def broken(site: Site) -> Site:
    """One record with an error (E012 on category) and a warning (W060)."""
    rec = base_record()
    rec["category"] = "farm"
    rec["result"]["cost"] = 130000
    site.write(rec)
    return site


def test_exit_0_when_clean(clean: Site) -> None:
    done = cli("validate", "content", "--today", TODAY, cwd=clean.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "检查了 1 条记录：0 个错误，0 个警告" in done.stdout


def test_content_is_the_default_folder(clean: Site) -> None:
    done = cli("validate", "--today", TODAY, cwd=clean.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 条记录" in done.stdout


def test_exit_0_with_warnings_only(site: Site) -> None:
    rec = base_record()
    rec["result"]["cost"] = 130000
    site.write(rec)
    done = cli("validate", "content", "--today", TODAY, cwd=site.root)
    assert done.returncode == 0
    assert "W060" in done.stdout


def test_exit_1_on_errors_and_text_format(broken: Site) -> None:
    done = cli("validate", "content", "--today", TODAY, cwd=broken.root)
    assert done.returncode == 1
    text = text_of(broken.record_path())
    lines = done.stdout.splitlines()
    head = f"content/dongwang/2024-003.md:{key_line(text, 'category')}: E012 "
    i = next(i for i, line in enumerate(lines) if line.startswith(head))
    assert lines[i + 1].startswith("    提示：")
    assert any(line.startswith(f"content/dongwang/2024-003.md:{key_line(text, 'result', 'cost')}: W060 ")
               for line in lines)
    assert lines[-1] == "检查了 1 条记录：1 个错误，1 个警告"


@pytest.mark.parametrize("args", [
    ["validate", "nowhere"],
    ["validate", "content/dongwang/9999-999.md"],
    ["validate", "content", "--today", "2024-13-01"],
    ["validate", "content", "--today", "yesterday"],
    ["validate", "content", "--format", "xml"],
    ["validate", "content", "--config", "missing.yml"],
    ["validate", "content", "--no-such-option"],
    [],
])
def test_exit_2_on_usage_errors(clean: Site, args: list[str]) -> None:
    done = cli(*args, cwd=clean.root)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()


def test_exit_2_on_bad_cunwu_today(clean: Site) -> None:
    done = cli("validate", "content", cwd=clean.root, env={"CUNWU_TODAY": "2024/12/31"})
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_json_format(broken: Site) -> None:
    rec = base_record()
    rec["id"] = "2024-004"
    broken.write(rec)
    broken.attach("决议公告.pdf", PDF, record="2024-004")
    done = cli("validate", "content", "--today", TODAY, "--format", "json", cwd=broken.root)
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert set(data) == {"records", "errors", "warnings", "diagnostics"}
    assert (data["records"], data["errors"], data["warnings"]) == (2, 1, 1)
    assert len(data["diagnostics"]) == 2
    text = text_of(broken.record_path())
    for d in data["diagnostics"]:
        assert set(d) == {"file", "line", "code", "severity", "message", "hint"}
        assert d["file"] == "content/dongwang/2024-003.md"
        assert isinstance(d["line"], int)
        assert re.search(r"[\u4e00-\u9fff]", d["message"])  # Chinese
    by_code = {d["code"]: d for d in data["diagnostics"]}
    assert by_code["E012"]["severity"] == "error" and by_code["E012"]["line"] == key_line(text, "category")
    assert by_code["W060"]["severity"] == "warning"


def test_json_when_clean(clean: Site) -> None:
    done = cli("validate", "--today", TODAY, "--format", "json", cwd=clean.root)
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"records": 1, "errors": 0, "warnings": 0, "diagnostics": []}


def test_json_line_null_when_there_is_none(site: Site) -> None:
    (site.content / "villages.yml").unlink()
    site.write()
    done = cli("validate", "--today", TODAY, "--format", "json", cwd=site.root)
    data = json.loads(done.stdout)
    [registry] = [d for d in data["diagnostics"] if d["code"] == "E090"]
    assert registry["line"] is None and registry["file"] == "content/villages.yml"


def test_github_format(broken: Site, tmp_path) -> None:
    summary = tmp_path / "summary.md"
    done = cli("validate", "content", "--today", TODAY, "--format", "github", cwd=broken.root,
               env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1
    text = text_of(broken.record_path())
    lines = done.stdout.splitlines()
    assert any(line.startswith(f"::error file=content/dongwang/2024-003.md,line={key_line(text, 'category')},")
               for line in lines), lines
    assert any(line.startswith(f"::warning file=content/dongwang/2024-003.md,line={key_line(text, 'result', 'cost')},")
               for line in lines), lines
    annotations = [line for line in lines if line.startswith("::")]
    assert all(re.match(r"^::(error|warning) file=[^:]+,line=\d+,title=[EW]\d{3}::\S", a) for a in annotations)
    assert "E012" in summary.read_text(encoding="utf-8")


def test_record_files_check_just_those(site: Site) -> None:
    site.write()
    bad = base_record()
    bad["id"] = "2024-004"
    bad["category"] = "farm"
    site.write(bad)
    done = cli("validate", "content/dongwang/2024-003.md", "--today", TODAY, "--format", "json", cwd=site.root)
    data = json.loads(done.stdout)
    assert done.returncode == 0 and data["records"] == 1 and data["diagnostics"] == []
    done = cli("validate", "content/dongwang/2024-003.md", "content/dongwang/2024-004.md", "--today", TODAY,
               "--format", "json", cwd=site.root)
    data = json.loads(done.stdout)
    assert done.returncode == 1 and data["records"] == 2
    assert {d["file"] for d in data["diagnostics"]} == {"content/dongwang/2024-004.md"}


def test_record_file_finds_villages_from_another_directory(site: Site) -> None:
    path = site.write()
    done = cli("validate", str(path), "--today", TODAY, cwd=site.root.parent)
    assert done.returncode == 0, done.stdout
    done = cli("validate", "2024-003.md", "--today", TODAY, cwd=path.parent)
    assert done.returncode == 0, done.stdout


def test_record_file_in_a_folder_without_registry(site: Site) -> None:
    (site.content / "villages.yml").unlink()
    site.write()
    done = cli("validate", "content/dongwang/2024-003.md", "--today", TODAY, "--format", "json", cwd=site.root)
    data = json.loads(done.stdout)
    assert done.returncode == 1
    assert {d["code"] for d in data["diagnostics"]} == {"E090", "E022"}


MKDOCS = """site_name: 测试
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - cunwu:
      notice_min_days: {days}
      public_phones: ["13812345678"]
"""


def test_config_changes_notice_min_days(clean: Site) -> None:
    config = clean.root / "site.yml"
    config.write_text(MKDOCS.format(days=10), encoding="utf-8")
    done = cli("validate", "content", "--today", TODAY, "--config", "site.yml", "--format", "json", cwd=clean.root)
    assert done.returncode == 1
    [d] = json.loads(done.stdout)["diagnostics"]
    assert d["code"] == "E050" and "10" in d["message"]
    config.write_text(MKDOCS.format(days=8), encoding="utf-8")  # the base notice is exactly 8 days
    done = cli("validate", "content", "--today", TODAY, "--config", "site.yml", cwd=clean.root)
    assert done.returncode == 0, done.stdout


def test_mkdocs_yml_in_the_working_directory_is_read(site: Site) -> None:
    site.write(base_record(), body="村委会电话 13812345678\n")
    done = cli("validate", "--today", TODAY, cwd=site.root)
    assert done.returncode == 1 and "E061" in done.stdout
    (site.root / "mkdocs.yml").write_text(MKDOCS.format(days=7), encoding="utf-8")
    done = cli("validate", "--today", TODAY, cwd=site.root)
    assert done.returncode == 0, done.stdout


def test_cunwu_today_is_honoured(clean: Site) -> None:
    # the base record's last date is 2024-07-10: the day before, it is in the future (E051)
    done = cli("validate", "--format", "json", cwd=clean.root, env={"CUNWU_TODAY": "2024-07-09"})
    data = json.loads(done.stdout)
    assert done.returncode == 1 and {d["code"] for d in data["diagnostics"]} == {"E051"}
    done = cli("validate", cwd=clean.root, env={"CUNWU_TODAY": "2024-07-10"})
    assert done.returncode == 0, done.stdout
    done = cli("validate", "--today", "2024-07-10", cwd=clean.root, env={"CUNWU_TODAY": "2024-07-09"})
    assert done.returncode == 0, done.stdout  # --today wins


def test_cli_survives_unreadable_records(site: Site, tmp_path) -> None:
    site.write(text=b"---\n\tid: [\n---\n")
    (site.content / "dongwang" / "2024-004.md").write_bytes(b"\x00\xff" * 10)
    outside = tmp_path / "x.md"
    outside.write_text("---\nid: 1\n---\n", encoding="utf-8")
    (site.content / "dongwang" / "2024-005.md").symlink_to(outside)
    done = cli("validate", "--format", "json", "--today", TODAY, cwd=site.root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    codes = {(d["file"], d["code"]) for d in json.loads(done.stdout)["diagnostics"]}
    assert codes == {("content/dongwang/2024-003.md", "E002"), ("content/dongwang/2024-004.md", "E001"),
                     ("content/dongwang/2024-005.md", "E005")}


@pytest.mark.parametrize("block", [
    "plugins:\n  - cunwu:\n      notice_min_days: seven\n",
    "plugins:\n  - cunwu:\n      notice_min_days: -1\n",
    "plugins:\n  - cunwu:\n      notice_min_days: true\n",
    "plugins:\n  - cunwu:\n      public_phones: 13812345678\n",
    "plugins:\n  - cunwu: 7\n",
    "plugins: [\n",
    "- 不是设置文件\n",
])
def test_bad_settings_are_usage_errors_not_tracebacks(clean: Site, block: str) -> None:
    (clean.root / "mkdocs.yml").write_text(block, encoding="utf-8")
    done = cli("validate", "--today", TODAY, cwd=clean.root)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "站点设置" in done.stderr


def test_plugins_as_a_mapping_are_read(clean: Site) -> None:
    (clean.root / "mkdocs.yml").write_text("plugins:\n  search: {}\n  cunwu:\n    notice_min_days: 10\n",
                                           encoding="utf-8")
    done = cli("validate", "--today", TODAY, "--format", "json", cwd=clean.root)
    assert done.returncode == 1
    assert [d["code"] for d in json.loads(done.stdout)["diagnostics"]] == ["E050"]


def test_plugin_without_options_uses_defaults(clean: Site) -> None:
    (clean.root / "mkdocs.yml").write_text("plugins:\n  - search\n  - cunwu\n", encoding="utf-8")
    assert cli("validate", "--today", TODAY, cwd=clean.root).returncode == 0
