"""Record text to safe HTML, and the site's ways of writing dates and money.

Record text is Markdown written by secretaries and published to everyone: raw HTML in it is
shown as text (never run) and links may only lead to web, mail or phone addresses.
"""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree as ET

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..model.chinese import cn_date

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
    # Browsers ignore whitespace and control characters inside a scheme: "java\tscript:".
    return re.sub(r"[\x00-\x20\x7f]", "", url)


class _SafeMarkdown(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_NeutraliseLinks(md), "neutralise_links", 0)


_md = markdown.Markdown(extensions=["tables", "sane_lists", _SafeMarkdown()], output_format="html")


# Text with none of these characters, and no line that Markdown reads as a block, comes out of
# Markdown as plain paragraphs: most record text is like that, and Markdown costs 0.25 ms a call
# (10 s of a 10,000-record build).
_INLINE = re.compile(r"[*_`\[\]<>&\\|!#~\"'=\t]|https?:|www\.|^[ ]|[ ]$|^\s*(?:[-+]|\d+[.)])(?:\s|$)|^-+$", re.M)


def render(text: str | None) -> Markup:
    """Markdown to HTML with raw HTML escaped and unsafe links neutralised."""
    if not text:
        return Markup("")
    text = str(text)
    if not _INLINE.search(text):
        paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
        return Markup("\n".join(f"<p>{p}</p>" for p in paragraphs))
    _md.reset()
    return Markup(_md.convert(text))


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
