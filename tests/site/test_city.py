"""A site of several townships (generated records), built by real `mkdocs build` with short list
pages, and walked as a villager would in real Chromium at 360×740: the township level, lists in
pages (with JavaScript and without), counts that add up, every matter reachable from the home
page, the sitemap and the open data per township."""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse
from xml.etree import ElementTree as ET

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from buildkit import mkdocs_build, write_config

from benchmarks.browser import serve
from benchmarks.generate import generate

RECORDS, VILLAGES, PAGE_SIZE = 1_500, 60, 20  # 3 townships of 20 villages; lists of several pages
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "locale": "zh-CN"}
SITE_URL = "http://127.0.0.1:8000/cunwu/"


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, dict]:
    """The built site and, from the records themselves, each matter's village and category."""
    tmp = tmp_path_factory.mktemp("city")
    content = generate(tmp, RECORDS, villages=VILLAGES)
    config = write_config(tmp, content, site_url=SITE_URL)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for entry in data["plugins"]:
        if isinstance(entry, dict) and "cunwu" in entry:
            entry["cunwu"]["page_size"] = PAGE_SIZE
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = mkdocs_build(config, tmp / "site")
    assert done.returncode == 0, done.stderr
    matters = {}
    for path in content.glob("*/*.md"):
        category = re.search(r"^category: (\S+)$", path.read_text(encoding="utf-8"), re.M)[1]
        matters[f"{path.parent.name}/{path.stem}/"] = category
    return tmp / "site", matters


@pytest.fixture(scope="module")
def served(city) -> str:
    with serve(city[0], "cunwu") as url:
        yield url


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.main = 0  # inside the page's content, not Material's header, drawer and footer
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.main += 1
        if tag == "a" and self.main and a.get("href"):
            self.hrefs.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.main -= 1


def html(site: Path, url: str) -> str:
    return (site / unquote(url) / "index.html").read_text(encoding="utf-8")


def links(site: Path, url: str) -> list[str]:
    """Site-relative addresses of the links in a page's content."""
    parser = _Links()
    parser.feed(html(site, url))
    out = []
    for href in parser.hrefs:
        full = urlparse(urljoin("http://x/" + url, href))
        if full.netloc == "x" and not full.fragment and full.path.endswith("/"):
            out.append(unquote(full.path[1:]))
    return out


def township_urls(site: Path) -> list[str]:
    return [u for u in links(site, "") if u.startswith("township/")]


def test_counts_on_home_township_and_village_pages_add_up(city) -> None:
    site, matters = city
    home = html(site, "")
    towns = re.findall(r'<a href="(?:\./)?(township/[^"]+/)"><strong>([^<]+)</strong> <span class="cw-muted">'
                       r'<span class="cw-n">(\d+)</span>', home)
    assert len(towns) == 3
    assert sum(int(n) for *_, n in towns) == RECORDS
    status_total = sum(int(n) for n in re.findall(r'<span class="cw-count__n">(\d+)</span>',
                                                  home.split('id="townships"')[0]))
    assert status_total == RECORDS
    per_village = Counter(m.split("/")[0] for m in matters)
    seen_villages = set()
    for url, _, n in towns:
        page = html(site, unquote(url))
        villages = re.findall(r'<a href="\.\./\.\./([^"/]+)/"><strong>[^<]+</strong> <span class="cw-muted">'
                              r'<span class="cw-n">(\d+)</span>', page)
        assert sum(int(k) for _, k in villages) == int(n)
        assert f'<span class="cw-total">{n}</span>' in page
        for vid, k in villages:
            assert vid not in seen_villages, "a village in two townships"
            seen_villages.add(vid)
            listed = re.findall(r'<a class="cw-item__link" href="[^"]*?/([^/"]+/[^/"]+/)"',
                                html(site, vid).split('class="cw-years"')[1])
            assert len(listed) == len(set(listed)) == int(k) == per_village[vid]  # each matter once
            assert all(m.startswith(vid + "/") for m in listed)
    assert seen_villages == set(per_village)


def test_every_matter_is_reachable_from_the_home_page(city) -> None:
    site, matters = city
    seen, todo = {""}, [""]
    while todo:
        url = todo.pop()
        for link in links(site, url):
            if link not in seen and (site / link / "index.html").is_file():
                seen.add(link)
                todo.append(link)
    assert set(matters) <= seen
    # and the short way: home → township → village → matter
    town = township_urls(site)[0]
    village = next(u for u in links(site, town) if u.count("/") == 1 and not u.startswith(("stats", "township")))
    assert any(u in matters for u in links(site, village))


