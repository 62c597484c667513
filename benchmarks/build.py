"""Build benchmarks: the whole site at 1,000 and 10,000 records against bare MkDocs + Material.

    python -m benchmarks.build [--sizes 1000,10000] [--keep DIR] [--no-browser] [--no-reference]

For each size, on the same generated records (``benchmarks.generate``):

- validation time (``python -m builder validate``), full build time (``mkdocs build``: validation,
  every page, open data, Pagefind index) and per-record cost, peak memory of the build (its own
  rusage and that of its children, Pagefind included), site size;
- in Chromium: the bytes a first search query transfers (``/pagefind/`` requests) and the time to
  the first result on the emulated slow phone; a matter page's weight (HTML gzipped) and a first
  visit's total transfer;
- the reference: the same texts as plain Markdown pages built by bare MkDocs + Material with its
  built-in search plugin on, and the ratio of the two build times.

``serve_pickup`` measures how long ``mkdocs serve`` takes to show an edited record, and
``--phases MKDOCS_YML`` builds once in-process and lists where the time goes (MkDocs events,
pages MkDocs renders, Pagefind and the merge of its batches).
Folders a run replaces are moved aside and deleted at its end (``generate.discard``): on ext4,
creating files in the minutes after many were deleted is several times dearer. For the same
reason, leave a few minutes after an earlier run, or anything else that deleted thousands of
files, before measuring.
Sections ``build`` and ``serve`` of ``python -m benchmarks.run`` (``--only build,serve``); this
module also runs on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .generate import discard, empty_discarded, generate
from .run import Row, section

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 20)
RATIO_TARGET = 0.6  # full build ≤ 0.6 × bare MkDocs + Material
PEAK_TARGET_MB = 2048  # at 10,000 records
PEAK_TARGET_100K_MB = 8192  # at 100,000 records, and 15 minutes
TIME_TARGET_100K = 15 * 60
QUERY_TARGET = 300_000  # bytes for a first query at 10,000 records
FIRST_RESULT_TARGET = 3.0  # seconds on the slow phone at 10,000 records
SERVE_TARGET = 3.0  # seconds for mkdocs serve to show an edited record
QUERY = "速生杨"


# --- running and measuring a child ---------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest single process
    returncode: int
    stderr: str = ""
    total_mb: float = 0.0  # all its processes at once (proportional set size), and its /dev/shm files


def _tree_mb(root: int, shm_before: int) -> float:
    """Memory the process ``root`` and its descendants use now: their PSS (pages shared by forked
    processes counted once) and what they put in /dev/shm, in MB. Linux only; 0 elsewhere."""
    try:
        parents = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    parents[int(entry.name)] = int(f.read().rsplit(b")", 1)[1].split()[1])
        tree, grew = {root}, True
        while grew:
            more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
            tree |= more
            grew = bool(more)
        kb = 0
        for pid in tree:
            try:
                with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
                    kb += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
            except (OSError, StopIteration):
                pass
        return kb / 1024 + max(0, _shm_used() - shm_before) / 2**20
    except OSError:
        return 0.0


def _shm_used() -> int:
    try:
        stat = os.statvfs("/dev/shm")
    except OSError:
        return 0
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def run(args: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run a command; wall time, peak RSS of its largest process, peak memory of all of them."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8", **(env or {})}
    shm_before = _shm_used()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=err)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                peak[0] = max(peak[0], _tree_mb(proc.pid, shm_before))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), text, peak[0])


def tree_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files under ``folder``."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


# --- the two sites -------------------------------------------------------------------------------

def cunwu_config(workdir: Path, content: Path, site_url: str = "http://127.0.0.1:8000/cunwu/", **options) -> Path:
    """Our mkdocs.yml, pointed at ``content`` and written into ``workdir``; ``options``: more of
    the cunwu plugin's settings."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["site_url"] = site_url
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "cunwu" in entry:
            entry["cunwu"]["content"] = str(content)
            entry["cunwu"].update(options)
    path = workdir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _split(text: str) -> tuple[dict, str]:
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def bare_site(content: Path, workdir: Path) -> Path:
    """The same texts as plain Markdown pages for bare MkDocs + Material (built-in search on)."""
    docs = workdir / "docs"
    if docs.exists():
        discard(docs)
    docs.mkdir(parents=True)
    villages = yaml.safe_load((content / "villages.yml").read_text(encoding="utf-8"))["villages"]
    names = {v["id"]: v["name"] for v in villages}
    index = ["# 村务公开", ""]
    for path in sorted(content.glob("*/*.md")):
        data, body = _split(path.read_text(encoding="utf-8"))
        village = path.parent.name
        lines = [f"# {data['title']}", "", f"{names.get(village, village)} · 编号 {data['id']} · {data.get('category', '')}",
                 "", data.get("summary", ""), ""]
        for key in ("proposal", "deliberation", "review", "resolution", "disclosure", "implementation", "result"):
            step = data.get(key)
            if not isinstance(step, dict):
                continue
            lines.append(f"## {key}")
            lines.append("")
            for k, v in step.items():
                if isinstance(v, str) and "\n" in v:
                    lines += ["", v.strip(), ""]
                else:
                    lines.append(f"- {k}: {v}")
            lines.append("")
        lines += ["## 说明", "", body]
        out = docs / village / f"{data['id']}.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text("\n".join(lines), encoding="utf-8")
        index.append(f"- [{data['title']}]({village}/{data['id']}.md)")
    (docs / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    config = {"site_name": "村务公开（对照）", "site_url": "http://127.0.0.1:8000/bare/", "docs_dir": str(docs),
              "theme": {"name": "material", "language": "zh", "font": False}, "plugins": ["search"],
              # A short nav, as ours: with every page in it, each page would carry all the others.
              "nav": [{"首页": "index.md"}],
              "validation": {"nav": {"omitted_files": "ignore"}}}
    path = workdir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_build(config: Path, site: Path) -> Run:
    if site.exists():
        discard(site)  # a cold build: MkDocs would otherwise spend time emptying it
    # A settled disk for each build: files just generated are otherwise still being written out
    # while the next build runs, and a build's time depends on what ran before it.
    os.sync()
    env = {"CUNWU_TODAY": TODAY.isoformat(), "CUNWU_COMMIT": "0" * 40}
    done = run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)], config.parent, env)
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build 失败（{config}）：\n{done.stderr[-3000:]}")
    return done


