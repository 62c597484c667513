"""Matter pages rendered without MkDocs' per-page pipeline, and their notices' QR codes.

As MkDocs pages, matter pages spent most of their time in Material's ``base.html`` alone
(header, drawer, nav, footer: README, Performance), identical for every matter because matters
sit at the same depth and are not in the nav. So Material renders that frame once, with tokens
where the title, description, address and content go, and each matter only renders its own
``content`` block into it. The frame is Material's own output; a successor theme keeps working
as long as its matter template has a ``content`` block.

A matter put to the vote prints as its public notice (``cunwu/notice.html``, shown by the print
stylesheet), with a QR code leading back to the page. The codes need only the records' addresses:
on a large site a second process makes them (``QRCodes``) while this one builds the other pages.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

import jinja2
import zxingcpp
from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page as MkPage

from ..views.site import Page
from .fork import Forked, start

MATTER = "cunwu/matter.html"
SEARCH_ENTRY = "cunwu/search-entry.html"
_TOKEN = re.compile(r"CWTOKEN_(CONTENT|TITLE|DESC|VILLAGE|ID)")


class MatterRenderer:
    def __init__(self, env: Any, config: Any, files: Any, nav: Any, qr: dict[str, Markup]) -> None:
        frame = File.generated(config, "CWTOKEN_VILLAGE/CWTOKEN_ID/index.md", content="")
        page = MkPage(None, frame, config)
        page.markdown, page.content = "", ""
        page.meta = {"title": "CWTOKEN_TITLE", "description": "CWTOKEN_DESC", "hide": ["toc"], "template": MATTER}
        self.config, self.qr = config, qr
        self.context = dict(get_context(nav, files, config, page))
        self.template = env.get_template(MATTER)
        self.frame = self.template.render({**self.context, "cunwu_frame": True, "cunwu": {"steps": True}})
        if "CWTOKEN_CONTENT" not in self.frame:
            raise RuntimeError(f"{MATTER} has no content block for the matter pages")

    def matter(self, page: Page) -> str:
        qr = self.qr.get(page.context["url"])  # only matters with a notice have one
        ctx = self.template.new_context({**self.context, "cunwu": page.context, "cunwu_qr": qr})
        values = {
            "CONTENT": "".join(self.template.blocks["content"](ctx)),
            "TITLE": str(escape(page.title)),
            "DESC": str(escape(page.description)),
            "VILLAGE": page.context["village"],
            "ID": page.context["id"],
        }
        # One pass over the frame: record text put in is never scanned for tokens again.
        return _TOKEN.sub(lambda m: values[m[1]], self.frame)


# Material's own words for the language of its pages (base.html: <html lang="{{ lang.t('language') }}">).
_LANGUAGE = '{% import "partials/language.html" as lang with context %}{{ lang.t("language") }}'


def page_language(env: Any, config: Any) -> str:
    """The language the theme writes into its pages' ``<html lang>``, which Pagefind reads from
    the pages it indexes: known before any page is rendered."""
    try:
        return env.from_string(_LANGUAGE).render(config=config).strip()
    except jinja2.TemplateError:  # a theme without Material's language partial
        return str(config.theme.get("language") or config.theme.locale or "")


class SearchEntries:
    """What Pagefind reads of each matter (``cunwu/search-entry.html``), which its page does not
    carry. Made as each matter's data are, before MkDocs has a navigation or renders anything, so
    that Pagefind's runs start while the rest of the site is worked out; ``env``: the theme's
    Jinja environment, as MkDocs makes it (the template needs nothing of MkDocs' context)."""

    def __init__(self, env: Any) -> None:
        self.template = env.get_template(SEARCH_ENTRY)

    def render(self, page: Page) -> str:
        return self.template.render(cunwu=page.context)


def _group_path(dark: tuple[bool, ...]) -> str:
    """Path commands for 8 modules of a row: from the group's left edge to the next group's."""
    out, x, i = [], 0, 0
    while i < 8:
        if dark[i]:
            j = i
            while j < 8 and dark[j]:
                j += 1
            out.append(f"m{i - x} 0h{j - i}")
            x = i = j
        else:
            i += 1
    if x < 8:
        out.append(f"m{8 - x} 0")
    return "".join(out)


# Every pattern of 8 modules as zxing-cpp gives them (a byte each, 0 for dark), and its path.
_GROUPS = {bytes(0 if d else 255 for d in dark): _group_path(dark) for dark in itertools.product((False, True), repeat=8)}


def qr_svg(url: str, border: int = 2) -> Markup:
    """The notice's QR code as inline SVG, so it prints without another download.

    zxing-cpp encodes it (error correction M), several times faster than segno. The path draws
    each row's dark modules as strokes one module wide, in module units (CSS sizes it), eight
    modules at a time from a table: drawn run by run, the path cost more than the code."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)  # one byte a module, 0 for dark
    n, cells = image.shape[0], bytes(image)
    pad = b"\xff" * (-n % 8)
    rows = []
    for y in range(n):
        row = cells[y * n:(y + 1) * n] + pad
        rows.append(f"M{border} {border + y}.5" + "".join([_GROUPS[row[x:x + 8]] for x in range(0, len(row), 8)]))
    size = n + 2 * border
    return Markup(f'<svg class="cw-qr" viewBox="0 0 {size} {size}" width="{3 * size}" height="{3 * size}" '
                  f'shape-rendering="crispEdges" role="img"><title>扫码查看网页</title>'
                  f'<rect width="{size}" height="{size}" fill="#fff"/>'
                  f'<path stroke="#000" d="{"".join(rows)}"/></svg>')


class QRCodes:
    """The QR codes of the matters put to the vote, by their addresses in the site (``url``):
    each encodes ``site_url`` + that address. With ``fork`` a second process makes them from
    now on (README, Performance); ``codes`` waits for them."""

    def __init__(self, site_url: str, urls: list[str], fork: bool) -> None:
        self.site_url, self.urls = site_url, urls
        self.child: Forked | None = start(functools.partial(_encode_all, site_url, urls)) if fork else None

    def codes(self) -> dict[str, Markup]:
        """``{url: svg}``; raise ``ForkError`` if the second process failed."""
        if self.child is None:
            svgs = _encode_all(self.site_url, self.urls)
        else:
            child, self.child = self.child, None
            svgs = child.result()
        return {url: Markup(svg) for url, svg in zip(self.urls, svgs, strict=True)}

    def close(self) -> None:
        if self.child is not None:
            self.child.terminate()
            self.child = None


def _encode_all(site_url: str, urls: list[str]) -> list[str]:
    return [str(qr_svg(site_url + url)) for url in urls]
