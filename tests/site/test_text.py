"""Record text rendering: the plain-text shortcut gives what Markdown gives; links and markup are
safe as the browser reads them; every shape of text renders in bounded time."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.model import textshape
from builder.views import text

ALPHABET = "ab中文 \n\t.-1)2*#>_|+`=:，。<&\"'[]!~h"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_shortcut_matches_markdown(value: str) -> None:
    text._md.reset()
    assert str(text.render(value)) == text._cleaner.clean(text._md.convert(value))


def test_raw_html_and_script_links_are_inert() -> None:
    html = str(text.render("<script>x</script> [a](javascript:alert(1)) [b](java\tscript:x) [c](https://e.org)"))
    assert "<script>" not in html and "javascript:" not in html and 'href="https://e.org"' in html


# -- links: schemes checked as the browser reads them ------------------------------------------

@pytest.mark.parametrize("link", [
    "javascript&#58;alert(1)", "&#106;avascript:alert(1)", "java&#09;script:alert(1)", "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)", "jav&#x0A;ascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "<javascript:alert(1)>",
])
def test_script_links_come_out_harmless(link: str) -> None:
    for markdown in (f"[x]({link})", f"![x]({link})", f"[x][r]\n\n[r]: {link}"):
        html = str(text.render(markdown))
        hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
        assert all(h == "#" for h in hrefs), (markdown, html)
        assert "script:" not in unescape(html).replace("\t", "").replace("\n", "").lower() or "&lt;" in html


@pytest.mark.parametrize(("markdown", "href"), [  # near misses: the links that stay
    ("[x](https://e.org/a?b=1&c=2)", "https://e.org/a?b=1&amp;c=2"), ("[x](http://e.org)", "http://e.org"),
    ("[x](mailto:cun@e.org)", "mailto:cun@e.org"), ("[x](tel:+8610123)", "tel:+8610123"),
    ("[x](../2025-001/)", "../2025-001/"), ("[x](#steps)", "#steps"), ("[x](files/a.pdf)", "files/a.pdf"),
    ("[x](&#35;steps)", "#steps"),
])
def test_web_mail_phone_relative_and_fragment_links_stay(markdown: str, href: str) -> None:
    html = str(text.render(markdown))
    assert f'href="{href}"' in html and "data-unsafe-link" not in html
    assert ('rel="nofollow noopener"' in html) == href.startswith("http")


def test_the_sanitizer_alone_drops_what_markdown_might_let_through() -> None:
    dirty = ('<a href="javascript&#58;alert(1)" onclick="x()">a</a><img src="java&#09;script:x" onerror="y()">'
             '<script>z()</script><iframe src="https://e.org"></iframe><p style="color:red">p</p>')
    assert text._cleaner.clean(dirty) == "<a>a</a><img><p>p</p>"
    assert text._cleaner.clean('<a href="https://e.org" rel="nofollow noopener">a</a>') == \
        '<a href="https://e.org" rel="nofollow noopener">a</a>'


def test_raw_html_stays_text() -> None:  # W070 promises it
    html = str(text.render("<b>重要</b> <img src=x onerror=alert(1)> <!-- c -->\n\n<div>块</div>"))
    assert "&lt;b&gt;重要&lt;/b&gt;" in html and "&lt;img src=x" in html and "&lt;div&gt;块" in html
    assert "<b>" not in html and "<img" not in html and "<div" not in html


# -- bounded time -------------------------------------------------------------------------------

SHAPES = {  # the shapes Python-Markdown is slow or recursive on, found by measuring
    "open brackets": "[", "links without end": "[a](", "nested quote": ">", "nested lists": "1. ",
    "setext lines": "x\n-\n", "rules": "---\n", "headings": "# h\n", "code spans": "``a`", "stars": "*a",
    "escapes": "\\", "list items": "- x\n", "newlines": "\n",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_pathological_text_renders_in_bounded_time(shape: str) -> None:
    unit = SHAPES[shape]
    for size in (textshape.MAX_CHARS, 1_000_000):  # the largest laid out, and a whole record
        value = "x" + unit * (size // len(unit)) + "x"
        start = time.perf_counter()
        html = str(text.render(value))
        assert time.perf_counter() - start < 10, (shape, size)  # quadratic took minutes
        assert "<script" not in html


def test_long_or_deep_text_is_shown_plain_and_escaped() -> None:
    value = "[" * 30_000 + "<script>x</script>\n第二行\n\n第二段"
    assert textshape.markdown_hazard(value)
    html = str(text.render(value))
    assert html.endswith("&lt;script&gt;x&lt;/script&gt;<br>\n第二行</p>\n<p>第二段</p>")


@pytest.mark.parametrize(("value", "why"), [
    ("字" * (textshape.MAX_CHARS + 1) + "*", "超过"),
    ("> " * (textshape.MAX_NESTING + 1) + "x", "层"),
    ("1. " * (textshape.MAX_NESTING + 1) + "x", "层"),
    ("[" * 5000, "方括号"),
    ("x\n-\n" * 3000, "标题或分隔线"),
    ("``a`" * 2000, "反引号"),
])
def test_hazards(value: str, why: str) -> None:
    assert why in (textshape.markdown_hazard(value) or "")


@pytest.mark.parametrize("value", [  # near misses: text as people write it keeps its layout
    "字" * textshape.MAX_CHARS,
    "> " * textshape.MAX_NESTING + "x",
    "- 一\n    - 二\n        - 三\n",
    ("[说明](https://e.org) **重点** `代码`\n\n" * 400),
    "| 户 | 金额 |\n|---|---|\n" + "| 张三 | **100** |\n" * 400,
    "# 标题\n\n正文\n\n## 小标题\n\n---\n\n" * 100,
])
def test_near_misses_are_laid_out(value: str) -> None:
    assert textshape.markdown_hazard(value) is None
