"""``validate --base REF`` (E080, E081) on real temporary git repositories."""

from __future__ import annotations

import pytest

from .conftest import DELIBERATING, DISCLOSED, Repo, codes, make_content, run_cli, validate_json

RECORD = "content/dongwang/2024-001.md"
OTHER = "content/dongwang/2024-002.md"
CORRECTION = "corrections:\n  - {date: 2024-03-25, reason: 更正道路长度}\n---\n"


@pytest.fixture
def based(repo: Repo) -> Repo:
    """A repository whose base commit holds one disclosed and one undisclosed record."""
    make_content(repo.root, {"dongwang/2024-001.md": DISCLOSED, "dongwang/2024-002.md": DELIBERATING})
    repo.commit("两条记录")
    repo.git("tag", "base")
    return repo


def check(repo: Repo, *paths: str) -> tuple[int, dict]:
    return validate_json(repo.root, *(paths or ("content",)), "--base", "base")


def test_unchanged_passes(based: Repo) -> None:
    rc, report = check(based)
    assert (rc, report["errors"], report["warnings"]) == (0, 0, 0), report


@pytest.mark.parametrize(("old", "new", "step"), [
    ("同意硬化村东道路 800 米", "同意硬化村东道路 600 米", "resolution"),
    ("votes: {for: 36, against: 2, abstain: 0}", "votes: {for: 37, against: 1, abstain: 0}", "resolution"),
    ("until: 2024-03-23", "until: 2024-03-25", "disclosure"),
    ("channels: [公开栏, 微信群]", "channels: [公开栏]", "disclosure"),
])
def test_changed_disclosed_step_is_e080(based: Repo, old: str, new: str, step: str) -> None:
    path = based.root / RECORD
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    based.commit("改动已公开的内容")
    rc, report = check(based)
    assert rc == 1
    assert codes(report) == ["E080"], report
    diagnostic = report["diagnostics"][0]
    assert diagnostic["file"].endswith("2024-001.md")
    assert diagnostic["line"] == path.read_text(encoding="utf-8").split("\n").index(f"{step}:") + 1


def test_changed_with_new_correction_passes(based: Repo) -> None:
    path = based.root / RECORD
    text = path.read_text(encoding="utf-8").replace("800 米", "600 米")
    path.write_text(text.replace("---\n村东", CORRECTION + "村东"), encoding="utf-8")
    based.commit("更正并记录")
    rc, report = check(based)
    assert (rc, codes(report)) == (0, []), report


def test_old_correction_does_not_cover_a_new_change(based: Repo) -> None:
    path = based.root / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("---\n村东", CORRECTION + "村东"), encoding="utf-8")
    based.commit("一条修订")
    based.git("tag", "-f", "base")
    path.write_text(path.read_text(encoding="utf-8").replace("800 米", "700 米"), encoding="utf-8")
    rc, report = check(based)
    assert rc == 1 and codes(report) == ["E080"], report


def test_later_steps_and_unguarded_keys_may_be_added_or_changed(based: Repo) -> None:
    path = based.root / RECORD
    text = path.read_text(encoding="utf-8")
    text = text.replace("村东道路是土路", "村东道路原是土路").replace("title: 关于村东道路硬化的事项", "title: 关于村东道路硬化工程的事项")
    text = text.replace("---\n村东", "implementation:\n  responsible: 村委会\n  start: 2024-03-25\n  due: 2024-06-30\n---\n村东")
    path.write_text(text, encoding="utf-8")
    rc, report = check(based)
    assert (rc, codes(report)) == (0, []), report


def test_deleted_disclosed_record_is_e081(based: Repo) -> None:
    (based.root / RECORD).unlink()
    based.commit("删除已公开的记录")
    rc, report = check(based)
    assert rc == 1
    assert codes(report) == ["E081"], report
    assert report["diagnostics"][0]["file"].endswith("2024-001.md")


def test_moved_disclosed_record_is_e081(based: Repo) -> None:
    (based.root / RECORD).rename(based.root / "content/dongwang/2024-009.md")
    rc, report = check(based)
    assert "E081" in codes(report), report


def test_undisclosed_record_may_change_freely(based: Repo) -> None:
    path = based.root / OTHER
    path.write_text(path.read_text(encoding="utf-8").replace("present: 5", "present: 4"), encoding="utf-8")
    rc, report = check(based)
    assert (rc, codes(report)) == (0, []), report
    path.unlink()
    based.commit("撤回未公开的记录")
    rc, report = check(based)
    assert (rc, codes(report)) == (0, []), report


