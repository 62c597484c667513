"""Hostile text for records, and the check that a built page holds none of it as markup.

A page is read as a browser reads it (``html.parser``: entities in attributes decoded), and what
could run is looked for: script elements, event handler attributes, links and sources whose
scheme is ``javascript:``, ``vbscript:`` or ``data:`` once decoded, elements our templates and
the Markdown allowlist never write. The payloads set ``window.__pwned``, so that the browser test
can also look for them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

TITLE = "<script>window.__pwned=1</script>\"><img src=x onerror=window.__pwned=2>{{7*7}}"
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "\"><img src=x onerror=window.__pwned=2>",
    "'><svg/onload=window.__pwned=3>",
    "<a href=\"javascript:window.__pwned=4\">a</a>",
    "[x](javascript&#58;window.__pwned=5)",
    "[x](&#106;avascript:window.__pwned=6)",
    "[x](java&#09;script:window.__pwned=7)",
    "[x](JaVaScRiPt:window.__pwned=8)",
    "![i](javascript:window.__pwned=9)",
    "[x](data:text/html,<script>window.__pwned=10</script>)",
    "[x](vbscript:window.__pwned=11)",
    "[x][r]\n\n[r]: javascript:window.__pwned=12",
    "<iframe src=javascript:window.__pwned=13></iframe>",
    "[x](<javascript:window.__pwned=14>)",
    "[x](javascript&colon;window.__pwned=15)",
    "<javascript:window.__pwned=16>",
    "{{ 7*7 }}{% raw %}",
    "&lt;script&gt;window.__pwned=17&lt;/script&gt;",
    "&#60;img src=x onerror=window.__pwned=18&#62;",
]
MARKDOWN = "\n\n".join(PAYLOADS)  # for the fields laid out as Markdown
LINE = " ".join(p.replace("\n", " ") for p in PAYLOADS[:4]) + " {{7*7}} &amp;"  # for one-line fields

# Every element our templates, Material and the Markdown allowlist write (the sample site's).
KNOWN_TAGS = {
    "html", "head", "body", "meta", "title", "link", "script", "style", "noscript", "header", "nav", "main",
    "footer", "div", "span", "a", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong",
    "em", "code", "pre", "blockquote", "img", "table", "thead", "tbody", "tr", "th", "td", "svg", "path", "rect",
    "text", "label", "input", "button", "form", "select", "option", "fieldset", "legend", "details",
    "summary", "time", "section", "article", "aside", "small", "sup", "sub", "g", "circle", "use", "defs",
    "optgroup",
}
_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in KNOWN_TAGS:
            self.problems.append(f"<{tag}>")
        self._script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and (name, value) != ("onclick", "print()"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            url = re.sub(r"[\x00-\x20\x7f]", "", value)
            if name in ("href", "src", "action", "formaction", "xlink:href") and _UNSAFE_SCHEME.match(url):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if tag == "img" and name == "src" and value == "x":
                self.problems.append("<img src=x>")

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "__pwned" in data:
            self.problems.append(f"<script>{data[:60]}")


def markup_problems(html: str) -> list[str]:
    """What in ``html`` could run or is markup no template of ours writes."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def site_problems(site: Path) -> dict[str, list[str]]:
    """``markup_problems`` of every page of a built site, by page."""
    out = {}
    for page in sorted(site.rglob("*.html")):
        problems = markup_problems(page.read_text(encoding="utf-8"))
        if problems:
            out[str(page.relative_to(site))] = problems
    return out
