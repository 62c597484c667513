"""Full-text search of matters with Pagefind, and the search page.

Only matter pages carry ``data-pagefind-body`` (see ``overrides/cunwu/matter.html``), so only
they are indexed; their filters (village, category, status, year) and the meta shown in a result
(village, status, category, date) come from attributes on that page. The index is written after
MkDocs has written the site, by the ``pagefind_extended`` binary of PyPI's ``pagefind[extended]``,
whose extended build segments Chinese words.

Pagefind runs on batches of pages, at most ``BATCH`` each and ``PARALLEL`` at a time, and
``merge`` joins their indexes into one. Pagefind holds about 150 KB a page while indexing (1.5 GB
at 10,000 matters, 15 GB at 100,000), and uses one core for most of its run: batches bound the
memory and use both cores of a small machine.

The same pages must give the same bytes, on any machine (``tests/site``: same content and date,
identical site). Pagefind 1.5.2 does not on its own: it numbers pages in the order the file system
lists the folder (so another disk or machine numbers them otherwise), and writes filter values
and the list of filters in the order of a Rust ``HashMap``, which changes from run to run.
``merge`` writes the index anew: pages numbered newest first (by their ``date`` sort key, unique:
date, village, id), words and filters sorted, chunks cut by Pagefind's own rule, files named by
a hash of their bytes (Pagefind looks its files up by the names it reads, never checks hashes).
So the index is the same whatever the batches, the disk or the run. Newest first is also the
order a search without words (filters only) returns, so the ``date`` sort list, 21 KB gzipped at
10,000 matters in the file every first search loads, is left out.

Free of MkDocs, like the rest of the model: ``search_page`` returns a ``site.Page``.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .fork import ForkError, start

BUNDLE = "pagefind"  # the folder under site/ that holds the index and pagefind.js
# Only matter pages are indexed; they sit at <village>/<id>/index.html. Reading only those skips
# notices (<village>/<id>/notice.html) and halves the HTML Pagefind parses on a large site.
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
    indexer = Indexer()
    try:
        for page in sorted(site_dir.glob(glob)):
            indexer.add(page.relative_to(site_dir).as_posix(), page.read_text(encoding="utf-8"))
        indexer.start()
        return indexer.finish(site_dir)
    finally:
        indexer.close()


# Pages a Pagefind run indexes at most. Two runs at once of 2,500 pages each peak at about 380 MB
# each, against 550-680 MB for 5,000; at 10,000 matters the build also ended 2-3 s sooner, the
# first run starting earlier. One run at a time (very large sites), 5,000: fewer runs to merge.
BATCH = 2_500
BATCH_ALONE = 5_000
PARALLEL = max(1, min(2, os.cpu_count() or 1))  # Pagefind runs at once
SPLIT = 2_000  # below this many pages one run is quicker than two and a merge
ONE_AT_A_TIME = 50_000  # above this many pages, one Pagefind run at a time: 0.8 GB less at the peak
_LANG = re.compile(r'<html[^>]*\blang="([^"]*)"')
_SORT = re.compile(r'data-pagefind-sort="date:([^"]*)"')


class Indexer:
    """Pagefind over the matter pages, in batches, possibly while MkDocs writes the rest.

    The plugin hands over each matter page as it is rendered (``add``), starts Pagefind
    (``start``) and collects the index once MkDocs has written everything else (``finish``);
    ``index_site`` does the same with the pages read back from a written site. Only the part of a
    page Pagefind reads (``data-pagefind-body``) is written for it, into a folder of its own: the
    index is the same, byte for byte, either way (``tests/search``).
    """

    def __init__(self, batch: int = BATCH, parallel: int = PARALLEL, split: int = SPLIT) -> None:
        self.batch, self.parallel, self.split = batch, parallel, split
        self.tmp = Path(tempfile.mkdtemp(prefix="cunwu-pagefind-", dir=scratch_dir()))
        self.pages: list[tuple[str, str, str]] = []  # (date sort key, path in the site, searchable part)
        self.lang: str | None = None
        self.pool = None
        self.jobs: list = []
        self.size = 0  # pages a batch holds, once ``expect`` knows how many will come

    def _plan(self, total: int) -> int:
        """Pages in each batch for ``total`` pages."""
        count = -(-total // self.batch)
        if total >= self.split:
            count = max(count, self.parallel)
        return -(-total // max(count, 1))

    def expect(self, total: int) -> None:
        """``total`` pages will be added, newest first (by ``sort_key``): each batch is then
        started as soon as it is full, the first while the later pages are still rendered."""
        if total > ONE_AT_A_TIME:
            self.parallel, self.batch = 1, max(self.batch, BATCH_ALONE)
        self.size = self._plan(total)

    def add(self, dest: str, html: str) -> None:
        """A rendered page, by its path in the site (``dongliu/2025-001/index.html``)."""
        start = html.find("<div data-pagefind-body")
        if start < 0:
            return
        end = html.find("</article>", start)
        body = html[start:end if end > 0 else len(html)]
        if self.lang is None:
            lang = _LANG.search(html)
            self.lang = lang[1] if lang else ""
        key = _SORT.search(body)
        page = (key[1] if key else "", dest, body)  # a quarter of the page, kept until its batch starts
        if self.size and self.pages and page[:2] > self.pages[-1][:2]:
            raise SearchError(f"页面没有按日期从新到旧交给搜索索引：{dest}")
        self.pages.append(page)
        if self.size and len(self.pages) == self.size:
            self._launch(self.pages)
            self.pages = []

    def start(self) -> None:
        """Start Pagefind on the pages added and not yet in a batch, newest first, in batches."""
        if not self.pages:
            return
        if not self.size:  # not told how many: all are here, in any order
            self.pages.sort(key=lambda p: (p[0], p[1]), reverse=True)
            self.size = self._plan(len(self.pages))
        for b in range(0, len(self.pages), self.size):
            self._launch(self.pages[b:b + self.size])
        self.pages = []

    def _launch(self, pages: list[tuple[str, str, str]]) -> None:
        """Write a batch's pages (only what Pagefind reads) and start Pagefind on them."""
        if self.pool is None:
            self.pool = concurrent.futures.ThreadPoolExecutor(self.parallel)
        folder = self.tmp / f"batch{len(self.jobs)}"
        made: set[Path] = set()
        for _, dest, body in pages:
            target = folder / "pages" / dest
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with open(target, "w", encoding="utf-8") as out:
                out.write(f'<!doctype html><html lang="{self.lang}"><body>{body}</body></html>')
        self.jobs.append((folder, self.pool.submit(_run_pagefind, folder)))

    def finish(self, site_dir: Path | str) -> Path:
        """Wait for Pagefind, merge its indexes into ``site_dir/pagefind/``; return that folder."""
        site_dir = Path(site_dir)
        try:
            if not self.jobs:
                raise SearchError("没有可以搜索的事项页面（data-pagefind-body）。")
            bundles = [job.result() for _, job in self.jobs]
            out = site_dir / BUNDLE
            if out.exists():
                shutil.rmtree(out)
            merge(bundles, out)
            preload(site_dir, out)
            return out
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def sort_key(context: dict) -> str:
    """A matter's place in the index, newest first: the page's ``data-pagefind-sort`` value."""
    return f"{context['iso']} {context['village']}/{context['id']}"