# --- what a browser measures ---------------------------------------------------------------------

def browser_figures(site: Path, query: str = QUERY) -> dict:
    """First-query bytes and first-result seconds (fast and on the slow phone); matter page weight."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM_ARGS, PHONE, Transfer, chromium_path, first_result, serve, throttle

    out: dict = {}
    # A matter with a notice (and its QR code): the heavier kind of matter page.
    matter = sorted(p.parent for p in site.glob("*/*/index.html") if b'id="notice"' in p.read_bytes())[0]
    html = (matter / "index.html").read_bytes()
    out["matter_html"] = len(html)
    out["matter_html_gz"] = len(gzip.compress(html, 6, mtime=0))
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for label, slow in (("fast", False), ("slow", True)):
                context = browser.new_context(**PHONE)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                if slow:
                    throttle(cdp)
                else:
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                got = first_result(page, base, query, cdp=cdp, timeout=120)
                out[f"first_result_{label}"] = got["seconds"]
                out[f"query_bytes_{label}"] = got["pagefind_bytes"]
                out["query_files"] = got["pagefind_files"]
                out["query_titles"] = got["titles"][:3]
                context.close()
            context = browser.new_context(**PHONE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            transfer = Transfer(cdp)
            page.goto(base + matter.relative_to(site).as_posix() + "/", wait_until="networkidle")
            out["matter_first_visit"] = transfer.total()
            out["matter_requests"] = len(transfer.sizes)
            context.close()
        finally:
            browser.close()
    return out


# --- mkdocs serve --------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def serve_pickup(workdir: Path, content: Path | None = None, timeout: float = 60.0) -> dict:
    """Seconds from saving an edited record to ``mkdocs serve`` serving the new text.

    Copies the content (the sample by default) so that the repository is never touched."""
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / "content"
    if copy.exists():
        discard(copy)
    shutil.copytree(content or ROOT / "content", copy)
    config = cunwu_config(workdir, copy)
    port = _free_port()
    record = sorted(copy.glob("*/*.md"))[0]
    url = f"http://127.0.0.1:{port}/cunwu/{record.parent.name}/{record.stem}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CUNWU_TODAY": TODAY.isoformat(), "CUNWU_COMMIT": "0" * 40}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "--dev-addr",
                             f"127.0.0.1:{port}"], cwd=workdir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        start = time.perf_counter()
        while "<h1" not in _get(url):
            if proc.poll() is not None or time.perf_counter() - start > timeout:
                raise SystemExit("mkdocs serve 没有启动：" + (proc.stderr.read() if proc.poll() is not None else ""))
            time.sleep(0.1)
        first = time.perf_counter() - start
        time.sleep(1.0)  # let the watcher settle after the first build
        text = record.read_text(encoding="utf-8")
        title = re.search(r"^title: (.+)$", text, re.M).group(1)
        marker = f"（已修改 {int(time.time())}）"
        edited = text.replace(f"title: {title}", f"title: {title}{marker}", 1)
        start = time.perf_counter()
        record.write_text(edited, encoding="utf-8")
        while marker not in _get(url):
            if time.perf_counter() - start > timeout:
                raise SystemExit("mkdocs serve 超时：改过的记录没有出现")
            time.sleep(0.05)
        pickup = time.perf_counter() - start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"first_build": first, "pickup": pickup}


# --- one size, both builds -----------------------------------------------------------------------

@dataclass
class Figures:
    n: int
    validate: Run
    build: Run
    site_bytes: int
    site_files: int
    reference: Run | None = None
    reference_bytes: int = 0
    reference_index: int = 0
    reference_index_gz: int = 0
    browser: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.build.seconds / self.reference.seconds if self.reference else None


def measure(n: int, workdir: Path, content: Path, browser: bool = True, reference: bool = True) -> Figures:
    ours = workdir / f"cunwu-{n}"
    ours.mkdir(parents=True, exist_ok=True)
    env = {"CUNWU_TODAY": TODAY.isoformat()}
    validated = run([sys.executable, "-m", "builder", "validate", str(content), "--today", TODAY.isoformat()],
                    ROOT, env)
    if validated.returncode != 0:
        raise SystemExit(f"生成的记录没有通过检查：\n{validated.stderr[-2000:]}")
    built = mkdocs_build(cunwu_config(ours, content), ours / "site")
    size, files = tree_size(ours / "site")
    figures = Figures(n, validated, built, size, files)
    if reference:
        bare = workdir / f"bare-{n}"
        bare.mkdir(parents=True, exist_ok=True)
        figures.reference = mkdocs_build(bare_site(content, bare), bare / "site")
        figures.reference_bytes, _ = tree_size(bare / "site")
        index = bare / "site/search/search_index.json"
        if index.exists():
            data = index.read_bytes()
            figures.reference_index, figures.reference_index_gz = len(data), len(gzip.compress(data, 6, mtime=0))
        discard(bare / "docs")
    if browser:
        figures.browser = browser_figures(ours / "site")
    return figures


def rows(f: Figures) -> list[tuple[str, float, str, str, bool | None]]:
    """(what, value, unit, target, met) for one size."""
    n = f.n
    big = n >= 10_000
    limit = PEAK_TARGET_100K_MB if n >= 100_000 else PEAK_TARGET_MB if big else 0
    out = [
        (f"检查记录 builder validate，{n:,} 条", f.validate.seconds, "秒", "", None),
        (f"完整构建 mkdocs build，{n:,} 条", f.build.seconds, "秒", "≤ 15 分钟" if n >= 100_000 else "",
         f.build.seconds <= TIME_TARGET_100K if n >= 100_000 else None),
        (f"每条记录的构建成本，{n:,} 条", 1000 * f.build.seconds / n, "毫秒", "", None),
        (f"构建峰值内存（最大的一个进程），{n:,} 条", f.build.peak_mb, "MB", "", None),
        (f"构建峰值内存（全部进程合计，含 /dev/shm），{n:,} 条", f.build.total_mb, "MB",
         f"≤ {limit:,} MB" if limit else "", f.build.total_mb <= limit if limit else None),
        (f"网站大小，{n:,} 条（{f.site_files:,} 个文件）", f.site_bytes / 1e6, "MB", "", None),
    ]
    if f.reference:
        out += [
            (f"对照：MkDocs + Material（内置搜索），{n:,} 页", f.reference.seconds, "秒", "", None),
            (f"对照峰值内存，{n:,} 页", f.reference.peak_mb, "MB", "", None),
            (f"对照 search_index.json，{n:,} 页（gzip 后）", f.reference_index / 1e6, "MB",
             f"{f.reference_index_gz / 1e6:.1f} MB gz", None),
            (f"构建用时之比（本站 / 对照），{n:,} 条", f.ratio, "倍", f"≤ {RATIO_TARGET}" if big else "",
             f.ratio <= RATIO_TARGET if big else None),
        ]
    b = f.browser
    if b:
        out += [
            (f"首次搜索“{QUERY}”传输（/pagefind/），{n:,} 条", b["query_bytes_slow"] / 1000, "KB",
             f"≤ {QUERY_TARGET // 1000} KB" if big else "", b["query_bytes_slow"] <= QUERY_TARGET if big else None),
            (f"首个结果用时（不限速），{n:,} 条", b["first_result_fast"], "秒", "", None),
            (f"首个结果用时（慢速手机：CPU 4×、1.6 Mbit/s、150 ms），{n:,} 条", b["first_result_slow"], "秒",
             f"≤ {FIRST_RESULT_TARGET:g} 秒" if big else "", b["first_result_slow"] <= FIRST_RESULT_TARGET if big else None),
            (f"事项页 HTML（gzip 后），{n:,} 条", b["matter_html_gz"] / 1000, "KB", "", None),
            (f"事项页首次访问总传输（{b['matter_requests']} 个请求），{n:,} 条", b["matter_first_visit"] / 1000, "KB", "",
             None),
        ]
    return out


# --- where a build's time goes --------------------------------------------------------------------

def phases(config: Path, site: Path) -> dict[str, float]:
    """Build in this process with MkDocs' events, page builds and the Pagefind step timed.

    Run it in a child (``python -m benchmarks.build --phases CONFIG``): it patches MkDocs."""
    import mkdocs.commands.build as mkbuild
    import mkdocs.plugins as mkplugins
    from mkdocs.config import load_config

    import builder.engine.search as search

    spent: dict[str, float] = {}

    def timed(name: str, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
        return wrapper

    run_event = mkplugins.PluginCollection.run_event
    mkplugins.PluginCollection.run_event = lambda self, name, *a, **k: timed(f"on_{name}", run_event)(self, name, *a, **k)
    mkbuild._build_page = timed("pages rendered by MkDocs", mkbuild._build_page)
    mkbuild._build_theme_template = timed("theme templates (404, sitemap)", mkbuild._build_theme_template)
    search.Indexer._merge = timed("  of which merge (its own process)", search.Indexer._merge)
    search._run_pagefind = timed("  Pagefind runs (summed over batches)", search._run_pagefind)
    start = time.perf_counter()
    mkbuild.build(load_config(str(config), site_dir=str(site)))
    spent["total"] = time.perf_counter() - start
    return spent


# --- plugging into benchmarks.run ----------------------------------------------------------------

@section("build")
def build_section(bench) -> Iterable[Row]:
    """Both builds and the browser figures, for each size."""
    for n in bench.sizes:
        figures = measure(n, bench.workdir, bench.content(n))
        for what, value, unit, target, ok in rows(figures):
            yield Row("build", what, value, unit, target, ok)


@section("serve")
def serve_section(bench) -> Iterable[Row]:
    """mkdocs serve picking up an edited record of the sample content."""
    got = serve_pickup(bench.workdir / "serve")
    yield Row("serve", "mkdocs serve 首次构建（示例数据）", got["first_build"], "秒")
    yield Row("serve", "mkdocs serve 显示改过的记录（示例数据）", got["pickup"], "秒", f"≤ {SERVE_TARGET:g} 秒",
              got["pickup"] <= SERVE_TARGET)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build", description="构建、搜索和页面大小的性能测试")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--keep", type=Path, help="把生成的数据和网站留在这个文件夹")
    parser.add_argument("--no-browser", action="store_true", help="不在 Chromium 里测搜索和页面")
    parser.add_argument("--no-reference", action="store_true", help="不构建 MkDocs + Material 对照")
    parser.add_argument("--no-serve", action="store_true", help="不测 mkdocs serve")
    parser.add_argument("--phases", type=Path, metavar="MKDOCS_YML", help="只在本进程构建一次，列出各阶段用时")
    args = parser.parse_args(argv)
    if args.phases:
        os.environ.setdefault("CUNWU_TODAY", TODAY.isoformat())
        with tempfile.TemporaryDirectory(prefix="cunwu-phases-") as tmp:
            for name, seconds in sorted(phases(args.phases, Path(tmp) / "site").items(), key=lambda x: -x[1]):
                print(f"{seconds:8.2f} 秒  {name}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="cunwu-build-bench-") as tmp:
        workdir = (args.keep or Path(tmp)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        table = []
        for n in sizes:
            content = generate(workdir / f"n{n}", n, today=TODAY)
            print(f"{n:,} 条记录已生成，开始构建 …", file=sys.stderr)
            table += rows(measure(n, workdir, content, not args.no_browser, not args.no_reference))
        if not args.no_serve:
            got = serve_pickup(workdir / "serve")
            table.append(("mkdocs serve 显示改过的记录（示例数据）", got["pickup"], "秒", f"≤ {SERVE_TARGET:g} 秒",
                          got["pickup"] <= SERVE_TARGET))
        empty_discarded(workdir)
    for what, value, unit, target, ok in table:
        verdict = "" if ok is None else ("达标" if ok else "未达标")
        print(f"{what}: {value:,.2f} {unit}  {target} {verdict}".rstrip())
    return 0 if all(ok is not False for *_, ok in table) else 1


if __name__ == "__main__":
    raise SystemExit(main())
