"""Benchmarks, printed as a table.

    python -m benchmarks.run [--sizes 1000,10000] [--only validate,cold-start] [--repeat 3] [--keep DIR]

Sections (``--only`` picks some, comma-separated; default all):

- ``validate``: records validated per second, in-process (``builder.model.validate.validate``, with the
  garbage collection it leaves behind) and through the command line
  (``python -m builder validate DIR --format json``, interpreter start included), and the peak
  memory of that command (``getrusage`` of the child).
- ``cold-start``: ``python -m builder validate content/<village>/<record>.md`` on one record,
  median of 5 runs: what a pre-commit hook costs.

Content comes from ``benchmarks.generate`` (valid records, mixed statuses and categories), made
once per size and shared by the sections. To add a section, write a function that takes the
``Bench`` and yields ``Row``s, and decorate it with ``@section("name")`` from this module, here or
in another module of this package (every module here is imported, so a ``benchmarks/build.py``
that registers ``@section("build")`` is picked up). ``Bench.content(n)`` gives a content folder of
``n`` records; ``Bench.run_cli(...)`` runs a command and measures its time and peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import os
import pkgutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .generate import empty_discarded, generate

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 20)
TARGET_RATE = 2000  # records/s at 10,000 records
TARGET_COLD = 1.0  # seconds for one record


@dataclass
class Row:
    section: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None  # None: no target

    def cells(self) -> list[str]:
        value = f"{self.value:,.0f}" if self.value >= 100 else f"{self.value:.3f}" if self.value < 10 else f"{self.value:.1f}"
        verdict = "" if self.ok is None else ("达标" if self.ok else "未达标")
        return [self.section, self.name, f"{value} {self.unit}", self.target, verdict]


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float  # user + system time of the child
    max_rss_kb: int
    returncode: int
    stdout: str


@dataclass
class Bench:
    sizes: list[int]
    repeat: int
    workdir: Path
    today: dt.date = TODAY
    _content: dict[int, Path] = field(default_factory=dict)

    def content(self, n: int) -> Path:
        """A content folder of ``n`` valid records (made once per size)."""
        if n not in self._content:
            start = time.perf_counter()
            self._content[n] = generate(self.workdir / f"n{n}", n, today=self.today)
            print(f"  生成 {n:,} 条记录用了 {time.perf_counter() - start:.1f} 秒", file=sys.stderr)
        return self._content[n]

    def run_cli(self, args: list[str], cwd: Path) -> Measured:
        """Run ``args`` and measure its wall time and peak memory (its own rusage, via wait4)."""
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   PYTHONIOENCODING="utf-8")
        env.pop("CUNWU_TODAY", None)
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            text = out.read().decode("utf-8")
        return Measured(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, text)


SECTIONS: dict[str, Callable[[Bench], Iterable[Row]]] = {}


def section(name: str) -> Callable:
    def register(fn: Callable[[Bench], Iterable[Row]]) -> Callable[[Bench], Iterable[Row]]:
        SECTIONS[name] = fn
        return fn
    return register


def _rate_target(n: int, rate: float) -> tuple[str, bool | None]:
    if n != 10_000:
        return "", None
    return f"≥ {TARGET_RATE:,} 条/秒", rate >= TARGET_RATE


@section("validate")
def validate_throughput(bench: Bench) -> Iterable[Row]:
    from builder.engine.parallel import validate_content as validate
    from builder.model.settings import Settings

    for n in bench.sizes:
        content = bench.content(n)
        times, cpu = [], []
        for _ in range(bench.repeat):
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            report = validate(content, Settings(), bench.today)
            gc.collect()  # the collection it deferred is part of its cost
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            if report.errors or len(report.records) != n:
                raise SystemExit(f"生成的记录没有全部通过检查：{report.errors} 个错误，{len(report.records)}/{n} 条")
            del report
        rate = n / statistics.median(times)
        yield Row("validate", f"进程内 validate()，{n:,} 条", rate, "条/秒", *_rate_target(n, rate))
        yield Row("validate", "  同上，按 CPU 时间计", n / statistics.median(cpu), "条/秒")

        runs = []
        for _ in range(bench.repeat):
            m = bench.run_cli([sys.executable, "-m", "builder", "validate", str(content), "--format", "json",
                               "--today", bench.today.isoformat()], cwd=bench.workdir)
            data = json.loads(m.stdout)
            if m.returncode != 0 or data["records"] != n or data["errors"]:
                raise SystemExit(f"命令行检查失败：退出码 {m.returncode}，{data['errors']} 个错误")
            runs.append(m)
        seconds = statistics.median(r.seconds for r in runs)
        rate = n / seconds
        yield Row("validate", f"命令行 --format json，{n:,} 条（含启动）", rate, "条/秒", *_rate_target(n, rate))
        yield Row("validate", "  同上，按 CPU 时间计", n / statistics.median(r.cpu_seconds for r in runs), "条/秒")
        yield Row("validate", f"命令行用时，{n:,} 条", seconds, "秒")
        yield Row("validate", f"命令行峰值内存，{n:,} 条", max(r.max_rss_kb for r in runs) / 1024, "MB")


@section("cold-start")
def cold_start(bench: Bench) -> Iterable[Row]:
    content = bench.content(min(bench.sizes))
    record = sorted(content.glob("*/*.md"))[0].relative_to(content.parent)
    base = content.parent

    def median_of_5(args: list[str]) -> float:
        runs = [bench.run_cli(args, cwd=base) for _ in range(5)]
        if any(r.returncode for r in runs):
            raise SystemExit(f"{' '.join(args)} 失败：退出码 {runs[0].returncode}")
        return statistics.median(r.seconds for r in runs)

    python = median_of_5([sys.executable, "-c", "pass"])
    one = median_of_5([sys.executable, "-m", "builder", "validate", str(record), "--today", bench.today.isoformat()])
    yield Row("cold-start", "python -c pass（参照）", python, "秒")
    yield Row("cold-start", f"validate 一条记录（{record.as_posix()}），5 次中位数", one, "秒",
              f"< {TARGET_COLD:g} 秒", one < TARGET_COLD)


def discover() -> None:
    """Import the other modules of this package, so that their ``@section``s register here."""
    this = sys.modules[__name__]
    sys.modules.setdefault(f"{__package__}.run", this)  # run as __main__: one SECTIONS, not two
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name in ("run", "generate", "__main__"):
            continue
        try:
            importlib.import_module(f"{__package__}.{info.name}")
        except ImportError as exc:
            print(f"  跳过 benchmarks.{info.name}：{exc}", file=sys.stderr)


def print_table(rows: list[Row], out=None) -> None:
    out = out or sys.stdout
    head = ["部分", "测量", "结果", "目标", ""]
    cells = [head] + [r.cells() for r in rows]

    def width(text: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(c) > 0x2E7F else 1 for c in text)

    widths = [max(width(row[i]) for row in cells) for i in range(len(head))]
    for j, row in enumerate(cells):
        line = "  ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(row)).rstrip()
        print(line, file=out)
        if j == 0:
            print("  ".join("-" * w for w in widths), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description="村务公开网站的性能测试")
    parser.add_argument("--sizes", default="1000,10000", help="记录条数，逗号分隔（默认 1000,10000）")
    parser.add_argument("--only", help="只运行这些部分，逗号分隔（validate、cold-start 等）")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数，取中位数（默认 3）")
    parser.add_argument("--keep", type=Path, help="把生成的数据留在这个文件夹（默认用完即删）")
    parser.add_argument("--json", type=Path, help="另把结果写成 JSON 文件")
    args = parser.parse_args(argv)
    discover()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    names = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown or not sizes:
        parser.error(f"没有这些部分：{', '.join(unknown)}（可选：{', '.join(SECTIONS)}）" if unknown else "--sizes 为空")
    with tempfile.TemporaryDirectory(prefix="cunwu-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        bench = Bench(sizes, max(1, args.repeat), workdir.resolve())
        rows: list[Row] = []
        for name in names:
            print(f"运行 {name} …", file=sys.stderr)
            rows += list(SECTIONS[name](bench))
        empty_discarded(workdir)  # folders set aside, not deleted, while measuring
    load = "、".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}，{os.cpu_count()} 核，系统负载 {load}（1、5、15 分钟；"
          f"其他进程占用 CPU 时，墙钟时间偏慢，CPU 时间较稳定）")
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
