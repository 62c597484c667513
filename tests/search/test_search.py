"""Search, as a reader on a phone uses it: real Chromium at 360×740 on the sample site served
from a sub-path (/cunwu/), Pagefind's index as the build wrote it."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from buildkit import ROOT

import builder.engine.search as search_module
from benchmarks.browser import PHONE, first_result, throttle
from builder.engine.search import Indexer

SPEED_TREE = "关于村东200亩耕地流转种植速生杨的事项"  # dongliu/2025-001
ROAD = "关于村内主街及三条巷道水泥硬化工程的事项"  # dongliu/2025-002
LAMPS = "关于村内主要道路安装太阳能路灯的事项"  # dongliu/2026-003
NORTH_ROAD = "关于村北生产路（村口至西沟段）水泥硬化的事项"  # dongliu/2026-007 (records.md §8 sample)

RESULTS = "[data-cw-results] .cw-item"


def records(village: str | None = None) -> list[Path]:
    return sorted((ROOT / "content").glob(f"{village or '*'}/*.md"))


def search(page, served: str, query: str) -> None:
    page.goto(served + "search/")
    page.locator("#cw-q").fill(query)
    page.locator(RESULTS).first.wait_for()


def titles(page) -> list[str]:
    return page.locator(f"{RESULTS} .cw-item__title").all_inner_texts()


def test_speed_tree_found_filtered_and_opened(phone, served: str) -> None:
    search(phone, served, "速生杨")
    assert titles(phone)[0] == SPEED_TREE
    first = phone.locator(RESULTS).first
    meta = first.locator(".cw-item__meta").inner_text()
    assert "东柳村" in meta and "已办结" in meta and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", meta), meta

    # A filter changes the list: in 石桥村 there is no speed-growing poplar; in 东柳村 there is.
    phone.locator("select[data-cw-filter=village]").select_option("shiqiao")
    phone.wait_for_function("() => document.querySelector('[data-cw-status]').textContent.startsWith('没有')")
    assert phone.locator(RESULTS).count() == 0
    assert "village=shiqiao" in phone.url
    phone.locator("select[data-cw-filter=village]").select_option("dongliu")
    phone.locator(f"{RESULTS} .cw-item__title", has_text=SPEED_TREE).wait_for()

    # Back to every village, open the result: the matter page under the sub-path.
    phone.locator("select[data-cw-filter=village]").select_option("")
    phone.locator(f"{RESULTS} .cw-item__title", has_text=SPEED_TREE).wait_for()
    phone.locator(f"{RESULTS} a", has_text=SPEED_TREE).click()
    phone.wait_for_url(served + "dongliu/2025-001/")
    assert phone.locator("h1").inner_text() == SPEED_TREE


def test_status_filter_narrows_to_that_status(phone, served: str) -> None:
    search(phone, served, "补偿")
    everything = titles(phone)
    phone.locator("select[data-cw-filter=status]").select_option("completed")
    phone.wait_for_function("n => document.querySelectorAll('[data-cw-results] .cw-item').length < n",
                            arg=len(everything))
    badges = phone.locator(f"{RESULTS} .cw-badge").all_inner_texts()
    assert badges and set(badges) == {"已办结"}


def test_road_hardening_finds_the_road_matters(phone, served: str) -> None:
    search(phone, served, "道路硬化")
    found = titles(phone)
    # No matter holds 道路硬化 as written: those with both 道路 and 硬化 come first, then the road
    # hardened in 水泥 (硬化, not 道路) among those with one of them, and the page says so.
    assert found[0] == LAMPS and ROAD in found[1:], found
    status = phone.locator("[data-cw-status]").inner_text()
    assert "没有找到含“道路硬化”" in status and "部分词语" in status, status


def test_village_name_lists_that_village(phone, served: str) -> None:
    phone.goto(served + "search/?q=东柳村")
    phone.locator(RESULTS).first.wait_for()
    items = phone.locator(f"{RESULTS} .cw-item__meta").all_inner_texts()
    more = phone.locator("[data-cw-more]")
    while more.is_visible():
        more.click()
        phone.wait_for_function("n => document.querySelectorAll('[data-cw-results] .cw-item').length > n",
                                arg=len(items))
        items = phone.locator(f"{RESULTS} .cw-item__meta").all_inner_texts()
    assert len(items) == len(records("dongliu"))
    assert all("东柳村" in m for m in items)
    # Newest first when the list is only a filter.
    dates = phone.locator(f"{RESULTS} time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)


def test_year_and_category_filters_without_words(phone, served: str) -> None:
    phone.goto(served + "search/")
    phone.locator("select[data-cw-filter=year]").select_option("2025")
    phone.locator("select[data-cw-filter=category]").select_option("public-works")
    phone.locator(RESULTS).first.wait_for()
    phone.wait_for_function("() => document.querySelector('[data-cw-status]').textContent.startsWith('共')")
    n_2025 = sum(1 for p in records() if p.name.startswith("2025-") and "category: public-works" in p.read_text("utf-8"))
    assert phone.locator("[data-cw-status]").inner_text() == f"共 {n_2025} 件事项"
    assert all("公益事业与基础设施" in m for m in phone.locator(f"{RESULTS} .cw-item__meta").all_inner_texts())


def test_nothing_found_says_so(phone, served: str) -> None:
    phone.goto(served + "search/")
    phone.locator("#cw-q").fill("机场")  # 机 and 场 begin words of some matters (机动地, 市场): not enough
    phone.wait_for_function("() => document.querySelector('[data-cw-status]').textContent.includes('没有')")
    assert phone.locator(RESULTS).count() == 0


def test_header_and_home_lead_to_search(phone, served: str) -> None:
    phone.goto(served + "dongliu/2025-002/")
    link = phone.locator("header a.cw-hsearch")
    assert link.is_visible()
    box = link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44 and box["x"] + box["width"] <= 360
    link.click()
    phone.wait_for_url(served + "search/")
    phone.goto(served)
    phone.locator("#cw-home-q").fill("速生杨")
    phone.locator("#cw-home-q").press("Enter")
    phone.wait_for_url(re.compile(r"/cunwu/search/\?q="))
    phone.locator(RESULTS).first.wait_for()
    assert titles(phone)[0] == SPEED_TREE


def test_fits_a_360px_phone(phone, served: str) -> None:
    search(phone, served, "补偿")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    for sel in ("#cw-q", ".cw-search__go", "select[data-cw-filter=village]", f"{RESULTS} a"):
        box = phone.locator(sel).first.bounding_box()
        assert box["height"] >= 44, sel
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, sel
    size = phone.locator("#cw-q").evaluate("e => getComputedStyle(e).fontSize")
    assert size == "16px", "smaller inputs make phones zoom in on focus"


def test_only_our_server_is_asked(phone, served: str) -> None:
    hosts: set[str] = set()
    phone.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    search(phone, served, "速生杨")
    assert hosts == {urlparse(served).netloc}


def test_without_javascript_the_page_offers_lists(browser, served: str) -> None:
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served + "search/")
        assert not page.locator("#cw-q").is_visible(), "a search box that cannot search is not shown"
        assert "搜索需要浏览器开启 JavaScript" in page.locator("article").inner_text()
        page.locator("article a", has_text="已办结").click()
        page.wait_for_url(served + "status/completed/")
        assert page.locator(".cw-item").count() > 0
        page.goto(served)
        assert not page.locator("#cw-home-q").is_visible()
        assert page.locator("header a.cw-hsearch").is_visible()
    finally:
        context.close()


def test_first_result_within_3s_on_a_slow_phone(browser, served: str) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        cdp = context.new_cdp_session(page)
        throttle(cdp)
        out = first_result(page, served, "速生杨", cdp=cdp, timeout=30)
    finally:
        context.close()
    assert out["titles"][0] == SPEED_TREE
    assert out["seconds"] <= 3.0, out
    assert out["pagefind_bytes"] <= 300_000, out["pagefind_files"]


def test_only_matters_are_indexed(site: Path) -> None:
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
    assert [lang["page_count"] for lang in entry["languages"].values()] == [len(records())]
    # Pagefind is started before any page is rendered, in the language the pages then say they are in.
    lang = re.search(r'<html lang="([^"]*)"', (site / "search/index.html").read_text())[1]
    assert list(entry["languages"]) == [lang] == ["zh"]
    assert not (site / "search/search_index.json").exists(), "Material's lunr search stays off"
    assert not (site / "pagefind/pagefind-ui.js").exists()
    html = (site / "index.html").read_text()
    assert "data-pagefind-body" not in html and "md-search" not in html
    # What Pagefind reads of a matter is handed to it apart: the page carries none of it.
    matter = (site / "dongliu/2025-001/index.html").read_text()
    assert "data-pagefind" not in matter and "cw-index" not in matter


def index_of(entries: list[tuple[str, str]], site: Path) -> Path:
    """The index of ``entries``, as the build makes it (all at once: batches sorted by the indexer)."""
    indexer = Indexer(lang="zh")
    for dest, body in entries:
        indexer.add(dest, body)
    indexer.start()
    return indexer.finish(site)


@pytest.mark.parametrize("runs", [3])
def test_index_is_byte_identical_run_to_run(site: Path, entries, tmp_path: Path, runs: int) -> None:
    """Pagefind writes filters in HashMap order; builder.engine.search sorts them."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    seen = set()
    for _ in range(runs):
        bundle = index_of(entries, copy)
        seen.add(tuple(sorted((p.relative_to(bundle).as_posix(), p.read_bytes())
                              for p in bundle.rglob("*") if p.is_file())))
    assert len(seen) == 1
    original = {p.relative_to(site / "pagefind").as_posix(): p.read_bytes()
                for p in (site / "pagefind").rglob("*") if p.is_file()}
    assert dict(seen.pop()) == original


