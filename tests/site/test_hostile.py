"""Every template of ours (overrides/) rendered by a real build with hostile text in every string
a record or villages.yml gives it; none of it comes out as markup, in the files or in Chromium."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import jinja2
import pytest
import yaml
from buildkit import ROOT, SUBPATH, copy_content, mkdocs_build, search_entries, write_config
from hostilekit import LINE, MARKDOWN, TITLE, markup_problems, site_problems

from benchmarks.browser import serve
from builder.engine.plugin import autoescape_ours, our_templates, quick_keys
from builder.views.opendata import csv_cell
from builder.views.site import Page

FORMULA = ["=", "+", "-", "@"]  # a title starting so is a formula to Excel
# Which page shows each template of ours; the rest are included in every page or in these. The
# hostile site is built twice: with one township (home.html) and with two (city.html, township.html).
PAGE_OF = {
    "cunwu/village.html": "dongliu/index.html",
    "cunwu/list.html": "status/completed/index.html",
    "cunwu/matter.html": "dongliu/2025-003/index.html",
    "cunwu/stats.html": "stats/index.html",
    "cunwu/data.html": "data/index.html",
    "cunwu/search.html": "search/index.html",
}
TOWNSHIPS = {  # templates only a site of so many townships shows
    1: {"cunwu/home.html": "index.html"},
    2: {"cunwu/city.html": "index.html", "cunwu/township.html": "township/*/index.html"},
}
INCLUDED = {"main.html", "partials/header.html", "partials/cunwu-homesearch.html", "cunwu/macros.html",
            "cunwu/notice.html", "cunwu/objection.html", "cunwu/crumbs.html", "cunwu/figures.html",
            "cunwu/pager.html"}
MARKDOWN_FIELDS = {"notes", "text", "summary"}  # in steps; the top-level summary is one line


def _hostile(value: object, key: str, top: bool, parent: str = "") -> object:
    """Every string of a record made hostile, by what the field holds: Markdown where the schema
    takes Markdown (step notes and texts, the result's summary), one line elsewhere."""
    if isinstance(value, dict):
        return {k: _hostile(v, k, top=False, parent=key) if k not in ("date", "file", "body", "outcome", "method") else v
                for k, v in value.items()}
    if isinstance(value, list):
        return [_hostile(v, key, top, parent) for v in value]
    if isinstance(value, str) and value not in ("unanimous", "none"):  # records.md §8's words stay
        markdown = key in MARKDOWN_FIELDS and not top and (key != "summary" or parent == "result")
        return MARKDOWN if markdown else LINE
    return value


def hostile_content(tmp: Path, townships: int = 1) -> Path:
    content = copy_content(tmp)
    for i, path in enumerate(sorted(content.glob("*/*.md"))):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(head)
        for key in ("summary", "proposal", "deliberation", "review", "resolution", "disclosure", "implementation",
                    "result", "attachments", "corrections"):
            if key in data:
                data[key] = _hostile(data[key], key, top=True)
        data["title"] = FORMULA[i % len(FORMULA)] + TITLE
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        path.write_text(f"---\n{front}---\n{body}\n\n{MARKDOWN}\n", encoding="utf-8")
    villages = yaml.safe_load((content / "villages.yml").read_text(encoding="utf-8"))
    for i, v in enumerate(villages["villages"]):
        v["name"], v["township"] = "<b>村</b>" + TITLE[:32], LINE[:39] + "乙" * (i % townships)
        v["supervision_contact"], v["supervision_phone"] = LINE[:40], '0371" onclick="window.__pwned=1'
    villages["villages"][0]["name"] = "=HYPERLINK(\"http://x\")" + TITLE[:18]
    (content / "villages.yml").write_text(yaml.safe_dump(villages, allow_unicode=True), encoding="utf-8")
    return content


@pytest.fixture(scope="module", params=sorted(TOWNSHIPS), ids=lambda n: f"{n}-township")
def hostile_site(tmp_path_factory, request) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    out = tmp / "site"
    done = mkdocs_build(write_config(tmp, hostile_content(tmp, request.param)), out)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "W070" in done.stderr and "Traceback" not in done.stderr
    return out


SEARCH_ENTRY = "cunwu/search-entry.html"  # not a page: what Pagefind is handed of each matter


def test_the_pages_cover_every_template_of_ours() -> None:
    shown = set(PAGE_OF).union(*TOWNSHIPS.values())
    assert shown | INCLUDED | {SEARCH_ENTRY} == our_templates(str(ROOT / "overrides"))


def test_no_hostile_text_comes_out_as_markup_in_what_search_reads(tmp_path: Path) -> None:
    entries = search_entries(write_config(tmp_path, hostile_content(tmp_path)), tmp_path / "site")
    assert len(entries) == len(list((ROOT / "content").glob("*/*.md")))
    title = "&lt;script&gt;window.__pwned=1&lt;/script&gt;"
    assert all(title in body for _, body in entries)  # the title, in what a result shows
    assert {dest: markup_problems(body) for dest, body in entries if markup_problems(body)} == {}


def test_no_hostile_text_comes_out_as_markup(hostile_site: Path) -> None:
    pages = {**PAGE_OF, **TOWNSHIPS[len({p.name for p in hostile_site.glob("township/*")}) and 2 or 1]}
    for path in pages.values():
        assert list(hostile_site.glob(path)), path
    assert site_problems(hostile_site) == {}


def test_hostile_text_is_shown_as_typed(hostile_site: Path) -> None:
    home = (hostile_site / "index.html").read_text(encoding="utf-8")
    shown = "&lt;script&gt;window.__pwned=1&lt;/script&gt;"
    assert shown in home  # titles in the lists, village names
    matter = (hostile_site / PAGE_OF["cunwu/matter.html"]).read_text(encoding="utf-8")
    assert matter.count(shown) >= 10  # title, notes, texts, summaries, body, notice, attachments ...
    assert "{{7*7}}" in matter and "{{ 7*7 }}{% raw %}" in matter  # never evaluated
    assert "&lt;b&gt;村&lt;/b&gt;" in (hostile_site / "nantang/index.html").read_text(encoding="utf-8")


def test_the_check_itself_sees_markup() -> None:
    """Near misses of the check: what the old matter_list and link filter wrote is caught."""
    assert markup_problems('<span class="cw-item__title"><script>window.__pwned=1</script></span>')
    assert markup_problems('<img src=x onerror=window.__pwned=2>')
    assert markup_problems('<a href="javascript&#58;window.__pwned=5">x</a>')
    assert markup_problems('<a href="java&#09;script:x">x</a>')
    assert not markup_problems('<a href="https://e.org" rel="nofollow noopener">x</a> &lt;script&gt;')


def test_csv_cells_never_start_a_formula(hostile_site: Path) -> None:
    text = (hostile_site / "data/matters.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, rows = rows[0], rows[1:]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    titles = [row[header.index("标题")] for row in rows]
    assert {t[:2] for t in titles} == {"'" + f for f in FORMULA}
    assert all(t[2:] == TITLE for t in titles)
    # near misses: ids, dates and amounts are as they were
    assert all(re.fullmatch(r"\d{4}-\d{3}", row[1]) for row in rows)
    assert any(re.fullmatch(r"\d+\.\d\d", row[header.index("预算（元）")]) for row in rows)


@pytest.mark.parametrize(("cell", "out"), [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("1=1", "1=1"), ("2025-001", "2025-001"), ("120000.00", "120000.00"), ("关于=的事项", "关于=的事项"), ("", ""),
])
def test_csv_cell(cell: str, out: str) -> None:
    assert csv_cell(cell) == out


def test_our_templates_escape_and_materials_do_not(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "overrides", tmp_path / "material"
    (ours / "cunwu").mkdir(parents=True)
    theirs.mkdir()
    (ours / "cunwu/x.html").write_text("{{ v }}", encoding="utf-8")
    (theirs / "base.html").write_text("{{ v }}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(ours), str(theirs)]))  # as MkDocs' theme
    autoescape_ours(env, str(ours))
    assert env.get_template("cunwu/x.html").render(v="<b>") == "&lt;b&gt;"
    assert env.get_template("base.html").render(v="<b>") == "<b>"  # Material's page.content is a plain str


class _Keyed(dict):
    title = "attribute"


@pytest.mark.parametrize("source", ["{{ m.title }}", "{{ m.missing }}|{{ m.missing is defined }}",
                                    "{{ m.items is callable }}", "{{ m.get('title') }}", "{{ m.title.upper() }}",
                                    "{{ m.deep.title }}", "{{ m.steps[0].title }}", "{{ m.nested.x }}"])
def test_quick_keys_reads_what_jinja_reads(source: str) -> None:
    """Dicts' keys read without Jinja's failed attribute lookup first, to the same values: keys, a
    key named like a dict method (the method, as Jinja has it), dict subclasses, missing keys;
    and what is printed from our templates is still escaped."""
    values = {"m": {"title": "<b>题</b>", "items": "a key", "deep": _Keyed(title="key"),
                    "steps": [{"title": "步骤"}], "nested": None}}
    plain, quick = (jinja2.Environment(autoescape=True, undefined=jinja2.ChainableUndefined) for _ in "ab")
    quick_keys(quick)
    assert quick.from_string(source).render(values) == plain.from_string(source).render(values)


def test_quick_keys_names_a_missing_key_as_jinja_does() -> None:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    quick_keys(env)
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'missing'"):
        env.from_string("{{ m.missing }}").render(m={})


def test_every_template_of_ours_says_it_escapes() -> None:
    """Belt and braces: each template also carries its own autoescape block, for the reader and for
    a renderer without our plugin; in macros.html, inside each macro (a block would hide them)."""
    for name in our_templates(str(ROOT / "overrides")):
        text = (ROOT / "overrides" / name).read_text(encoding="utf-8")
        if "{{" in text:
            assert re.search(r"\{%-? autoescape true -?%\}", text), name
    macros = (ROOT / "overrides/cunwu/macros.html").read_text(encoding="utf-8")
    assert macros.count("{% macro") == len(re.findall(r"\{% macro [^%]*%\}\{%- autoescape true -%\}", macros))


def test_a_title_over_two_lines_stays_on_one() -> None:
    page = Page("x/index.md", "cunwu/matter.html", "关于村东\n道路硬化\t的事项\n", "东柳村 ·\n 摘要", {})
    assert (page.title, page.description) == ("关于村东 道路硬化 的事项", "东柳村 · 摘要")


def test_chromium_runs_none_of_it(hostile_site: Path, browser) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1, locale="zh-CN")
    dialogs: list[str] = []
    tapped = 0
    try:
        with serve(hostile_site, SUBPATH) as url:
            for path in ["", "dongliu/", "status/completed/", "dongliu/2025-003/", "dongliu/2025-003/#notice"]:
                page = context.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(url + path, wait_until="load")
                for link in page.locator("a[data-unsafe-link]").all():  # the neutralised links, tapped
                    if link.is_visible() and tapped < 12:
                        link.click()
                        tapped += 1
                assert page.evaluate("window.__pwned") is None, path
                assert page.locator("script:not([src])").evaluate_all(
                    "els => els.filter(e => e.textContent.includes('__pwned')).length") == 0
                page.close()
    finally:
        context.close()
    assert dialogs == [] and tapped >= 10
