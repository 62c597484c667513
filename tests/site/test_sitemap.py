"""The sitemap files: one list up to the protocol's limit, an index of several lists above it."""

from __future__ import annotations

import datetime as dt
import gzip
from xml.etree import ElementTree as ET

from builder.views.sitemap import sitemaps

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DAY = dt.date(2026, 11, 20)
URLS = ["", "stats/", "township/青禾镇/", "dongliu/2025-001/", "a&b/"]


def locs(data: bytes, what: str) -> list[str]:
    return [e.text for e in ET.fromstring(data).findall(f"s:{what}/s:loc", NS)]


def test_one_file_up_to_the_limit() -> None:
    out = sitemaps(URLS, "https://x.example/cunwu/", DAY, per_file=len(URLS))
    assert sorted(out) == ["sitemap.xml", "sitemap.xml.gz"]
    assert locs(out["sitemap.xml"], "url") == [
        "https://x.example/cunwu/", "https://x.example/cunwu/stats/",
        "https://x.example/cunwu/township/%E9%9D%92%E7%A6%BE%E9%95%87/",
        "https://x.example/cunwu/dongliu/2025-001/", "https://x.example/cunwu/a&b/"]
    assert gzip.decompress(out["sitemap.xml.gz"]) == out["sitemap.xml"]


def test_an_index_above_the_limit() -> None:
    out = sitemaps(URLS, "https://x.example/cunwu/", DAY, per_file=2)
    assert locs(out["sitemap.xml"], "sitemap") == [f"https://x.example/cunwu/sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [locs(out[f"sitemap-{n}.xml"], "url") for n in (1, 2, 3)]
    assert [len(p) for p in parts] == [2, 2, 1]
    assert sum(parts, []) == locs(sitemaps(URLS, "https://x.example/cunwu/", DAY)["sitemap.xml"], "url")
    assert all(f"sitemap-{n}.xml.gz" in out for n in (1, 2, 3))


def test_already_encoded_addresses_are_not_encoded_twice() -> None:
    out = sitemaps(["township/%E9%9D%92/"], "https://x.example/", DAY)
    assert locs(out["sitemap.xml"], "url") == ["https://x.example/township/%E9%9D%92/"]
