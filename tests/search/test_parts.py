"""A search index in parts (builder/engine/search.py, PART): the sample built with parts of 8
matters, searched in real Chromium. The newest part answers first; older parts are fetched only
when the results need them, and together they find what one index finds, in the same order."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from buildkit import ROOT, SITE_URL, mkdocs_build, search_entries, write_config
from test_finding import RESULTS, STATUS, answered, holding, typed
from test_search import _newest_first

from benchmarks.browser import serve, throttle
from builder.engine.pagefind_index import entry_of
from builder.engine.search import Indexer

PART = 8


@pytest.fixture(scope="module")
def parted(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("parted")
    done = mkdocs_build(write_config(tmp, ROOT / "content", site_url=SITE_URL, search_part=PART), tmp / "site")
    assert done.returncode == 0, done.stderr
    return tmp / "site"


@pytest.fixture(scope="module")
def parted_entries(tmp_path_factory) -> list[tuple[str, str]]:
    """What Pagefind is handed of each matter in a build like ``parted``'s."""
    tmp = tmp_path_factory.mktemp("parted-entries")
    return search_entries(write_config(tmp, ROOT / "content", site_url=SITE_URL, search_part=PART), tmp / "site")


@pytest.fixture(scope="module")
def parted_served(parted: Path) -> str:
    with serve(parted, "cunwu") as url:
        yield url


def listed(page) -> list[str]:
    """Every result, the button under the list pressed until it is gone (显示更多, then 查找更早的事项)."""
    more = page.locator("[data-cw-more]")
    page.wait_for_function("() => !document.querySelector('[data-cw-results]').hasAttribute('aria-busy')")
    while more.is_visible():
        n = page.locator(RESULTS).count()
        more.click()
        page.wait_for_function("n => { const l = document.querySelector('[data-cw-results]');"
                               " return !l.hasAttribute('aria-busy')"
                               " && (l.children.length > n || document.querySelector('[data-cw-more]').hidden); }",
                               arg=n)
    hrefs = page.locator(f"{RESULTS} a.cw-item__link").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    return [re.sub(r"^.*?/cunwu/", "", h) for h in hrefs]


def parts_of(site: Path) -> list[dict]:
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    return json.loads(unescape(re.search(r'<meta name="cunwu-pagefind-parts" content="([^"]*)"', html)[1]))


def fetched(page) -> list[str]:
    page.fetched = []
    page.on("request", lambda r: page.fetched.append(r.url) if "/pagefind/" in r.url else None)
    return page.fetched


