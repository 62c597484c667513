"""Search finds what a villager types (issue 14): every matter whose own words hold the words
typed, shown first, with the words marked in the excerpt; in real Chromium on the sample site
and on a copy with unusual characters."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from buildkit import SITE_URL, copy_content, mkdocs_build, write_config

from benchmarks.browser import serve
from benchmarks.search import matters
from builder.views.searchtext import KEPT, index_text, runs, token

ROOT = Path(__file__).resolve().parents[2]
RESULTS = "[data-cw-results] .cw-item"
STATUS = "[data-cw-status]"


def holding(word: str, content: Path = ROOT / "content") -> set[str]:
    """Addresses of the matters whose own words (or village name) hold ``word``: the truth."""
    words, where, names = matters(content)
    return {u for u, ws in words.items() if word in "\n".join([names[where[u]], *ws])}


def typed(page, served: str, query: str) -> str:
    """Type ``query``, send it with 搜索, wait for the answer; return the status line."""
    page.goto(served + "search/")
    page.locator("#cw-q").fill(query)
    page.locator(".cw-search__go").click()
    return answered(page)


def answered(page) -> str:
    """The status line once a search sent is answered."""
    # The status comes first, the results once their fragments arrived: wait for both.
    page.wait_for_function("() => { const t = document.querySelector('[data-cw-status]').textContent;"
                           " return t && !t.includes('正在') && (!/\\d 件/.test(t)"
                           " || document.querySelectorAll('[data-cw-results] .cw-item').length > 0); }")
    return page.locator(STATUS).inner_text()


def found(page, served: str) -> list[str]:
    """Addresses of every result listed (显示更多 pressed until all show)."""
    more = page.locator("[data-cw-more]")
    while more.is_visible():
        n = page.locator(RESULTS).count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('[data-cw-results] .cw-item').length > n", arg=n)
    hrefs = page.locator(f"{RESULTS} a.cw-item__link").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    return [re.sub(r"^.*?/cunwu/", "", h) for h in hrefs]


@pytest.mark.parametrize("word", ["保底", "商铺", "镇政府", "东柳", "积水", "东柳村"])
def test_words_find_every_matter_holding_them(phone, served: str, word: str) -> None:
    truth = holding(word)
    assert truth, f"the sample content holds {word}"
    status = typed(phone, served, word)
    assert status == f"找到 {len(truth)} 件事项", status
    assert set(found(phone, served)) == truth
    # Why it matched: the word, marked, in the title, the village or the excerpt of each result.
    for item in phone.locator(RESULTS).all():
        assert word in item.locator("mark").all_inner_texts(), item.inner_text()


def test_a_near_miss_finds_only_what_holds_it(phone, served: str) -> None:
    """保底 is in one matter; 保低 (one character off) is in none, and the page says so."""
    assert holding("保底") and not holding("保低")
    status = typed(phone, served, "保低")
    assert status.startswith("没有找到含“保低”的事项"), status
    assert phone.locator(RESULTS).count() == 0


@pytest.mark.parametrize("query", ["速生杨 流转", "补偿 征地"])
def test_two_words_find_the_matters_holding_both_first(phone, served: str, query: str) -> None:
    first, second = query.split()
    both, either = holding(first) & holding(second), holding(first) | holding(second)
    assert both
    status = typed(phone, served, query)
    expected = f"找到 {len(both)} 件事项" + (f"，另有 {len(either - both)} 件含有其中部分词语" if either - both else "")
    assert status == expected, status
    got = found(phone, served)
    assert set(got[:len(both)]) == both and set(got) == either


def test_nothing_found_says_so_and_offers_the_lists(phone, served: str) -> None:
    status = typed(phone, served, "机场")
    assert status.startswith("没有找到含“机场”的事项"), status
    offer = phone.locator("[data-cw-offer]")
    assert offer.is_visible()
    assert offer.locator("a").all_inner_texts() == ["状态", "类别", "村"]
    offer.locator("a", has_text="村").click()
    assert phone.locator("#browse-village").is_visible()
    # Near miss: a word that is found hides the offer again.
    typed(phone, served, "积水")
    assert not phone.locator("[data-cw-offer]").is_visible()


def test_one_character_asks_for_two(phone, served: str) -> None:
    status = typed(phone, served, "村")
    assert "至少输入两个字" in status
    assert phone.locator(RESULTS).count() == 0
    assert typed(phone, served, "村委").startswith("找到")


def test_a_matter_number_finds_the_matters_of_that_number(phone, served: str) -> None:
    numbered = {f"{p.parent.name}/{p.stem}/" for p in (ROOT / "content").glob("*/2025-001.md")}
    assert len(numbered) > 1
    typed(phone, served, "2025-001")
    assert set(found(phone, served)) == numbered
    assert phone.locator(f"{RESULTS} .cw-item__meta mark").all_inner_texts() == ["2025-001"] * len(numbered)


def test_excerpts_are_readable_text_never_index_text(phone, served: str, site: Path) -> None:
    typed(phone, served, "镇政府")
    for text in phone.locator(f"{RESULTS} .cw-item__excerpt").all_inner_texts():
        assert "镇政府" in text and not re.search(r"\b[a-v][0-9a-z]{5}\b", text), text
    # The matter page does not carry the index text at all (Pagefind is handed it apart).
    phone.goto(served + "dongliu/2025-001/")
    assert phone.locator(".cw-index, [data-pagefind-body]").count() == 0
    assert "f5ok9f" not in phone.content()  # 东柳's pair


def test_index_text_pairs_each_run_once() -> None:
    assert token("东柳") == "f5ok9f"
    assert list(runs(["东柳村 速生杨，东柳村", "速生", "4.5米 ２０２５-００１"])) == ["东柳村", "速生杨", "4.5米", "2025-001"]
    text = index_text(["关于村东"])
    assert text.split() == ["\u2042", token("关于"), token("于村"), token("村东")]


def test_a_long_text_gives_each_run_once_and_leaves_out_parts_of_the_first_runs() -> None:
    """Past ``KEPT`` characters of runs a later run is compared with the first runs only (a
    record of a megabyte is not compared with all of itself), and a run given before is still
    left out wherever it comes."""
    many = [f"第{i}号" for i in range(KEPT // 4)]
    found = list(runs(["村东耕地流转，" + "，".join(many) + "，耕地流转，" + many[-1] + "，" + many[5]]))
    assert found == ["村东耕地流转", *many]


# --- unusual characters: one build of a copy of the sample --------------------------------------

ODD = {  # word typed -> what a record of the copy says
    "4.5米": "路面宽4.5米",
    "二〇二五": "二〇二五年修订",
    "㐀㐁": "古字㐀㐁在此",  # CJK extension A
    "𠀀𠀁": "生僻字𠀀𠀁的地名",  # extension B, outside the main plane
    "ab12": "编号ＡＢ１２号",  # full width letters and digits, typed in half width
}
NEAR = {"4.6米": "路面宽4.6米"}


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("odd")
    content = copy_content(tmp)
    record = content / "shiqiao" / "2025-001.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.rstrip("\n") + "\n\n" + "；".join(ODD.values()) + "。\n", encoding="utf-8")
    other = content / "nantang" / "2025-002.md"
    other.write_text(other.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + NEAR["4.6米"] + "。\n", encoding="utf-8")
    done = mkdocs_build(write_config(tmp, content, site_url=SITE_URL), tmp / "site")
    assert done.returncode == 0, done.stderr
    with serve(tmp / "site") as url:
        yield url


@pytest.mark.parametrize("word", [*ODD, *NEAR])
def test_digits_latin_and_rare_characters(phone, odd_site: str, word: str) -> None:
    """What the search script makes of a typed word and what the build made of the page agree,
    for every kind of character: each finds its record, and 4.5米 is not 4.6米."""
    status = typed(phone, odd_site, word)
    assert status == "找到 1 件事项", status
    assert found(phone, odd_site) == ["nantang/2025-002/" if word in NEAR else "shiqiao/2025-001/"]
    # Excerpts are read back from the index text, which holds the words as NFKC in lower case.
    marks = phone.locator(f"{RESULTS} .cw-item__excerpt mark").all_inner_texts()
    written = unicodedata.normalize("NFKC", (ODD | NEAR)[word]).lower()
    assert marks and all(m in written for m in marks), marks
    assert written in phone.locator(f"{RESULTS} .cw-item__excerpt").inner_text()