def scratch_dir(need: int = 2 << 30) -> str | None:
    """Where Pagefind's pages and batches go: memory (/dev/shm) when it has room, else the default.

    They are written once, read once and deleted. On the disk of a small cloud machine, writing
    10,000 pages in folders of their own cost 6 s of system time; in memory, 0.5 s."""
    shm = "/dev/shm"
    try:
        stat = os.statvfs(shm)
    except OSError:
        return None
    return shm if os.access(shm, os.W_OK) and stat.f_bavail * stat.f_frsize >= need else None


def _run_pagefind(folder: Path) -> Path:
    bundle = folder / BUNDLE
    cmd = [str(executable()), "--site", str(folder / "pages"), "--output-path", str(bundle), "--silent"]
    for selector in EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise SearchError("搜索索引没有生成（Pagefind 出错）：\n" + (proc.stderr or proc.stdout).strip())
    shutil.rmtree(folder / "pages", ignore_errors=True)  # read: memory (/dev/shm) back at once
    return bundle


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


# A CBOR integer, for skipping arrays of them without decoding (C speed through ``re``).
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38][\x00-\xff]|[\x19\x39][\x00-\xff]{2}|[\x1a\x3a][\x00-\xff]{4}|[\x1b\x3b][\x00-\xff]{8})"


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