def test_index_does_not_depend_on_the_disk(site: Path, entries, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind numbers pages in the order the file system lists them; builder.engine.search renumbers
    them newest first, so another disk (here tmpfs against the test's own), for Pagefind's pages
    and batches and for the site, gives the same bytes."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system to compare with")
    bundles = []
    for served in (tmp_path, shm):
        monkeypatch.setattr(search_module, "scratch_dir", lambda served=served: str(served))
        copy = Path(tempfile.mkdtemp(dir=served)) / "site"
        shutil.copytree(site, copy)
        try:
            bundle = index_of(entries, copy)
            bundles.append({p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()})
        finally:
            shutil.rmtree(copy.parent)
    assert bundles[0] == bundles[1]


def test_search_page_preloads_pagefind_and_fetches_each_file_once(phone, served: str, site: Path) -> None:
    html = (site / "search/index.html").read_text()
    assert "cunwu:pagefind-preload" not in html
    assert html.count('rel="preload"') == 3 and 'rel="modulepreload"' in html
    fetched: list[str] = []
    phone.on("request", lambda r: fetched.append(r.url) if "/pagefind/" in r.url else None)
    search(phone, served, "速生杨")
    phone.wait_for_load_state("networkidle")
    assert len(fetched) == len(set(fetched)), fetched


def _newest_first(pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    def key(page: tuple[str, str]) -> tuple[str, str]:
        found = search_module._SORT.search(page[1])
        return (found[1] if found else "", page[0])
    return sorted(pages, key=key, reverse=True)


@pytest.mark.parametrize(("batch", "fork_chunks", "stream"),
                         [(10_000, 8, False), (7, 8, False), (7, 0, False), (7, 8, True), (10_000, 8, True)])
def test_indexer_in_batches_gives_the_same_index(site: Path, entries, tmp_path: Path, batch: int, fork_chunks: int,
                                                 stream: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """builder.engine.search.Indexer, pages handed over as rendered, Pagefind run on batches (here
    also of 7 pages, two at a time) and their indexes merged: the same bytes as the build's,
    also when a second process writes half of the index chunks (as from 16 chunks), and when
    pages come newest first and each batch starts as soon as it is full, the merge in a process
    of its own as soon as the batches are done (as in the build)."""
    monkeypatch.setenv("CUNWU_MERGE_FORK_CHUNKS", str(fork_chunks))  # the merge runs in its own process
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    shutil.rmtree(copy / "pagefind")
    indexer = Indexer(batch=batch, parallel=2, lang="zh")
    pages = sorted(entries)
    if stream:
        pages = _newest_first(pages)
        indexer.expect(len(pages))
    for dest, html in pages:
        indexer.add(dest, html)
        if stream and batch == 7 and dest == pages[-1][0]:
            assert len(indexer.jobs) >= 2, "full batches started before start()"
    indexer.start()
    if stream:
        indexer.merge_early(copy)
        assert indexer.merging is not None
    bundle = indexer.finish(copy)
    assert not indexer.tmp.exists()
    made = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    original = {p.relative_to(site / "pagefind").as_posix(): p.read_bytes()
                for p in (site / "pagefind").rglob("*") if p.is_file()}
    assert made == original
    assert (copy / "search/index.html").read_bytes() == (site / "search/index.html").read_bytes()


def test_pages_out_of_order_are_refused_when_streaming(entries) -> None:
    pages = _newest_first(entries)
    indexer = Indexer(batch=7)
    try:
        indexer.expect(len(pages))
        indexer.add(*pages[1])
        with pytest.raises(search_module.SearchError, match="从新到旧"):
            indexer.add(*pages[0])
    finally:
        indexer.close()


def test_a_lost_connection_is_said_not_spun(phone, served: str) -> None:
    phone.route("**/pagefind/index/**", lambda route: route.abort())
    phone.goto(served + "search/")
    phone.locator("#cw-q").fill("补偿")
    phone.wait_for_function("() => { const t = document.querySelector('[data-cw-status]').textContent;"
                            " return t && !t.includes('正在'); }")
    assert "暂时无法使用" in phone.locator("[data-cw-status]").inner_text()