def test_record_files_only_as_a_hook_passes_them(based: Repo) -> None:
    path = based.root / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("800 米", "600 米"), encoding="utf-8")
    rc, report = check(based, RECORD)
    assert rc == 1 and codes(report) == ["E080"], report
    rc, report = check(based, OTHER)
    assert "E080" not in codes(report)


def test_base_against_a_branch_after_a_merge(based: Repo) -> None:
    """As the pull-request check runs it: --base names the target branch."""
    based.git("checkout", "-q", "-b", "pr")
    path = based.root / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("800 米", "600 米"), encoding="utf-8")
    based.commit("在分支上改动")
    rc, report = validate_json(based.root, "content", "--base", "main")
    assert rc == 1 and codes(report) == ["E080"]


def test_unknown_base_is_a_usage_error(based: Repo) -> None:
    done = run_cli("validate", "content", "--base", "no-such-ref", cwd=based.root)
    assert done.returncode == 2
    assert "no-such-ref" in done.stderr


def test_base_outside_a_git_repository_is_a_usage_error(tmp_path) -> None:
    make_content(tmp_path, {"dongwang/2024-001.md": DISCLOSED})
    done = run_cli("validate", "content", "--base", "HEAD", cwd=tmp_path, GIT_CEILING_DIRECTORIES=str(tmp_path.parent))
    assert done.returncode == 2
    assert "用法错误" in done.stderr


def test_removed_disclosed_step_is_e080(based: Repo) -> None:
    path = based.root / RECORD
    text = path.read_text(encoding="utf-8")
    start = text.index("disclosure:")
    path.write_text(text[:start] + text[text.index("---\n村东"):], encoding="utf-8")
    rc, report = check(based)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert rc == 1 and [d["code"] for d in errors] == ["E080"], report
    assert "决议公开" in errors[0]["message"]


OBJECTION = "  objections:\n    - {date: 2024-03-18, summary: 第三组对路线有异议}\n"
ANSWERED = ("  objections:\n    - {date: 2024-03-18, summary: 第三组对路线有异议, response: 已现场核实并调整, "
            "answered: 2024-03-20}\n")
UNTIL = "  until: 2024-03-23\n  channels: [公开栏, 微信群]\n"


def _post(repo: Repo, objections: str) -> None:
    path = repo.root / RECORD
    text = path.read_text(encoding="utf-8")
    start = text.index(UNTIL) + len(UNTIL)
    end = text.index("---\n村东")
    path.write_text(text[:start] + objections + text[end:], encoding="utf-8")


@pytest.mark.parametrize("later", [OBJECTION, ANSWERED, "  objections: none\n"])
def test_what_a_notice_period_adds_needs_no_correction(based: Repo, later: str) -> None:
    """Objections raised during the notice period, and their answers, are its record, not a change."""
    _post(based, later)
    rc, report = check(based)
    assert (rc, report["errors"]) == (0, 0), report  # W054 may say an objection waits for its answer


def test_an_answer_given_later_needs_no_correction(based: Repo) -> None:
    _post(based, OBJECTION)
    based.commit("收到异议")
    based.git("tag", "-f", "base")
    _post(based, ANSWERED)
    rc, report = check(based)
    assert (rc, report["errors"]) == (0, 0), report  # W054 may say an objection waits for its answer


@pytest.mark.parametrize("later", [
    "",  # the objection on record dropped
    OBJECTION.replace("第三组对路线有异议", "第三组无异议"),  # reworded
    "  objections: none\n",  # "none" where an objection was on record
    OBJECTION.replace("2024-03-18", "2024-03-19"),  # its date moved
])
def test_rewriting_an_objection_on_record_is_e080(based: Repo, later: str) -> None:
    _post(based, OBJECTION)
    based.commit("收到异议")
    based.git("tag", "-f", "base")
    _post(based, later)
    rc, report = check(based)
    assert (rc, [c for c in codes(report) if c.startswith("E")]) == (1, ["E080"]), report


def test_changing_an_answer_on_record_is_e080(based: Repo) -> None:
    _post(based, ANSWERED)
    based.commit("异议已答复")
    based.git("tag", "-f", "base")
    _post(based, ANSWERED.replace("已现场核实并调整", "不予调整"))
    rc, report = check(based)
    assert (rc, [c for c in codes(report) if c.startswith("E")]) == (1, ["E080"]), report