FORK_CHUNKS = 8  # from twice this many index chunks, a second process writes half of them
FORK_PAGES = 50_000  # ... on sites up to this many matters
CHUNK = 20_000  # Pagefind's chunk size: positions (and one per page) of the words in a chunk


def merge(bundles: list[Path], out: Path) -> None:
    """One index from Pagefind's indexes of batches given newest first, written to ``out``.

    Each batch's pages are renumbered by its ``date`` sort list (newest first) after those of the
    batches before it. Words are gathered from every chunk of every batch with their pages' bytes
    of positions copied as they are (millions of numbers at 10,000 matters: never decoded), then
    sorted and cut into chunks as Pagefind does; filters are gathered and sorted likewise.
    """
    entries = [json.loads((b / "pagefind-entry.json").read_text(encoding="utf-8")) for b in bundles]
    langs = {lang for e in entries for lang in e["languages"]}
    if len(langs) != 1:
        raise SearchError(f"搜索索引只支持一种语言，页面里有：{', '.join(sorted(langs)) or '无'}")
    lang = langs.pop()
    out.mkdir(parents=True)
    for item in bundles[0].iterdir():  # pagefind.js, its WebAssembly and worker
        if item.is_file() and item.name not in UNUSED and item.suffix != ".pf_meta" and item.name != "pagefind-entry.json":
            shutil.copy2(item, out / item.name)
    (out / "fragment").mkdir()
    (out / "index").mkdir()
    (out / "filter").mkdir()
    prefix = entries[0]["languages"][lang]["hash"].split("_")[0] + "_"

    # [version, pages: [[fragment, word count]], index chunks: [[from, to, name]],
    #  filters: [[name, chunk]], sorts: [[name, [page, ...] ascending]], meta keys (sorted)]
    metas = [_read(b / f"pagefind.{e['languages'][lang]['hash']}.pf_meta") for b, e in zip(bundles, entries, strict=True)]
    keys = sorted({key for meta in metas for key in meta[5]})
    pages: list[list] = []  # [fragment name, word count], newest first
    words: dict[str, list] = {}  # word -> [(page, number of positions, bytes of the page's entry)]
    filters: dict[str, dict[str, list[int]]] = {}
    version = None
    fragments = _Fragments(out / "fragment")
    for bundle, meta in zip(bundles, metas, strict=True):
        version, batch_pages, chunks, batch_filters, sorts, batch_keys = meta
        # A word's places in the meta fields name the field by its index in the meta keys, which
        # are those of the batch (a batch without a picture has no "image"): renumbered to all.
        keymap = None if batch_keys == keys else [keys.index(k) for k in batch_keys]
        if any(name != "date" for name, _ in sorts):
            raise SearchError("搜索索引只支持按日期排序（data-pagefind-sort=\"date:…\"）")
        number = _numbering(batch_pages, sorts, offset=len(pages))
        order = sorted(range(len(batch_pages)), key=number.__getitem__)
        names = fragments.add(bundle / "fragment", [batch_pages[old][0] for old in order])
        pages += [[name, batch_pages[old][1]] for name, old in zip(names, order, strict=True)]
        for _, _, chunk in chunks:
            _gather_words(gzip.decompress((bundle / "index" / f"{chunk}.pf_index").read_bytes()), number, words, keymap)
        for fname, chunk in batch_filters:
            _, values = _read(bundle / "filter" / f"{chunk}.pf_filter")
            target = filters.setdefault(fname, {})
            for value, numbers in values:
                target.setdefault(value, []).extend(number[p] for p in numbers)

    fragments.close()
    chunks = _chunks(sorted(words), words)
    # Encoding and compressing the chunks is a second core's work too: the later half is written
    # by a forked process, which inherits the words instead of being sent them.
    half = len(chunks) // 2
    # Not for the largest sites: the second process copies the words it reads (a gigabyte at
    # 100,000 matters), and there a second or two of the merge matters less than memory.
    fork = FORK_CHUNKS <= half and len(pages) <= FORK_PAGES
    later = start(lambda: _write_chunks(chunks[half:], words, out / "index", prefix)) if fork else None
    names = _write_chunks(chunks[:half] if later else chunks, words, out / "index", prefix)
    try:
        names += later.result() if later else []
    except ForkError as exc:
        raise SearchError(f"搜索索引没有写完：{exc}") from exc
    index_chunks = [[chunk[0], chunk[-1], name] for chunk, name in zip(chunks, names, strict=True)]
    for this, after in zip(index_chunks, index_chunks[1:], strict=False):
        this[1], after[0] = _prefixes(this[1], after[0])
    meta = [version, pages, index_chunks,
            [[name, _write(out / "filter", prefix, ".pf_filter", 7,
                           [name, [[v, sorted(ps)] for v, ps in sorted(filters[name].items())]])]
             for name in sorted(filters)],
            [], keys]
    entry = dict(entries[0])
    entry["languages"] = {lang: {**entries[0]["languages"][lang], "page_count": len(pages),
                                 "hash": _write(out, "pagefind." + prefix, ".pf_meta", 10, meta).removeprefix("pagefind.")}}
    (out / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                             encoding="utf-8")


def _write_chunks(chunks: list[list[str]], words: dict[str, list], folder: Path, prefix: str) -> list[str]:
    """Write index chunks in Pagefind's format; return their names."""
    names = []
    for chunk in chunks:
        data = [SIGNATURE, b"\x81", _cbor_head(4, len(chunk))]
        for word in chunk:
            found = sorted(words[word], key=lambda e: e[0])
            text = word.encode("utf-8")
            data += [b"\x83", _cbor_head(3, len(text)), text, _cbor_head(4, len(found))]
            last = 0
            for page, _, raw in found:
                delta = page - last
                data += [_PAGE_HEADS[delta] if delta < 24 else b"\x83" + _cbor_head(0, delta), raw]
                last = page
            data.append(b"\x80")
        # gzip level 6, not 9: at 10,000 matters 4 s less, for chunks 5 % larger.
        names.append(_save(folder, prefix, ".pf_index", 7, b"".join(data), 6))
    return names


def _numbering(pages: list, sorts: list, offset: int) -> list[int]:
    """New number of each page of a batch: newest first by the ``date`` sort list, after ``offset``."""
    rank = {}
    for name, order in sorts:
        if name == "date":
            rank = {page: len(order) - i for i, page in enumerate(order)}  # newest gets 1
    order = sorted(range(len(pages)), key=lambda p: (rank.get(p, len(pages) + 1), pages[p][0]))
    number = [0] * len(pages)
    for new, old in enumerate(order):
        number[old] = offset + new
    return number


class _Fragments:
    """Pages' fragments, moved into the index from a thread while ``merge`` gathers words: from
    memory to disk that is 10,000 files of system time, spent without holding the GIL."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.used: set[str] = set()
        self.pool = concurrent.futures.ThreadPoolExecutor(1)
        self.jobs: list = []

    def add(self, source: Path, names: list[str]) -> list[str]:
        """Move a batch's fragments; a name another batch used for other text is lengthened."""
        out, moves = [], []
        for name in names:
            src, new = source / f"{name}.pf_fragment", name
            while new in self.used:
                self.finish()  # rare: only now read what earlier batches wrote
                data = src.read_bytes()
                if (self.target / f"{new}.pf_fragment").read_bytes() == data:
                    break
                new = name.split("_")[0] + "_" + hashlib.sha256(data).hexdigest()[:len(new.split("_")[1]) + 1]
            else:
                self.used.add(new)
                moves.append((src, self.target / f"{new}.pf_fragment"))
            out.append(new)
        self.jobs.append(self.pool.submit(_move_all, moves))
        return out

    def finish(self) -> None:
        while self.jobs:
            self.jobs.pop(0).result()

    def close(self) -> None:
        self.finish()
        self.pool.shutdown()


