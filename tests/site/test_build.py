"""A real `mkdocs build` of the sample content, and of altered copies of it."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from buildkit import ROOT, SITE_URL, copy_content, mkdocs_build, write_config
from PIL import Image

from builder.model.schema import CATEGORIES
from builder.model.status import STATUSES


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_every_page_kind_is_built(site: Path) -> None:
    for path in ["", "dongliu", "dongliu/2025-001", "stats", "data", "about",
                 *(f"status/{k}" for k in STATUSES), *(f"category/{k}" for k in CATEGORIES)]:
        assert (site / path / "index.html").is_file(), path
    records = sorted(ROOT.glob("content/*/*.md"))
    for rec in records:
        assert (site / rec.parent.name / rec.stem / "index.html").is_file(), rec


def test_home_shows_counts_and_overdue_first(site: Path) -> None:
    html = page(site, "")
    assert "<title>青禾镇村务公开</title>" in html
    for label in STATUSES.values():
        assert label in html
    overdue = html.index('id="overdue"')
    assert overdue < html.index('id="disclosures"') < html.index('id="results"')
    # the overdue disclosure of the sample sits in the overdue section
    section = html[overdue: html.index('id="disclosures"')]
    assert 'href="../dongliu/2026-004/"' in section or "dongliu/2026-004/" in section
    assert "逾期未公开" in section and "结果逾期未公开" in section


def test_an_overdue_matter_says_how_many_days_late(site: Path) -> None:
    """dongliu/2026-004: resolved 2026-10-12, to be posted within 7 days, built on 2026-11-20."""
    html = page(site, "overdue")
    item = html[html.index('href="../dongliu/2026-004/"'):]
    assert "已逾期 32 天" in item[:item.index("</li>")]
    done = page(site, "status/completed")
    assert "cw-item" in done and "已逾期" not in done


def test_the_footer_names_only_the_publisher(site: Path) -> None:
    html = page(site, "")
    footer = html[html.index('class="md-copyright"'):]
    assert "青禾镇人民政府" in footer[:400] and "Made with" not in html


def test_matter_page_shows_the_whole_procedure(site: Path) -> None:
    html = page(site, "dongliu/2025-001")
    assert "<title>关于村东200亩耕地流转种植速生杨的事项 - 青禾镇村务公开</title>" in html
    assert 'cw-badge--completed">已办结<' in html
    steps = re.findall(r'<li class="cw-step cw-step--(\w+)" id="(\w+)"', html)
    assert [key for _, key in steps] == ["proposal", "deliberation", "review", "resolution", "disclosure",
                                         "implementation", "result"]
    assert all(state == "done" for state, _ in steps)
    assert "应到 46 人，实到 39 人，达到法定人数" in html
    assert "赞成 37 票，反对 1 票，弃权 1 票" in html
    assert "公示期至 2025年3月13日" in html
    assert "决议公告扫描件" in html and "（PDF，1 KB）" in html
    assert "SHA-256" in html and hashlib.sha256((ROOT / "content/dongliu/2025-001.md").read_bytes()).hexdigest() in html
    assert 'href="https://github.com/qinghe-town/cunwu/commits/main/content/dongliu/2025-001.md"' in html
    assert '<meta property="og:title" content="关于村东200亩耕地流转种植速生杨的事项">' in html
    assert '<meta name="description" content="东柳村 · 已办结' in html


def test_pending_and_overdue_steps_are_shown_not_hidden(site: Path) -> None:
    html = page(site, "dongliu/2026-004")  # resolution passed, disclosure overdue
    states = dict((k, s) for s, k in re.findall(r'<li class="cw-step cw-step--(\w+)" id="(\w+)"', html))
    assert states["disclosure"] == "overdue" and states["result"] == "pending"
    assert "决议公开已逾期" in html
    rejected = page(site, "dongliu/2025-005")
    states = dict((k, s) for s, k in re.findall(r'<li class="cw-step cw-step--(\w+)" id="(\w+)"', rejected))
    assert "rejected" in states.values() and states["result"] == "stopped"


def test_progress_cost_and_corrections(site: Path) -> None:
    impl = page(site, "nantang/2026-004")
    assert 'role="progressbar"' in impl and "实施中" in impl
    over = page(site, "nantang/2025-001")
    assert "558,300.00 元" in over and "540,000.00 元" in over and "超出预算" in over
    assert "修订记录" in over


def test_navigation_does_not_list_matters(site: Path) -> None:
    nav = page(site, "stats").split('<div class="md-content"')[0]
    assert "2025-001/" not in nav
    sizes = [len(gzip.compress((p).read_bytes())) for p in site.glob("*/*/index.html")]
    assert max(sizes) <= 30 * 1024


def test_open_data(site: Path) -> None:
    matters = json.loads((site / "data/matters.json").read_text(encoding="utf-8"))
    assert len(matters) == len(list(ROOT.glob("content/*/*.md")))
    for m in matters:
        assert {"village", "id", "title", "category", "status", "url", "build_date", "commit"} <= set(m)
        assert (site / m["url"] / "index.html").is_file()
    first = next(m for m in matters if m["id"] == "2025-001" and m["village"] == "dongliu")
    assert first["resolution"]["votes"] == {"for": 34, "against": 1, "abstain": 1}
    assert first["disclosure"]["date"] == "2025-03-04"
    raw = (site / "data/matters.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["村", "编号", "标题", "类别", "状态"] and len(rows) == len(matters) + 1
    dongliu = json.loads((site / "data/villages/dongliu.json").read_text(encoding="utf-8"))
    assert dongliu == [m for m in matters if m["village"] == "dongliu"] and len(dongliu) >= 10
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) >= 10
    manifest = json.loads((site / "data/manifest.json").read_text(encoding="utf-8"))
    assert manifest["build_date"] == "2026-11-20"
    for item in manifest["records"]:
        assert hashlib.sha256((ROOT / item["file"]).read_bytes()).hexdigest() == item["sha256"]


def notice(site: Path, matter: str) -> str:
    """The notice a matter page prints as (overrides/cunwu/notice.html)."""
    html = page(site, matter)
    start = html.index('<section class="cw-notice" id="notice"')
    return html[start:html.index("</section>", start)]


def test_a_matter_put_to_the_vote_prints_as_its_notice(site: Path) -> None:
    result = notice(site, "dongliu/2025-001")
    assert "关于村东200亩耕地流转种植速生杨实施结果的公告" in result
    assert "<svg" in result and "村务监督委员会" in result and "东柳村村民委员会" in result
    resolution = notice(site, "dongliu/2026-003")
    assert "的决议公告" in resolution and "公示期" in resolution and '<a href="./">返回事项页面</a>' in resolution
    # First in the page, so that print CSS hides all that follows it.
    html = page(site, "dongliu/2026-003")
    assert html.index('class="cw-notice"') > html.index('<article class="md-content__inner')


def test_a_notice_only_once_the_matter_has_been_put_to_the_vote(site: Path) -> None:
    for path in sorted(ROOT.glob("content/*/*.md")):
        matter = f"{path.parent.name}/{path.stem}"
        voted = "\nresolution:" in path.read_text(encoding="utf-8")
        html = page(site, matter)
        assert ('id="notice"' in html) == voted, matter
        assert ('href="#notice">打印公告' in html) == voted, matter
    assert not list(site.rglob("notice.html")), "a notice is its matter page printed, not a file"


def test_statistics_are_svg_without_script(site: Path) -> None:
    html = page(site, "stats")
    content = html.split('<article', 1)[1].split("</article>", 1)[0]
    assert content.count("<svg") >= 2 and "<script" not in content
    assert "从提议到决议（中位数）" in html


def test_image_attachments_lose_exif_and_get_a_phone_copy(site: Path) -> None:
    original = ROOT / "content/dongliu/2025-002/road-after.jpg"
    assert Image.open(original).getexif().get_ifd(0x8825), "the sample photo should carry GPS"
    published = site / "dongliu/2025-002/files/road-after.jpg"
    small = site / "dongliu/2025-002/files/small/road-after.jpg"
    with Image.open(published) as img:
        assert not img.getexif() and img.size == Image.open(original).size
    with Image.open(small) as img:
        assert not img.getexif() and img.width <= 720
    assert b"Exif" not in published.read_bytes()[:4096]


def test_same_content_and_date_give_identical_site(site: Path, tmp_path: Path) -> None:
    """Also when QR codes and open data are made by second processes, as on a large site."""
    config = write_config(tmp_path, ROOT / "content", site_url=SITE_URL)
    again = tmp_path / "again"
    assert mkdocs_build(config, again, CUNWU_FORK_FROM="0").returncode == 0
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_a_bad_record_stops_the_build_with_its_reason(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    record = content / "dongliu/2025-001.md"
    record.write_text(record.read_text(encoding="utf-8").replace("present: 39", "present: 20"), encoding="utf-8")
    done = mkdocs_build(write_config(tmp_path, content), tmp_path / "site")
    assert done.returncode != 0
    assert "2025-001.md:20: E041 党员大会审议未达法定人数：应到46人，实到20人，须过半数（至少24人）" in done.stderr
    assert "Traceback" not in done.stderr


XSS = """

