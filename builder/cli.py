"""Command line: ``python -m builder validate`` (spec §7) and ``python -m builder new``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from .model.report import as_text
from .model.rules import Diagnostic
from .model.settings import build_date
from .usage import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit code is 2 as well
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误：{message}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m builder", description="村务公开记录的检查与维护工具")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    v = sub.add_parser("validate", help="检查记录是否符合规范")
    v.add_argument("paths", nargs="*", help="content 文件夹，或若干记录文件（默认 content）")
    v.add_argument("--today", help="按这一天检查期限（YYYY-MM-DD），默认今天")
    v.add_argument("--format", choices=("text", "json", "github"), default="text")
    v.add_argument("--base", help="与这个 git 版本比较，检查已公开内容的修改（E080、E081）")
    v.add_argument("--config", help="站点设置文件（默认当前目录的 mkdocs.yml）")
    n = sub.add_parser("new", help="新建一条记录的模板")
    n.add_argument("--village", required=True, help="村代码")
    n.add_argument("--title", required=True, help="事项标题")
    n.add_argument("--content", default="content", help="content 文件夹")
    n.add_argument("--year", type=int, help="编号的年份（默认今年）")
    return parser


def _today(value: str | None) -> dt.date:
    if value is not None and not value.strip():
        raise UsageError("--today 后面缺少日期（YYYY-MM-DD）")
    try:
        return build_date(value)
    except ValueError as exc:
        raise UsageError(f"日期 {value or os.environ.get('CUNWU_TODAY')} 不是 YYYY-MM-DD 格式") from exc


def _targets(paths: list[str]) -> tuple[dict[Path, list[Path] | None], list[Diagnostic]]:
    """Content folders to check, each with the record files to check (None: all of them; an
    empty list: the registry alone), and E006 for a file given that is a misnamed record.
    A folder or file named twice (``content ./content``) is checked once."""
    from .model.disk import misnamed
    from .model.sources import REGISTRY

    if not paths:
        paths = ["content"]
    targets: dict[Path, list[Path] | None] = {}
    folders: dict[str, Path] = {}  # real path -> the spelling first given
    misnamed_files: list[Diagnostic] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            targets[folders.setdefault(os.path.realpath(path), path)] = None
        elif path.name == REGISTRY and path.is_file():
            content = folders.setdefault(os.path.realpath(path.parent), path.parent)
            targets.setdefault(content, [])
        elif path.suffix == ".md" and (path.exists() or path.is_symlink()):
            content, path = _in_content(path)
            content = folders.setdefault(os.path.realpath(content), content)
            path = content / path.parent.name / path.name
            listed = targets.setdefault(content, [])
            if listed is not None and path not in listed:
                listed.append(path)
        elif path.is_file() and (wrong := misnamed(path, Path(os.path.dirname(os.path.dirname(os.path.abspath(path)))))):
            if wrong not in misnamed_files:
                misnamed_files.append(wrong)
        else:
            raise UsageError(f"找不到 {text}（应为 content 文件夹、villages.yml 或 .md 记录文件）")
    return targets, misnamed_files


def _in_content(path: Path) -> tuple[Path, Path]:
    """The content folder of a record file, and the record's path through it. ``2024-003.md``
    given from inside the village folder lives in ``..``, which ``path.parent.parent`` misses."""
    absolute = Path(os.path.abspath(path))
    try:
        content = Path(os.path.relpath(absolute.parent.parent))
    except ValueError:  # another drive
        content = absolute.parent.parent
    return content, content / absolute.parent.name / absolute.name


def run_validate(args: argparse.Namespace) -> int:
    from .config import load_settings
    from .engine.parallel import validate_content

    today = _today(args.today)
    config = Path(args.config) if args.config else None
    if config is not None and not config.is_file():
        raise UsageError(f"找不到设置文件 {args.config}")
    try:
        settings = load_settings(config)
    except (TypeError, ValueError, AttributeError, OSError) as exc:
        raise UsageError(f"无法读取站点设置：{exc}") from exc
    targets, diagnostics = _targets(args.paths)
    checked = 0
    for content, only in targets.items():
        report = validate_content(content, settings, today, only)
        checked += report.checked
        diagnostics += report.diagnostics
        if args.base:
            diagnostics += _history(content, args.base, report.parsed)
    emit(diagnostics, checked, args.format, sys.stdout)
    return EXIT_ERRORS if any(d.severity == "error" for d in diagnostics) else EXIT_OK


def _history(content: Path, base: str, parsed: dict) -> list[Diagnostic]:
    from .model.history import check_history
    from .revisions import GitError, exists, old_records

    try:
        return check_history(old_records(content, base), base, parsed, exists)
    except GitError as exc:
        raise UsageError(f"无法与 {base} 比较：{exc}") from exc


def emit(diagnostics: list[Diagnostic], checked: int, fmt: str, out) -> None:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if fmt == "json":
        json.dump({"records": checked, "errors": errors, "warnings": warnings,
                   "diagnostics": [d.as_dict() for d in diagnostics]}, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    if fmt == "github":
        for d in diagnostics:
            out.write(github_annotation(d) + "\n")
        _job_summary(diagnostics, checked, errors, warnings)
    else:
        for d in diagnostics:
            out.write(as_text(d) + "\n")
    out.write(f"检查了 {checked} 条记录：{errors} 个错误，{warnings} 个警告\n")


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_annotation(d: Diagnostic) -> str:
    props = f"file={_escape(d.file, True)}"
    if d.line:
        props += f",line={d.line}"
    props += f",title={_escape(d.code, True)}"
    body = d.message + (f"\n提示：{d.hint}" if d.hint else "")
    return f"::{d.severity} {props}::{_escape(body)}"


def _job_summary(diagnostics: list[Diagnostic], checked: int, errors: int, warnings: int) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    rows = [f"### 村务记录检查：{checked} 条记录，{errors} 个错误，{warnings} 个警告", ""]
    if diagnostics:
        rows += ["| 文件 | 行 | 代码 | 说明 |", "|---|---|---|---|"]
        rows += [f"| {d.file} | {d.line or ''} | {d.code} | {d.message.replace('|', '｜')} |" for d in diagnostics]
    with open(target, "a", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")


def run_new(args: argparse.Namespace) -> int:
    from .new import write_new

    path = write_new(Path(args.content), args.village, args.title, args.year or _today(None).year)
    print(f"已新建 {path}，请按注释填写")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    args = make_parser().parse_args(argv)
    try:
        return run_validate(args) if args.command == "validate" else run_new(args)
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE

