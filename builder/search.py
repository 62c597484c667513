"""Full-text search of matters with Pagefind, and the search page.

Only matter pages carry ``data-pagefind-body`` (see ``overrides/cunwu/matter.html``), so only
they are indexed; their filters (village, category, status, year) and the meta shown in a result
(village, status, category, date) come from attributes on that page. The index is written after
MkDocs has written the site, by the ``pagefind_extended`` binary of PyPI's ``pagefind[extended]``,
whose extended build segments Chinese words.

The same pages must give the same bytes, on any machine (``tests/site``: same content and date,
identical site). Pagefind 1.5.2 does not on its own: it numbers pages in the order the file system
lists the folder (so another disk or machine numbers them otherwise), and writes filter values
and the list of filters in the order of a Rust ``HashMap``, which changes from run to run.
``canonicalize`` rewrites its output: pages renumbered newest first (by their ``date`` sort key,
which is unique), filters sorted, files renamed by a hash of their new bytes. Pagefind looks its
files up by the names it reads and never checks the hashes. Newest first is also the order a
search without words (filters only) returns, so the ``date`` sort list, 21 KB gzipped at 10,000
matters in the file every first search loads, is dropped.

Free of MkDocs, like the rest of the model: ``search_page`` returns a ``site.Page``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .records import Village
from .schema import CATEGORIES
from .site import Page
from .status import STATUSES
from .validate import Report

BUNDLE = "pagefind"  # the folder under site/ that holds the index and pagefind.js
# Only matter pages are indexed; they sit at <village>/<id>/index.html. Reading only that level
# skips notices (<village>/<id>/notice/) and halves the HTML Pagefind parses on a large site.
GLOB = "*/*/index.html"
# Parts of a matter page that are the same words on every page (step names, "应到 46 人，实到 39 人",
# vote shares, dates, money lines): nobody searches them, and at 10,000 matters leaving them out
# made indexing a third faster and its memory a quarter smaller (1.9 → 1.5 GB).
EXCLUDE = (".cw-step__mark", ".cw-step__head", ".cw-step__facts", ".cw-votes", ".cw-votes__legend",
           ".cw-progress", ".cw-progress__text", ".cw-money")
# Pagefind writes its ready-made UIs too. The search page runs a small script of ours over
# pagefind.js (lighter on a slow phone), so these are never requested: keep the site small.
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)


class SearchError(RuntimeError):
    pass


def executable() -> Path:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, else the extended build from PyPI."""
    env = os.environ.get("PAGEFIND_BINARY_PATH")
    if env:
        return Path(env)
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as exc:
        raise SearchError("没有找到 Pagefind（搜索索引工具）：请安装 pagefind[extended]，"
                          "它能对中文分词。") from exc
    return Path(get_executable())


def index_site(site_dir: Path | str, glob: str = GLOB) -> Path:
    """Index the matter pages of a built site into ``site_dir/pagefind/``; return that folder."""
    site_dir = Path(site_dir)
    out = site_dir / BUNDLE
    if out.exists():
        shutil.rmtree(out)  # stale chunks of an earlier build would otherwise stay
    proc = subprocess.run(_command(site_dir, out, glob), capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (out / "pagefind-entry.json").is_file():
        raise SearchError("搜索索引没有生成（Pagefind 出错）：\n" + (proc.stderr or proc.stdout).strip())
    _finish_bundle(site_dir, out)
    return out


def _command(site: Path, out: Path, glob: str) -> list[str]:
    cmd = [str(executable()), "--site", str(site), "--glob", glob, "--output-path", str(out), "--silent"]
    for selector in EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    return cmd


def _finish_bundle(site_dir: Path, out: Path) -> None:
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)
    canonicalize(out)
    preload(site_dir, out)


class Indexer:
    """Pagefind in the background while MkDocs writes the rest of the site.

    ``index_site`` reads the matter pages back after the whole site is written, then Pagefind
    runs alone (at 10,000 matters about 15 s, on one core). Instead, the plugin can hand each
    matter page over as soon as it is rendered (``add``), start Pagefind on them (``start``) and
    collect the index once MkDocs has written everything else (``finish``): the two then share
    the machine's cores. Only the part of a page Pagefind reads (``data-pagefind-body``) is
    written for it, into a folder of its own; the index is the same, byte for byte, as
    ``index_site`` makes from the written site (``tests/search``).
    """

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="cunwu-pagefind-"))
        self.pages = self.tmp / "pages"
        self.proc: subprocess.Popen | None = None
        self.log = None
        self.count = 0

    def add(self, dest: str, html: str) -> None:
        """A rendered page, by its path in the site (``dongliu/2025-001/index.html``)."""
        start = html.find("<div data-pagefind-body")
        if start < 0:
            return
        end = html.find("</article>", start)
        lang = _LANG.search(html)
        twin = (f'<!doctype html><html lang="{lang[1] if lang else ""}"><body>'
                f"{html[start:end if end > 0 else len(html)]}</body></html>")
        path = self.pages / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(twin, encoding="utf-8")
        self.count += 1

    def start(self) -> None:
        if self.proc is not None or not self.count:
            return
        self.log = open(self.tmp / "pagefind.log", "w+b")  # noqa: SIM115 (closed in finish)
        self.proc = subprocess.Popen(_command(self.pages, self.tmp / BUNDLE, "**/*.html"),
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def finish(self, site_dir: Path | str) -> Path:
        """Wait for Pagefind, then put its index, made canonical, into ``site_dir/pagefind/``."""
        site_dir = Path(site_dir)
        try:
            if self.proc is None:
                return index_site(site_dir)
            code = self.proc.wait()
            bundle = self.tmp / BUNDLE
            if code != 0 or not (bundle / "pagefind-entry.json").is_file():
                self.log.seek(0)
                raise SearchError("搜索索引没有生成（Pagefind 出错）：\n" + self.log.read().decode("utf-8", "replace"))
            out = site_dir / BUNDLE
            if out.exists():
                shutil.rmtree(out)
            shutil.move(str(bundle), str(out))
            _finish_bundle(site_dir, out)
            return out
        finally:
            self.close()

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.log is not None:
            self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


_LANG = re.compile(r'<html[^>]*\blang="([^"]*)"')


PRELOAD_MARK = "<!-- cunwu:pagefind-preload -->"


def preload(site_dir: Path, bundle: Path) -> None:
    """Let the search page fetch Pagefind's files while it loads, not one after another.

    Pagefind fetches pagefind.js, then pagefind-entry.json, then the metadata and WebAssembly,
    each waiting on the one before: four round trips before a first search can start, which on
    a slow phone (150 ms each) is most of the wait. The search page gets preload links for all
    of them, and a cache tag (the metadata's hash) that makes the entry's URL known in advance.
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    for page in (site_dir / "search" / "index.html", site_dir / "search.html"):
        if not page.is_file():
            continue
        html = page.read_text(encoding="utf-8")
        if PRELOAD_MARK not in html:
            continue
        rel = Path(os.path.relpath(bundle, page.parent)).as_posix()
        lang = next(iter(entry["languages"].values()))
        tag = lang["hash"]
        links = [f'<meta name="cunwu-pagefind" content="{tag}">',
                 f'<link rel="modulepreload" href="{rel}/pagefind.js">']
        for name in (f"pagefind-entry.json?ts={tag}", f"pagefind.{lang['hash']}.pf_meta",
                     f"wasm.{lang.get('wasm') or 'unknown'}.pagefind"):
            links.append(f'<link rel="preload" href="{rel}/{name}" as="fetch" crossorigin>')
        page.write_text(html.replace(PRELOAD_MARK, "\n  ".join(links), 1), encoding="utf-8")


# Pagefind's files are gzip of b"pagefind_dcd" and CBOR (arrays, strings, integers).
SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise SearchError(f"Pagefind 文件格式不认识：{path.name}")
    value, end = _cbor_decode(data, len(SIGNATURE))
    if end != len(data):
        raise SearchError(f"Pagefind 文件格式不认识：{path.name}")
    return value


def _write(folder: Path, prefix: str, suffix: str, digits: int, value) -> str:
    """Write ``value`` as a Pagefind file named by a hash of its content; return the hash part."""
    return _save(folder, prefix, suffix, digits, SIGNATURE + _cbor_encode(value))


def _save(folder: Path, prefix: str, suffix: str, digits: int, data: bytes, level: int = 9) -> str:
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=level, mtime=0))
    return name


def canonicalize(bundle: Path) -> None:
    """Renumber pages newest first, sort filters; the same pages then give the same bytes."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang in entry["languages"].values():
        prefix = lang["hash"].split("_")[0] + "_"
        meta_path = bundle / f"pagefind.{lang['hash']}.pf_meta"
        # [version, pages: [[fragment hash, word count]], index chunks: [[from, to, hash]],
        #  filters: [[name, hash]], sorts: [[name, [page, ...] in ascending order]], meta keys]
        meta = _read(meta_path)
        version, pages, chunks, filters, sorts, keys = meta
        new_number = _page_order(pages, sorts)
        meta[1] = [page for _, page in sorted(zip(new_number, pages, strict=True))]
        # The date order is now the page order, which is what a search without words returns:
        # the list of 10,000 page numbers (21 KB gzipped in the file every search loads) can go.
        meta[4] = [[name, [new_number[p] for p in order]] for name, order in sorts if name != "date"]
        new_chunks = []
        for start, end, chunk in chunks:
            path = bundle / "index" / f"{chunk}.pf_index"
            data = _renumber_index(gzip.decompress(path.read_bytes()), new_number)
            path.unlink()
            # Level 6, not 9: at 10,000 matters 4 s less, for chunks 5 % larger.
            new_chunks.append([start, end, _save(bundle / "index", prefix, ".pf_index", 7, data, level=6)])
        meta[2] = new_chunks
        new_filters = []
        for name, chunk in sorted(filters):
            path = bundle / "filter" / f"{chunk}.pf_filter"
            fname, values = _read(path)
            path.unlink()
            values = sorted([v, sorted(new_number[p] for p in pages_of)] for v, pages_of in values)
            new_filters.append([name, _write(bundle / "filter", prefix, ".pf_filter", 7, [fname, values])])
        meta[3] = new_filters
        meta_path.unlink()
        lang["hash"] = _write(bundle, "pagefind." + prefix, ".pf_meta", 10, meta).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _page_order(pages: list, sorts: list) -> list[int]:
    """New number of each page: descending ``date`` sort key (unique), then fragment hash."""
    rank = {}
    for name, order in sorts:
        if name == "date":
            rank = {page: len(order) - i for i, page in enumerate(order)}  # newest gets 1
    key = sorted(range(len(pages)), key=lambda p: (rank.get(p, len(pages) + 1), pages[p][0]))
    new_number = [0] * len(pages)
    for new, old in enumerate(key):
        new_number[old] = new
    return new_number


# A CBOR integer, for skipping arrays of them without decoding (C speed through ``re``).
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38][\x00-\xff]|[\x19\x39][\x00-\xff]{2}|[\x1a\x3a][\x00-\xff]{4}|[\x1b\x3b][\x00-\xff]{8})"