<script>alert('x')</script>

<img src=x onerror=alert(1)> [点我](javascript:alert(1)) [又一个](JaVaScRiPt:alert(2)) ![图](javascript:alert(3))
"""


def test_record_text_cannot_run_script(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    record = content / "dongliu/2025-003.md"
    text = record.read_text(encoding="utf-8")
    title = text.split("title: ", 1)[1].split("\n", 1)[0]
    text = text.replace(f"title: {title}", f"title: '<i>斜</i>{title} CWTOKEN_CONTENT'", 1)
    record.write_text(text + XSS, encoding="utf-8")
    out = tmp_path / "site"
    done = mkdocs_build(write_config(tmp_path, content), out)
    assert done.returncode == 0, done.stderr
    assert "W070" in done.stderr
    html = (out / "dongliu/2025-003/index.html").read_text(encoding="utf-8")
    body = html.split('id="details"', 1)[1]
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert" in body
    assert "javascript:" not in body.lower()
    # the title is user text too: escaped in <title>, Open Graph, the header and the page
    assert "<i>斜</i>" not in html and html.count("&lt;i&gt;斜&lt;/i&gt;") >= 4
    assert "CWTOKEN_CONTENT" in html  # typed by a user, shown as typed, never replaced


@pytest.mark.parametrize("fork_from", ["1000", "0"])  # made in this process, or (a large site) a second one
def test_a_damaged_photo_is_refused_not_crashed_on(tmp_path: Path, fork_from: str) -> None:
    content = copy_content(tmp_path)
    photo = content / "dongliu/2025-002/road-after.jpg"
    photo.write_bytes(photo.read_bytes()[:2000])  # a JPEG cut short, as an interrupted upload leaves it
    done = mkdocs_build(write_config(tmp_path, content), tmp_path / "site", CUNWU_FORK_FROM=fork_from)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "E070 附件 road-after.jpg：图片已损坏" in done.stderr and "dongliu/2025-002/road-after.jpg" in done.stderr
    assert "提示：请重新导出或重新拍摄这张图片后再上传" in done.stderr and "附件图片已损坏，网站没有生成" in done.stderr


def test_a_new_site_without_records_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "villages.yml").write_bytes((ROOT / "content/villages.yml").read_bytes())
    out = tmp_path / "site"
    done = mkdocs_build(write_config(tmp_path, content), out)
    assert done.returncode == 0, done.stderr
    assert "暂无事项" in (out / "index.html").read_text(encoding="utf-8")
    assert json.loads((out / "data/matters.json").read_text(encoding="utf-8")) == []


def test_townships_whose_names_read_alike_as_addresses_keep_their_own_pages(tmp_path: Path) -> None:
    """"甲 乙" and "甲/乙" both read "甲-乙" as an address: the second gets "甲-乙-2", so neither's
    pages nor open data are written over."""
    content = copy_content(tmp_path)
    villages = content / "villages.yml"
    text = villages.read_text(encoding="utf-8")
    towns = re.findall(r"^(\s*township:\s*)(.+)$", text, re.M)
    assert len(towns) >= 2
    lines = text.split("\n")
    k = 0
    for i, line in enumerate(lines):
        if re.match(r"^\s*township:", line):
            lines[i] = line.split("township:")[0] + "township: " + ("甲 乙" if k == 0 else "甲/乙")
            k += 1
    villages.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "site"
    done = mkdocs_build(write_config(tmp_path, content), out)
    assert done.returncode == 0, done.stderr[-1000:]
    first, second = page(out, "township/甲-乙"), page(out, "township/甲-乙-2")
    assert "甲 乙" in first and "甲/乙" in second
    data = {p.name for p in (out / "data/townships").iterdir()}
    assert {"甲-乙.json", "甲-乙-2.json"} <= data
