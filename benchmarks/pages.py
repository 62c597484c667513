"""Each kind of page opened cold on the emulated cheap phone: load time and HTML weight.

    python -m benchmarks.pages [--sizes 10000] [--keep DIR]

The site is built from generated records (``benchmarks.generate``: about 20 villages a township),
then each kind of page (home, township, village, each list page, statistics, matter, search) is
opened in real Chromium as the issue's phone: CPU 4x slower, 1.6 Mbit/s, 150 ms latency, cache
off. The figures: seconds to the load event, the HTML gzipped as served, and the elements on the
page. Targets: 3 s and 60 KB for every kind, whatever the number of records. Section ``pages`` of
``python -m benchmarks.run`` (``--only pages``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .build import TODAY, cunwu_config, mkdocs_build
from .generate import empty_discarded, generate
from .run import Row, section

LOAD_TARGET = 3.0  # seconds to the load event on the slow phone
WEIGHT_TARGET = 60_000  # bytes of HTML, gzipped


def _largest(site: Path, pattern: str) -> str:
    """The address of the heaviest page matching ``pattern`` (the worst case of its kind)."""
    pages = list(site.glob(pattern))
    if not pages:
        return ""
    worst = max(pages, key=lambda p: p.stat().st_size)
    return worst.parent.relative_to(site).as_posix() + "/"


def kinds(site: Path) -> dict[str, str]:
    """One address of each kind of page, the heaviest where a kind has many."""
    villages = {p.parent.parent for p in site.glob("*/[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9]/index.html")}
    village = max(villages, key=lambda d: (d / "index.html").stat().st_size).name + "/" if villages else ""
    matter = sorted(p.parent for p in site.glob("*/*/index.html") if b'id="notice"' in p.read_bytes())
    out = {
        "首页": "",
        "乡镇": _largest(site, "township/*/index.html"),
        "村（最大的）": village,
        "事项（有公告）": matter[0].relative_to(site).as_posix() + "/" if matter else "",
        "状态列表 已办结 第 1 页": "status/completed/",
        "状态列表 已办结 第 2 页": "status/completed/2/" if (site / "status/completed/2").is_dir() else "",
        "类别列表（最大的）": _largest(site, "category/*/index.html"),
        "乡镇全部事项列表": _largest(site, "township/*/matters/index.html"),
        "逾期事项列表": "overdue/",
        "统计": "stats/",
        "乡镇统计（最大的）": _largest(site, "stats/*/index.html"),
        "搜索": "search/",
    }
    return {k: v for k, v in out.items() if v or k == "首页"}


def measure(site: Path) -> dict[str, dict]:
    """``{kind: {"url", "seconds", "gz", "raw", "elements"}}`` on the slow phone, each page cold."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM_ARGS, PHONE, chromium_path, serve, throttle

    out = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for kind, url in kinds(site).items():
                raw = (site / url / "index.html").read_bytes()
                context = browser.new_context(**PHONE)  # nothing cached from the page before
                page = context.new_page()
                throttle(context.new_cdp_session(page))
                page.goto(base + url, wait_until="load", timeout=120_000)
                ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
                elements = page.evaluate("document.getElementsByTagName('*').length")
                out[kind] = {"url": url, "seconds": ms / 1000, "raw": len(raw),
                             "gz": len(gzip.compress(raw, 6, mtime=0)), "elements": elements}
                context.close()
        finally:
            browser.close()
    return out


def rows(n: int, figures: dict[str, dict]) -> Iterable[tuple[str, float, str, str, bool]]:
    for kind, f in figures.items():
        yield (f"{kind} 加载（慢速手机，冷启动），{n:,} 条", f["seconds"], "秒", f"≤ {LOAD_TARGET:g} 秒",
               f["seconds"] <= LOAD_TARGET)
        yield (f"{kind} HTML（gzip 后；原始 {f['raw'] / 1000:,.0f} KB，{f['elements']:,} 个元素），{n:,} 条",
               f["gz"] / 1000, "KB", f"≤ {WEIGHT_TARGET // 1000} KB", f["gz"] <= WEIGHT_TARGET)


def build(n: int, workdir: Path, content: Path) -> Path:
    ours = workdir / f"pages-{n}"
    ours.mkdir(parents=True, exist_ok=True)
    mkdocs_build(cunwu_config(ours, content), ours / "site")
    return ours / "site"


@section("pages")
def pages_section(bench) -> Iterable[Row]:
    """Each kind of page on the slow phone, for each size."""
    for n in bench.sizes:
        site = build(n, bench.workdir, bench.content(n))
        for what, value, unit, target, ok in rows(n, measure(site)):
            yield Row("pages", what, value, unit, target, ok)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages", description="各类页面在慢速手机上的加载")
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--keep", type=Path, help="把生成的数据和网站留在这个文件夹")
    parser.add_argument("--site", type=Path, help="只测这个已经生成的网站")
    args = parser.parse_args(argv)
    table = []
    if args.site:  # its matters: the pages the parts of the search index hold
        entries = [json.loads(p.read_text(encoding="utf-8")) for p in args.site.glob("pagefind/**/pagefind-entry.json")]
        table += rows(sum(lang["page_count"] for e in entries for lang in e["languages"].values()), measure(args.site))
    else:
        with tempfile.TemporaryDirectory(prefix="cunwu-pages-bench-") as tmp:
            workdir = (args.keep or Path(tmp)).resolve()
            for n in (int(s) for s in args.sizes.split(",") if s.strip()):
                content = generate(workdir / f"n{n}", n, villages=max(300, n // 30), today=TODAY)
                print(f"{n:,} 条记录已生成，开始构建 …", file=sys.stderr)
                table += rows(n, measure(build(n, workdir, content)))
            empty_discarded(workdir)
    for what, value, unit, target, ok in table:
        print(f"{what}: {value:,.2f} {unit}  {target} {'达标' if ok else '未达标'}")
    return 0 if all(ok for *_, ok in table) else 1


if __name__ == "__main__":
    raise SystemExit(main())
