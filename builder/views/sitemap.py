"""The sitemap: every page of the site, matter pages included.

Matter pages are rendered outside MkDocs' pages (``engine/fastpages``), so MkDocs' own sitemap
misses them: this one replaces it. The sitemap protocol allows 50,000 addresses a file; above
that, ``sitemap.xml`` becomes an index of ``sitemap-1.xml``, ``sitemap-2.xml`` …
"""

from __future__ import annotations

import datetime as dt
import gzip
from urllib.parse import quote
from xml.sax.saxutils import escape

PER_FILE = 50_000  # the protocol's limit of addresses in one file
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _loc(base: str, url: str) -> str:
    # Addresses from MkDocs are already percent-encoded; "%" is kept so they are not encoded twice.
    return escape(base + quote(url, safe="/%:@!$&'()*+,;=-._~"))


def _urlset(locs: list[str], day: str) -> bytes:
    rows = "".join(f"<url><loc>{loc}</loc><lastmod>{day}</lastmod></url>\n" for loc in locs)
    return f'{_HEAD}<urlset xmlns="{_NS}">\n{rows}</urlset>\n'.encode()


def sitemaps(urls: list[str], site_url: str, today: dt.date, per_file: int = PER_FILE) -> dict[str, bytes]:
    """The sitemap files by their path in the site: ``urls`` are site-relative ("", "stats/", …);
    ``site_url`` makes them absolute, as the protocol wants. Each file also gzipped."""
    base = site_url.rstrip("/") + "/" if site_url else "/"
    day = today.isoformat()
    locs = [_loc(base, u) for u in urls]
    out: dict[str, bytes] = {}
    if len(locs) <= per_file:
        out["sitemap.xml"] = _urlset(locs, day)
    else:
        parts = [locs[i:i + per_file] for i in range(0, len(locs), per_file)]
        entries = []
        for n, part in enumerate(parts, 1):
            out[f"sitemap-{n}.xml"] = _urlset(part, day)
            entries.append(f"<sitemap><loc>{escape(base)}sitemap-{n}.xml</loc><lastmod>{day}</lastmod></sitemap>\n")
        out["sitemap.xml"] = f'{_HEAD}<sitemapindex xmlns="{_NS}">\n{"".join(entries)}</sitemapindex>\n'.encode()
    for name in list(out):
        out[f"{name}.gz"] = gzip.compress(out[name], 9, mtime=0)
    return out
