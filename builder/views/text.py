"""Record text to safe HTML, and the site's ways of writing dates and money.

Record text is Markdown written by secretaries and published to everyone: raw HTML in it is
shown as text (never run) and links may only lead to web, mail or phone addresses, or within the
site. Two locks: Markdown is told not to pass HTML through and to neutralise links it makes, and
what it writes then goes through a sanitizer (nh3, the Rust ammonia library) with an allowlist
of tags, attributes and URL schemes, which reads the HTML as a browser does (entities decoded).
"""

from __future__ import annotations

import html
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup, escape

from ..model.chinese import cn_date
from ..model.textshape import markdown_hazard, needs_markdown

__all__ = ["cn_date", "render", "wan", "yuan"]

_SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|/|\./|\.\./|[^:/?#]*(?:[/?#]|$))", re.I)


class _NeutraliseLinks(Treeprocessor):
    """Drops ``javascript:`` and other unsafe URLs from links and images."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not _SAFE_URL.match(_decontrol(value)):
                    el.set(attr, "#")
                    el.set("data-unsafe-link", "")
            if el.tag == "a" and el.get("href", "").startswith(("http:", "https:")):
                el.set("rel", "nofollow noopener")


def _decontrol(url: str) -> str:
    """The URL as a browser reads it: entities decoded (``javascript&#58;``; Markdown writes its
    own e-mail links as entities, held as placeholders here), then without the whitespace and
    control characters browsers ignore inside a scheme (``java\tscript:``)."""
    return re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url.replace(AMP_SUBSTITUTE, "&")))


class _SafeMarkdown(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_NeutraliseLinks(md), "neutralise_links", 0)


_md = markdown.Markdown(extensions=["tables", "sane_lists", _SafeMarkdown()], output_format="html")

# What Markdown (with tables and sane lists) writes, and nothing else. Links: web, mail and phone
# addresses, and relative ones (other pages of the site, #fragments); the rel the tree processor
# gives external links is kept, not replaced by nh3's own.
_cleaner = nh3.Cleaner(
    tags={"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong",
          "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td"},
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title", "rel", "data-unsafe-link"}, "img": {"src", "alt", "title", "data-unsafe-link"},
                "ol": {"start"}, "th": {"style"}, "td": {"style"}},
    filter_style_properties={"text-align"},  # a table column's alignment, nothing else
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
    strip_comments=True,
)




def render(text: str | None) -> Markup:
    """Markdown to HTML with raw HTML escaped and unsafe links neutralised."""
    if not text:
        return Markup("")
    text = str(text)
    if not needs_markdown(text):
        return _paragraphs(text, "\n")
    if markdown_hazard(text):  # too long or too deeply nested for Markdown: W071 has said so
        return plain(text)
    _md.reset()
    return Markup(_cleaner.clean(_md.convert(text)))


def plain(text: str) -> Markup:
    """Text shown as typed, escaped: paragraphs at blank lines, each line on its own line."""
    return _paragraphs(text, "<br>\n")


def _paragraphs(text: str, line_break: str) -> Markup:
    # The text is escaped as a whole first (escaping adds no line breaks), then cut into
    # paragraphs: a record of 300,000 short paragraphs spent 14 s in a Markup.format for each.
    escaped = str(escape(text.strip("\n")))
    paragraphs = [p.strip("\n") for p in _BLANK_LINE.split(escaped) if p.strip()]
    return Markup("\n".join(f"<p>{p.replace(chr(10), line_break)}</p>" for p in paragraphs))


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def one_line(text: str) -> str:
    """Text for a single line (a page's title, a card's description): whitespace runs, line
    breaks included, become one space."""
    return " ".join(text.split())


def yuan(value: Decimal | int | float | None) -> str:
    return f"{Decimal(value):,.2f} 元" if value is not None else ""


def wan(value: Decimal | int | float | None) -> str:
    """Money for summaries: 11.85 万元 from 10,000 up, otherwise in yuan."""
    if value is None:
        return ""
    amount = Decimal(value)
    if amount >= 10000:
        return f"{(amount / 10000).quantize(Decimal('0.01')).normalize():f} 万元"
    return yuan(amount)
