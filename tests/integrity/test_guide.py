"""The guide page: generated from the rule table, every code with its example, safe to render."""

from __future__ import annotations

import html as html_lib
import re

import markdown
import pytest

from builder.model.rules import RULES, Rule
from builder.views.guide import code_block, guide_markdown, text

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[点我](javascript:alert(1))",
    "**粗** _斜_ `代码` ~~删~~ ==标== ^上^ :smile: $x$", "| 竖 | 线 |", "{#id .class}", "&lt;b&gt;",
    "# 不是标题", "\\<b>\\", "<!-- 注释 -->", "```\n<b>围栏</b>\n```", "    缩进\n<i>x</i>",
]


def render(page: str) -> str:
    """As MkDocs renders the page, with the site's extensions and a few common others."""
    return markdown.markdown(page, extensions=["tables", "toc", "attr_list", "md_in_html"])


def test_every_code_appears_with_its_title_severity_and_examples() -> None:
    page = guide_markdown()
    for code, rule in RULES.items():
        head = re.search(rf"^### {code} (.+)$", page, re.M)
        assert head, code
        section = page[head.start():].split("\n### ", 1)[0]
        assert ("错误" if rule.severity == "error" else "警告") in section
        for example in (rule.bad, rule.good):
            if example:
                first = example.replace("{{", "{").replace("}}", "}").split("\\n")[0]
                assert "    " + first in section, (code, example)
    assert page.count("\n### ") == len(RULES)


def test_every_code_says_how_to_fix_it_without_placeholders() -> None:
    """A hint made of one record's values (E011 "{suggest}") says nothing in general: such a
    rule carries its own advice for the guide."""
    page = guide_markdown()
    for code in RULES:
        section = page[page.index(f"### {code} "):].split("\n### ", 1)[0]
        fix = re.search(r"^怎样改：(.+)$", section, re.M)
        assert fix and len(fix[1]) >= 8, code
        assert "……" not in fix[1] and "{" not in fix[1], (code, fix[1])


def test_every_code_is_in_the_summary_table() -> None:
    rows = [line for line in guide_markdown().split("\n") if line.startswith("| ") and line[2:6] in RULES]
    assert [row[2:6] for row in rows] == list(RULES)


def test_codes_come_from_the_table_passed_in() -> None:
    rules = {"E999": Rule("E999", "error", "测试规则", "消息", "提示文字足够长，说明怎样改正这个问题", "错的", "对的")}
    page = guide_markdown(rules)
    assert "### E999 测试规则" in page and "E001" not in page.split("## 全部检查代码")[1]


def test_web_editor_steps_are_there() -> None:
    page = guide_markdown()
    for words in ("Add file", "Create new file", "2024-004.md", "Commit changes", "Propose changes",
                  "Create pull request", "Files changed", "Merge pull request", "corrections", "content/"):
        assert words in page, words
    steps = re.findall(r"^(\d+)\. ", page, re.M)
    assert steps == [str(i) for i in range(1, len(steps) + 1)] and len(steps) >= 8


def test_skeleton_is_shown_as_a_code_block() -> None:
    html = render(guide_markdown())
    block = re.search(r"<pre><code>(---\n.*?)</code></pre>", html, re.S)
    assert block and "id: 2024-004" in block[1] and "proposal:" in block[1]


def test_rendered_page_has_every_code_heading_and_no_markup_from_the_table() -> None:
    html = render(guide_markdown())
    for code in RULES:
        assert re.search(rf"<h3 id=\"[^\"]*\">{code} ", html), code
    assert "<b>" not in html and "&lt;b&gt;重要&lt;/b&gt;" in html  # W070's example is shown, not run


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_rule_text_is_inert(value: str) -> None:
    rule = Rule("E998", "error", value, "m", value + " 这是一条足够长的提示文字", value, value)
    html = render(guide_markdown({"E998": rule}))
    tail = html.split("E998", 1)[1]
    for tag in ("<script", "<img", "<b>", "<i>", "<a ", "<strong", "<em", "<del", "<mark", "<sup", "<!--", "<h1"):
        assert tag not in tail, (tag, value)


@pytest.mark.parametrize("value", HOSTILE)
def test_text_escapes_to_the_same_visible_text(value: str) -> None:
    html = markdown.markdown(text(value), extensions=["tables", "toc", "attr_list"])
    visible = html_lib.unescape(re.sub(r"<[^>]+>", "", html))
    assert visible == " ".join(value.split())


def test_code_block_keeps_every_line() -> None:
    value = "a\n\n  b\n<c>"
    html = markdown.markdown("x\n\n" + code_block(value))
    assert "<pre><code>a\n\n  b\n&lt;c&gt;\n</code></pre>" in html


def test_page_is_stable() -> None:
    assert guide_markdown() == guide_markdown()