def _move_all(moves: list[tuple[Path, Path]]) -> None:
    for src, dest in moves:
        try:
            os.rename(src, dest)
        except OSError:  # batches in memory (/dev/shm), the site on disk: bytes copied, not metadata
            dest.write_bytes(src.read_bytes())


# One page of a word: [page delta, [positions], [meta positions]]. CBOR integers are prefix-free
# and no integer starts with an array head (0x80-0x9f), so ``*`` stops exactly at the next array.
_UINT = rb"(?:[\x00-\x17]|\x18[\x00-\xff]|\x19[\x00-\xff]{2}|\x1a[\x00-\xff]{4}|\x1b[\x00-\xff]{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98[\x00-\xff]|\x99[\x00-\xff]{2}|\x9a[\x00-\xff]{4})"
_ENTRY = re.compile(rb"\x83(" + _UINT + rb")((" + _ARRAY + rb")" + _INT + rb"*" + _ARRAY + _INT + rb"*)")
_PAGE_HEADS = [b"\x83" + bytes([n]) for n in range(24)]  # a page of a word, and a small page delta


def _gather_words(data: bytes, number: list[int], words: dict[str, list], keymap: list[int] | None) -> None:
    """Add an index chunk's words to ``words``, pages renumbered, positions kept as bytes.

    Chunk: [[[word, [[page delta, [positions], [meta positions]], ...], []], ...]]. In the meta
    positions a negative number -(k + 1) starts the places in meta field k: ``keymap`` renumbers k.
    At 10,000 matters a chunk set holds 1.5 million such pages of words: each is matched by one
    regular expression (C speed), its positions never decoded.
    """
    def expect(major: int, i: int, arg: int | None = None) -> tuple[int, int]:
        got, n, j = _head(data, i)
        if got != major or (arg is not None and n != arg):
            raise SearchError("Pagefind 索引格式不认识")
        return n, j

    entry = _ENTRY.match
    _, i = expect(4, len(SIGNATURE), 1)
    count, i = expect(4, i)
    for _ in range(count):
        _, i = expect(4, i, 3)
        length, j = expect(3, i)
        word, i = data[j:j + length].decode("utf-8"), j + length
        pages, i = expect(4, i)
        found = words.setdefault(word, [])
        page = 0
        for _ in range(pages):
            m = entry(data, i)
            if m is None:
                raise SearchError("Pagefind 索引格式不认识")
            delta, raw, head = m.group(1, 2, 3)  # heads: one byte, unless the number is 24 or more
            page += delta[0] if len(delta) == 1 else int.from_bytes(delta[1:], "big")
            if keymap is not None:
                raw = _remap_meta(raw, keymap)
            found.append((number[page], head[0] & 31 if len(head) == 1 else int.from_bytes(head[1:], "big"), raw))
            i = m.end()
        if data[i] != 0x80:  # the third field of a word has always been empty
            raise SearchError("Pagefind 索引格式不认识")
        i += 1
    if i != len(data):
        raise SearchError("Pagefind 索引格式不认识")


def _remap_meta(raw: bytes, keymap: list[int]) -> bytes:
    """Positions and meta positions of one page of a word, meta fields renumbered by ``keymap``."""
    positions, i = _cbor_decode(raw, 0)
    places, end = _cbor_decode(raw, i)
    if end != len(raw):
        raise SearchError("Pagefind 索引格式不认识")
    return raw[:i] + _cbor_encode([-(keymap[-v - 1] + 1) if v < 0 else v for v in places])


def _chunks(ordered: list[str], words: dict[str, list]) -> list[list[str]]:
    """Words in chunks as Pagefind cuts them: a chunk ends once it holds ``CHUNK`` positions."""
    chunks, chunk, size = [], [], 0
    for word in ordered:
        chunk.append(word)
        size += sum(positions + 1 for _, positions, _ in words[word])
        if size >= CHUNK:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Pagefind's chunk bounds: the shortest prefixes that still tell the two words apart."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


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