def _walk(page, served: str, start: str) -> tuple[list[str], list[str]]:
    """Follow 下一页 from ``start`` to the last page, then 上一页 back; the matters of each page."""
    page.goto(served + start)
    forward, matters = [page.url], []
    while True:
        total = page.locator(".cw-total").inner_text()
        assert re.search(r"共 (\d+) 件", total), total
        matters += [urljoin(page.url, a.get_attribute("href")) for a in page.locator(".cw-list .cw-item__link").all()]
        more = page.locator(".cw-pager a[rel=next]")
        if not more.count():
            break
        assert page.locator("head link[rel=next]").get_attribute("href") == more.get_attribute("href")
        with page.expect_navigation():
            more.click()
        forward.append(page.url)
    back = [page.url]
    while page.locator(".cw-pager a[rel=prev]").count():
        assert page.locator("head link[rel=prev]").count() == 1
        with page.expect_navigation():
            page.locator(".cw-pager a[rel=prev]").click()
        back.append(page.url)
    assert back == forward[::-1]
    return forward, matters


@pytest.mark.parametrize("javascript", [True, False])
def test_a_list_is_walked_by_its_page_links_and_back(browser, city, served: str, javascript: bool) -> None:
    site, matters = city
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    page = context.new_page()
    forward, hrefs = _walk(page, served, "category/land/")
    land = {m for m, c in matters.items() if c == "land"}
    assert len(forward) == -(-len(land) // PAGE_SIZE) > 2
    assert forward[0] == served + "category/land/" and forward[1] == served + "category/land/2/"  # stable addresses
    assert page.url == forward[0], "walked back to the first page"
    shown = [h.removeprefix(served) for h in hrefs]
    assert len(shown) == len(set(shown)) == len(land) and set(shown) == land
    assert page.locator(".cw-total").inner_text().startswith(f"共 {len(land)} 件")
    context.close()


NEW_PAGES = ["", "township/{t}/", "township/{t}/matters/2/", "township/{t}/overdue/", "overdue/", "status/completed/3/",
             "stats/", "stats/{t}/", "{v}/", "search/", "data/"]


def _pages(site: Path) -> list[str]:
    town = township_urls(site)[0]
    village = next(u for u in links(site, town) if u.count("/") == 1 and not u.startswith("stats"))
    t = town.removeprefix("township/").strip("/")
    return [p.format(t=t, v=village.strip("/")) for p in NEW_PAGES]


def test_new_pages_fit_a_phone_and_pass_axe(browser, city, served: str) -> None:
    context = browser.new_context(**PHONE)
    failures = []
    for url in _pages(city[0]):
        page = context.new_page()
        page.goto(served + url, wait_until="networkidle")
        if page.evaluate("document.documentElement.scrollWidth") > 360:
            failures.append(f"{url or 'home'} scrolls sideways")
        serious = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            failures.append(f"{url or 'home'}: {serious}")
        page.close()
    context.close()
    assert failures == []


def test_matter_page_has_township_crumb_and_whom_to_tell(city) -> None:
    site, matters = city
    first = sorted(matters)[0]
    page = html(site, first)
    crumbs = re.search(r'<nav class="cw-crumbs".*?</nav>', page, re.S)[0]
    assert re.search(r'href="\.\./\.\./township/[^"]+/">', crumbs) and crumbs.index("township/") < crumbs.index("编号")
    # the generated villages give no contact: the committee, and the township's government too
    assert re.search(r'可向\w+村务监督委员会反映，也可向\w+人民政府反映。', page)


def test_sitemap_lists_every_page_matters_included(city) -> None:
    site, matters = city
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {unquote(e.text.removeprefix(SITE_URL)) for e in ET.parse(site / "sitemap.xml").findall("s:url/s:loc", ns)}
    pages = {p.parent.relative_to(site).as_posix() + "/" for p in site.glob("**/index.html")}
    pages = {"" if p == "./" else p for p in pages}
    assert set(matters) <= locs
    assert pages == locs


def test_open_data_per_township_adds_up(city) -> None:
    site, _ = city
    files = sorted((site / "data/townships").glob("*.json"))
    assert len(files) == 3
    assert sum(len(json.loads(f.read_text(encoding="utf-8"))) for f in files) == RECORDS
    assert len(sorted((site / "data/townships").glob("*.csv"))) == 3


def test_search_offers_villages_by_township(city) -> None:
    page = html(city[0], "search")
    select = re.search(r'<select name="village".*?</select>', page, re.S)[0]
    assert len(re.findall("<optgroup ", select)) == 3
    assert len(re.findall(r'<option value="[^"]', select)) == VILLAGES