def test_the_index_is_cut_into_parts_newest_first(parted: Path) -> None:
    matters = len(list((ROOT / "content").glob("*/*.md")))
    parts = parts_of(parted)
    assert len(parts) == -(-matters // PART) > 2
    counts = []
    for k, part in enumerate(parts):
        folder = parted / "pagefind" / part["path"]
        entry, lang = entry_of(folder)
        assert entry["languages"][lang]["hash"] == part["tag"]
        counts.append(entry["languages"][lang]["page_count"])
        # Only the first part has Pagefind's script and WebAssembly: later parts are merged into it.
        assert (folder / "pagefind.js").is_file() == (k == 0)
    assert counts[:-1] == [PART] * (len(parts) - 1) and sum(counts) == matters
    # Dates and years go from newest to oldest.
    years = [p["years"] for p in parts]
    assert years == sorted(years, reverse=True) and years[0][0] >= years[-1][1]


@pytest.mark.parametrize("word", ["东柳", "积水", "镇政府"])
def test_parts_find_what_one_index_finds_in_the_same_order(phone, served: str, parted_served: str, word: str) -> None:
    typed(phone, served, word)
    whole = listed(phone)
    assert set(whole) == holding(word)
    typed(phone, parted_served, word)
    assert listed(phone) == whole
    # Newest first: every phrase scores alike, and pages are numbered newest first in each part.
    dates = phone.locator(f"{RESULTS} time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert len(dates) == len(whole) and dates == sorted(dates, reverse=True)
    assert phone.locator(STATUS).inner_text() == f"找到 {len(whole)} 件事项"


def test_older_parts_are_fetched_only_when_the_results_need_them(phone, parted_served: str, parted: Path) -> None:
    """东柳 is in more than ten matters: the newest parts give the first ten, the status says from
    when, and 查找更早的事项 fetches the rest."""
    urls = fetched(phone)
    status = typed(phone, parted_served, "东柳")
    since = [p["since"] for p in parts_of(parted)]
    assert re.fullmatch(r"找到 \d+ 件事项（(.+)以来）", status)[1] in since, status
    phone.wait_for_load_state("networkidle")
    asked = {m[1] for u in urls if (m := re.search(r"/pagefind/(part\d+)/", u))}
    assert "part4" not in asked and len(asked) < len(since) - 1
    more = phone.locator("[data-cw-more]")
    assert phone.locator(RESULTS).count() == 10 and more.inner_text() == "显示更多"
    more.click()
    phone.wait_for_function("() => !document.querySelector('[data-cw-results]').hasAttribute('aria-busy')")
    assert more.inner_text() == "查找更早的事项"
    assert len(listed(phone)) == len(holding("东柳"))
    assert phone.locator(STATUS).inner_text() == f"找到 {len(holding('东柳'))} 件事项"


def test_a_year_filter_fetches_only_the_parts_of_that_year(phone, parted_served: str, parted: Path) -> None:
    parts = parts_of(parted)
    without = [p["path"].strip("/") for p in parts[1:] if p["years"][0] > "2025"]
    assert without, "the sample has parts with no matter numbered in 2025"
    urls = fetched(phone)
    phone.goto(parted_served + "search/?year=2025")
    phone.wait_for_function("() => { const t = document.querySelector('[data-cw-status]').textContent;"
                            " return t && !t.includes('正在'); }")
    got = listed(phone)
    assert got and all(u.split("/")[1].startswith("2025-") for u in got)
    assert len(got) == len(list((ROOT / "content").glob("*/2025-*.md")))
    phone.wait_for_load_state("networkidle")
    assert not [u for u in urls if any(f"/pagefind/{w}/" in u for w in without)]


@pytest.mark.parametrize(("batch", "stream"), [(3, False), (3, True), (100, False)])
def test_parts_are_the_same_bytes_whatever_the_batches(parted: Path, parted_entries, tmp_path: Path, batch: int,
                                                       stream: bool) -> None:
    """Batches of 3 never hold pages of two parts, whether the pages come all at once (sorted by
    the indexer) or newest first as rendered."""
    copy = tmp_path / "site"
    shutil.copytree(parted, copy)
    shutil.rmtree(copy / "pagefind")
    pages = sorted(parted_entries)
    indexer = Indexer(batch=batch, parallel=2, part=PART, lang="zh")
    if stream:
        pages = _newest_first(pages)
        indexer.expect(len(pages))
    for dest, html in pages:
        indexer.add(dest, html)
    indexer.start()
    bundle = indexer.finish(copy)
    made = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    original = {p.relative_to(parted / "pagefind").as_posix(): p.read_bytes()
                for p in (parted / "pagefind").rglob("*") if p.is_file()}
    assert made == original
    assert (copy / "search/index.html").read_bytes() == (parted / "search/index.html").read_bytes()


def test_a_part_that_did_not_arrive_is_said_and_fetched_again_next_time(phone, parted_served: str) -> None:
    """An older part lost on the way: the page says the search cannot work now, and the next
    search, with the connection back, finds everything."""
    phone.route("**/pagefind/part*/**", lambda route: route.abort())
    status = typed(phone, parted_served, "积水")
    assert status.startswith("搜索暂时无法使用"), status
    phone.unroute("**/pagefind/part*/**")
    phone.locator(".cw-search__go").click()
    phone.wait_for_function("() => document.querySelector('[data-cw-status]').textContent.startsWith('找到')")
    assert listed(phone) == sorted(holding("积水"))


def test_after_a_year_filter_the_parts_left_out_are_searched_first(phone, parted_served: str, parted: Path) -> None:
    """A search of 2025 merges only the parts holding 2025; a search of every year afterwards
    says from when it is complete counting from the newest part (not from the oldest part merged),
    and finds everything."""
    phone.goto(parted_served + "search/?year=2025")
    listed(phone)
    phone.locator("select[data-cw-filter=year]").select_option("")
    # More than ten in the parts holding 2025, some in the others. Set, not typed: typing would
    # start a second search (after a pause), which may merge one more part than this one does.
    phone.locator("#cw-q").evaluate("e => { e.value = '会议'; }")
    phone.locator(".cw-search__go").click()
    status = answered(phone)
    since = [p["since"] for p in parts_of(parted)]
    found = re.fullmatch(r"找到 \d+ 件事项(?:（(.+)以来）)?", status)
    assert found and (found[1] is None or found[1] in since[:2]), status
    assert sorted(listed(phone)) == sorted(holding("会议"))
    assert phone.locator(STATUS).inner_text() == f"找到 {len(holding('会议'))} 件事项"
    # Newest first still, though a 2026 part came after parts of 2025.
    dates = phone.locator(f"{RESULTS} time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)



def test_a_search_typed_over_fetches_no_more_parts(phone, parted_served: str) -> None:
    """积水 is only in the oldest part: alone it fetches every part. Sent again as 村民 while the
    first older part is on its way (a slow phone), only what 村民 needs is fetched: the newest
    two parts, the second one fetched once, for both."""
    throttle(phone.context.new_cdp_session(phone))
    phone.goto(parted_served + "search/")
    urls = fetched(phone)
    box, go = phone.locator("#cw-q"), phone.locator(".cw-search__go")
    box.evaluate("e => { e.value = '积水'; }")
    go.click()
    phone.wait_for_function("() => document.querySelector('[data-cw-status]').textContent.includes('正在')")
    box.evaluate("e => { e.value = '村民'; }")
    go.click()
    assert answered(phone).startswith("找到")
    phone.wait_for_timeout(1000)
    phone.wait_for_load_state("networkidle")
    metas = [u for u in urls if "/part" in u and ".pf_meta" in u]
    assert len(metas) == 1 and "/pagefind/part1/" in metas[0], metas