@functools.cache
def _ints(n: int) -> re.Pattern:
    return re.compile(_INT + b"{%d}" % n)


def _head(b: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, position after the head) of the CBOR item at ``i``."""
    head = b[i]
    info = head & 31
    if info < 24:
        return head >> 5, info, i + 1
    if info > 27:
        raise SearchError("Pagefind 索引格式不认识")
    size = 1 << (info - 24)
    return head >> 5, int.from_bytes(b[i + 1:i + 1 + size], "big"), i + 1 + size


def _renumber_index(data: bytes, new_number: list[int]) -> bytes:
    """An index chunk with its pages renumbered, working on the bytes (millions of positions).

    Chunk: [[[word, [[page delta, [positions], [meta positions]], ...], []], ...]]; the positions
    are copied as they are, each word's pages re-sorted by their new numbers and re-delta'd.
    """
    def expect(major: int, i: int, arg: int | None = None) -> tuple[int, int]:
        got, n, j = _head(data, i)
        if got != major or (arg is not None and n != arg):
            raise SearchError("Pagefind 索引格式不认识")
        return n, j

    _, i = expect(4, len(SIGNATURE), 1)
    words, i = expect(4, i)
    out = [SIGNATURE, b"\x81", _cbor_head(4, words)]
    for _ in range(words):
        _, i = expect(4, i, 3)
        length, j = expect(3, i)
        text, i = data[i:j + length], j + length
        count, i = expect(4, i)
        page, entries = 0, []
        for _ in range(count):
            _, i = expect(4, i, 3)
            delta, i = expect(0, i)
            page += delta
            start = i
            for _ in range(2):  # positions, meta positions: arrays of integers
                n, i = expect(4, i)
                found = _ints(n).match(data, i)
                if found is None:
                    raise SearchError("Pagefind 索引格式不认识")
                i = found.end()
            entries.append((new_number[page], data[start:i]))
        if data[i] != 0x80:  # the third field of a word has always been empty
            raise SearchError("Pagefind 索引格式不认识")
        i += 1
        entries.sort(key=lambda e: e[0])
        out += [b"\x83", text, _cbor_head(4, count)]
        last = 0
        for number, raw in entries:
            out += [b"\x83", _cbor_head(0, number - last), raw]
            last = number
        out.append(b"\x80")
    if i != len(data):
        raise SearchError("Pagefind 索引格式不认识")
    return b"".join(out)


def _cbor_decode(b: bytes, i: int):
    head = b[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n = int.from_bytes(b[i:i + size], "big")
        i += size
    elif info == 31 and major == 4:
        n = None
    else:
        raise SearchError("Pagefind 文件格式不认识")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(b[i:i + n]), i + n
    if major == 3:
        return b[i:i + n].decode("utf-8"), i + n
    if major == 4:
        out = []
        while (n is None and b[i] != 0xFF) or (n is not None and len(out) < n):
            item, i = _cbor_decode(b, i)
            out.append(item)
        return out, (i + 1 if n is None else i)
    raise SearchError("Pagefind 文件格式不认识")


def _cbor_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise SearchError("数值太大")


def _cbor_encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise SearchError("Pagefind 文件格式不认识")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _cbor_head(3, len(data)) + data
    if isinstance(value, list | tuple):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)
    raise SearchError("Pagefind 文件格式不认识")


def _village_label(v: Village, duplicated: set[str]) -> str:
    return f"{v.name}（{v.township}）" if v.name in duplicated and v.township else v.name


def search_page(report: Report) -> Page:
    """The page at search/: a search box with filters, and without JavaScript, links to browse."""
    villages = list(report.villages.values())
    names = [v.name for v in villages]
    duplicated = {n for n in names if names.count(n) > 1}
    used = {r.village for r in report.records}
    years = sorted({r.id[:4] for r in report.records}, reverse=True)
    return Page("search.md", "cunwu/search.html", "搜索", "按事项名称、村名或关键词搜索各村的村级重大事项", {
        "villages": [{"id": v.id, "name": v.name, "label": _village_label(v, duplicated)} for v in villages if v.id in used],
        "categories": list(CATEGORIES.items()),
        "statuses": list(STATUSES.items()),
        "years": years,
        "total": len(report.records),
    })
