"""The one place that reads and writes Pagefind's own index format: checking it, and merging
the indexes of batches into one canonical index.

Pagefind's supported interfaces (its command line, run by ``search.py``) write an index that is
not the same from run to run: Pagefind 1.5.2 numbers pages in the order the file system lists
the folder (so another disk or machine numbers them otherwise), and writes filter values and
the list of filters in the order of a Rust ``HashMap``. The site must be the same bytes for the
same content and date (``tests/site``), and large sites are indexed in batches (``search.py``),
whose indexes must become one. ``merge`` writes the index anew: pages numbered newest first (by
their ``date`` sort key, unique: date, village, id), words and filters sorted, chunks cut by
Pagefind's own rule, files named by a hash of their bytes (Pagefind looks its files up by the
names it reads, never checks hashes). Newest first is also the order a search without words
(filters only) returns and the order a phrase found everywhere alike is listed in, so the
``date`` sort list is left out of the file every first search loads.

The format is Pagefind's private one, known for ``KNOWN_VERSION``: each file is gzip of
``pagefind_dcd`` and CBOR (read and written with ``cbor2``). ``check`` refuses, with the cause
named, a bundle of another version or shape, rather than merging it into a broken index.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import cbor2

from .fork import ForkError, start

KNOWN_VERSION = "1.5.2"  # the Pagefind whose index format merge writes (pinned in requirements.txt)
SIGNATURE = b"pagefind_dcd"
# Pagefind writes its ready-made UIs too. The search page runs a small script of ours over
# pagefind.js (lighter on a slow phone), so these are never requested: keep the site small.
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
# From twice this many index chunks of batches, a second process merges half the words.
# ``CUNWU_MERGE_FORK_CHUNKS`` moves it, so that tests can merge a small index both ways.
FORK_CHUNKS = int(os.environ.get("CUNWU_MERGE_FORK_CHUNKS") or 8)
FORK_PAGES = 50_000  # ... on sites up to this many matters
CHUNK = 20_000  # Pagefind's chunk size: positions (and one per page) of the words in a chunk
# A page's word count, in the list of pages every first search loads, weighs words found in a
# longer page less; the search script only asks for phrases, which score alike on every page.
# One count for all: that list is a quarter smaller gzipped.
WORD_COUNT = 1


class SearchError(RuntimeError):
    pass


def _unknown(where: str, cause: str, version: str = "") -> SearchError:
    made = f"Pagefind {version} " if version else "Pagefind "
    return SearchError(
        f"{made}写出的搜索索引格式，本网站的合并程序不认识（{where}：{cause}）。"
        f"合并程序按 Pagefind {KNOWN_VERSION} 的格式编写：请在 requirements.txt 和 pyproject.toml 中"
        f"把 pagefind 固定为 {KNOWN_VERSION}，或按新格式更新 builder/engine/pagefind_index.py。")


# --- reading and checking ------------------------------------------------------------------------

def _decode(data: bytes, where: str):
    """A Pagefind file's value: after the signature, exactly one CBOR item."""
    if not data.startswith(SIGNATURE):
        raise _unknown(where, f"文件不以 {SIGNATURE.decode()} 开头")
    stream = io.BytesIO(data)
    stream.seek(len(SIGNATURE))
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except (cbor2.CBORDecodeError, ValueError) as exc:
        raise _unknown(where, f"CBOR 无法解读：{exc}") from exc
    if stream.tell() != len(data):
        raise _unknown(where, "CBOR 之后还有多余的字节")
    return value


def _read(path: Path):
    return _decode(gzip.decompress(path.read_bytes()), path.name)


def _is(value, *shape) -> bool:
    """``value`` is a list of ``len(shape)`` items of these types (``None``: anything)."""
    return (isinstance(value, list) and len(value) == len(shape)
            and all(t is None or isinstance(v, t) for v, t in zip(value, shape, strict=True)))


def entry_of(bundle: Path) -> tuple[dict, str]:
    """A bundle's ``pagefind-entry.json`` and its one language, checked."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _unknown("pagefind-entry.json", f"无法读取：{exc}") from exc
    version = entry.get("version") if isinstance(entry, dict) else None
    if version != KNOWN_VERSION:
        raise _unknown("pagefind-entry.json", f"版本是 {version!r}，不是 {KNOWN_VERSION}", str(version or ""))
    langs = entry.get("languages")
    if not isinstance(langs, dict) or not langs:
        raise _unknown("pagefind-entry.json", "没有 languages", version)
    if len(langs) != 1:
        raise SearchError(f"搜索索引只支持一种语言，页面里有：{', '.join(sorted(langs))}")
    lang, info = next(iter(langs.items()))
    if not (isinstance(info, dict) and isinstance(info.get("hash"), str) and "_" in info["hash"]
            and isinstance(info.get("page_count"), int)):
        raise _unknown("pagefind-entry.json", f"languages.{lang} 不是 {{hash, wasm, page_count}}", version)
    return entry, lang


def meta_of(bundle: Path, entry: dict, lang: str) -> list:
    """A bundle's metadata: [version, pages, index chunks, filters, sorts, meta keys], checked."""
    name = f"pagefind.{entry['languages'][lang]['hash']}.pf_meta"
    meta = _read(bundle / name)
    if not _is(meta, str, list, list, list, list, list) or meta[0] != KNOWN_VERSION:
        raise _unknown(name, "不是 [版本, 页面, 索引块, 筛选, 排序, 字段] 六项", entry["version"])
    checks = (("页面", meta[1], (str, int)), ("索引块", meta[2], (str, str, str)), ("筛选", meta[3], (str, str)),
              ("排序", meta[4], (str, list)))
    for what, items, shape in checks:
        if not all(_is(item, *shape) for item in items):
            raise _unknown(name, f"{what}的格式变了", entry["version"])
    if not all(isinstance(k, str) for k in meta[5]):
        raise _unknown(name, "字段名不是文字", entry["version"])
    return meta


def check(bundle: Path) -> None:
    """Refuse, naming the cause, a bundle whose format ``merge`` does not know."""
    entry, lang = entry_of(bundle)
    meta = meta_of(bundle, entry, lang)
    for _, _, chunk in meta[2]:
        _words(bundle / "index" / f"{chunk}.pf_index")
    for _, chunk in meta[3]:
        _filter(bundle / "filter" / f"{chunk}.pf_filter")


def _words(path: Path, each: bool = True) -> list:
    """An index chunk: [[word, pages, [[form, pages], ...]], ...], pages being
    [[page delta, [positions], [meta positions]], ...]; ``each``: every word checked (``merge``
    checks them as it reads them)."""
    value = _read(path)
    if not _is(value, list):
        raise _unknown(path.name, "索引块不是 [[词, 页面, 变体], …]")

    def pages(items) -> bool:
        return isinstance(items, list) and all(_is(p, int, list, list) for p in items)

    for word in value[0] if each else ():
        if not (_is(word, str, list, list) and pages(word[1])
                and all(_is(v, str, list) and pages(v[1]) for v in word[2])):
            raise _unknown(path.name, "索引块里词的格式变了")
    return value[0]


def _filter(path: Path) -> list:
    """A filter: [name, [[value, [page, ...]], ...]]."""
    value = _read(path)
    if not (_is(value, str, list) and all(_is(v, str, list) for v in value[1])):
        raise _unknown(path.name, "筛选文件不是 [名称, [[值, [页面…]], …]]")
    return value


# --- writing -------------------------------------------------------------------------------------

def _save(folder: Path, prefix: str, suffix: str, digits: int, data: bytes, level: int = 9) -> str:
    """Write a Pagefind file named by a hash of its content; return the name (without suffix)."""
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=level, mtime=0))
    return name


def _write(folder: Path, prefix: str, suffix: str, digits: int, value) -> str:
    return _save(folder, prefix, suffix, digits, SIGNATURE + cbor2.dumps(value))


# One page of a word as merge holds it: (page, number of positions, the CBOR bytes of its
# positions and meta positions, as Pagefind wrote them).
Place = tuple[int, int, bytes]
# The words are merged in two halves, by their first character: before this one, and from it on
# (an index token starts with a letter from f to v, by its first character's code point: common
# characters come early, and about half of a matter's places fall on each side of j). Each
# half is gathered, cut into chunks and written on its own, by a second process on a large site;
# cut afresh at this character either way, the index is the same bytes.
SPLIT_AT = "j"


class _Source(NamedTuple):
    """An index chunk of a batch: its file, the batch's page numbering and meta fields
    (``_gather``), and the first and last words it holds, as Pagefind's metadata bounds them."""

    path: Path
    number: list[int]
    keymap: list[int] | None
    first: str
    last: str

    def holds(self, later: bool) -> bool:
        """Whether it may hold words of the later half (or of the first). Pagefind bounds a chunk
        by prefixes of its first and last words, at least one character long."""
        return _in_later(self.last) or not self.last if later else not _in_later(self.first)


def _in_later(word: str) -> bool:
    """Whether a word (or a prefix of one) is of the later half of the words."""
    return word[:1] >= SPLIT_AT


def _index_half(sources: list[_Source], folder: Path, prefix: str, later: bool) -> list[list[str]]:
    """Gather the words of one half (``SPLIT_AT``) from the chunks that hold them, cut them into
    chunks and write those; return [first word, last word, chunk name] of each."""
    words: dict[str, list[Place]] = {}
    variants: dict[str, dict[str, list[Place]]] = {}  # rare: words written with marks, see _gather
    for source in sources:
        if source.holds(later):
            data = gzip.decompress(source.path.read_bytes())
            _gather(data, source.path.name, source.number, words, source.keymap, variants)
    # A chunk holding words of both halves was read by both: each keeps its own.
    ordered = sorted(word for word in words if _in_later(word) == later)
    chunks = _chunks(ordered, words, variants)
    names = _write_chunks(chunks, words, folder, prefix, variants)
    return [[chunk[0], chunk[-1], name] for chunk, name in zip(chunks, names, strict=True)]


def merge(bundles: list[Path], out: Path, scripts: bool = True) -> None:
    """One index from Pagefind's indexes of batches given newest first, written to ``out``;
    ``scripts``: with pagefind.js and its WebAssembly (a further part of an index has none: the
    search script loads it into the Pagefind of the first part).

    Each batch's pages are renumbered by its ``date`` sort list (newest first) after those of the
    batches before it. Words are gathered from every chunk of every batch, then sorted and cut
    into chunks as Pagefind does, in two halves (``SPLIT_AT``); filters are gathered and sorted
    likewise.
    """
    heads = [entry_of(b) for b in bundles]
    langs = {lang for _, lang in heads}
    if len(langs) != 1:
        raise SearchError(f"搜索索引只支持一种语言，页面里有：{', '.join(sorted(langs))}")
    entry, lang = heads[0]
    metas = [meta_of(b, e, lang) for b, (e, _) in zip(bundles, heads, strict=True)]
    out.mkdir(parents=True)
    for item in bundles[0].iterdir() if scripts else ():  # pagefind.js, its WebAssembly and worker
        if item.is_file() and item.name not in UNUSED and item.suffix != ".pf_meta" and item.name != "pagefind-entry.json":
            shutil.copy2(item, out / item.name)
    for sub in ("fragment", "index", "filter"):
        (out / sub).mkdir()
    prefix = entry["languages"][lang]["hash"].split("_")[0] + "_"

    keys = sorted({key for meta in metas for key in meta[5]})
    sources: list[_Source] = []
    filters: dict[str, dict[str, list[int]]] = {}
    numbers = []  # each batch's new page numbers
    offset = 0  # pages of the batches before
    version = metas[0][0]
    for bundle, (_, batch_pages, chunks, batch_filters, sorts, batch_keys) in zip(bundles, metas, strict=True):
        # A word's places in the meta fields name the field by its index in the meta keys, which
        # are those of the batch (a batch without a picture has no "image"): renumbered to all.
        keymap = None if batch_keys == keys else [keys.index(k) for k in batch_keys]
        if any(name != "date" for name, _ in sorts):
            raise SearchError("搜索索引只支持按日期排序（data-pagefind-sort=\"date:…\"）")
        number = _numbering(batch_pages, sorts, offset=offset)
        numbers.append(number)
        offset += len(batch_pages)
        sources += [_Source(bundle / "index" / f"{chunk}.pf_index", number, keymap, first, last)
                    for first, last, chunk in chunks]
        for fname, chunk in batch_filters:
            _, values = _filter(bundle / "filter" / f"{chunk}.pf_filter")
            target = filters.setdefault(fname, {})
            for value, found in values:
                target.setdefault(value, []).extend(number[p] for p in found)

    # The later half of the words is a second core's work: a forked process, which inherits what
    # it needs instead of being sent it, gathers and writes it, each process reading only the
    # chunks that hold words of its half. Not for the largest sites: there a second or two of the
    # merge matters less than the memory of a second process.
    fork = 2 * FORK_CHUNKS <= len(sources) and offset <= FORK_PAGES
    later = start(lambda: _index_half(sources, out / "index", prefix, True)) if fork else None
    fragments = _Fragments(out / "fragment")  # a thread: started after the fork
    pages: list[list] = []  # [fragment name, WORD_COUNT], newest first
    try:
        for bundle, (_, batch_pages, *_), number in zip(bundles, metas, numbers, strict=True):
            order = sorted(range(len(batch_pages)), key=number.__getitem__)
            names = fragments.add(bundle / "fragment", [batch_pages[old][0] for old in order])
            pages += [[name, WORD_COUNT] for name in names]
        index_chunks = _index_half(sources, out / "index", prefix, False)
        index_chunks += later.result() if later else _index_half(sources, out / "index", prefix, True)
    except ForkError as exc:
        raise SearchError(f"搜索索引没有写完：{exc}") from exc
    finally:
        fragments.close()
        if later is not None:  # ended already, unless this process failed first: then it is stopped
            later.terminate()
    for this, after in zip(index_chunks, index_chunks[1:], strict=False):
        this[1], after[0] = _prefixes(this[1], after[0])
    meta = [version, pages, index_chunks,
            [[name, _write(out / "filter", prefix, ".pf_filter", 7,
                           [name, [[v, sorted(ps)] for v, ps in sorted(filters[name].items())]])]
             for name in sorted(filters)],
            [], keys]
    merged = dict(entry)
    merged["languages"] = {lang: {**entry["languages"][lang], "page_count": len(pages),
                                  "hash": _write(out, "pagefind." + prefix, ".pf_meta", 10, meta).removeprefix("pagefind.")}}
    (out / "pagefind-entry.json").write_text(json.dumps(merged, ensure_ascii=False, separators=(",", ":")),
                                             encoding="utf-8")


# The fast path: an index chunk is read with one regular expression per page of a word (C speed),
# its positions copied as bytes, never decoded. Decoding every chunk with cbor2 and writing the
# numbers back took four times as long and twice the memory (at 10,000 matters: 34 s and 930 MB
# against 8 s and 470 MB), so chunks stay bytes; everything else goes through cbor2.
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38][\x00-\xff]|[\x19\x39][\x00-\xff]{2}|[\x1a\x3a][\x00-\xff]{4}|[\x1b\x3b][\x00-\xff]{8})"
_UINT = rb"(?:[\x00-\x17]|\x18[\x00-\xff]|\x19[\x00-\xff]{2}|\x1a[\x00-\xff]{4}|\x1b[\x00-\xff]{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98[\x00-\xff]|\x99[\x00-\xff]{2}|\x9a[\x00-\xff]{4})"
# One page of a word: [page delta, [positions], [meta positions]]. CBOR integers are prefix-free
# and no integer starts with an array head (0x80-0x9f), so ``*`` stops exactly at the next array.
_ENTRY = re.compile(rb"\x83(" + _UINT + rb")((" + _ARRAY + rb")" + _INT + rb"*" + _ARRAY + _INT + rb"*)")
_PAGE_HEADS = [b"\x83" + bytes([n]) for n in range(24)]  # a page of a word, and a small page delta


def _head(data: bytes, i: int, major: int, where: str, arg: int | None = None) -> tuple[int, int]:
    """(argument, position after) of the CBOR head at ``i``, which must be of type ``major``."""
    head = data[i] if i < len(data) else 0xFF
    info = head & 31
    if head >> 5 != major or info > 27:
        raise _unknown(where, "索引块里词的格式变了")
    n, j = (info, i + 1) if info < 24 else (int.from_bytes(data[i + 1:i + 1 + (1 << (info - 24))], "big"),
                                            i + 1 + (1 << (info - 24)))
    if arg is not None and n != arg:
        raise _unknown(where, "索引块里词的格式变了")
    return n, j


def _array_head(n: int) -> bytes:
    return cbor2.dumps([None] * n)[:-n] if n else b"\x80"


def _gather(data: bytes, where: str, number: list[int], words: dict[str, list[Place]],
            keymap: list[int] | None, variants: dict[str, dict[str, list[Place]]]) -> None:
    """Add an index chunk's words to ``words``, pages renumbered (their deltas summed).

    A word is [word, pages, variants]: Pagefind indexes a word with marks (``café``) under its
    folded form (``cafe``), often with no pages of its own, and lists each form as written with
    its pages; those go to ``variants[word][form]``. In the meta positions a negative number
    -(k + 1) starts the places in meta field k: ``keymap`` renumbers k."""
    if not data.startswith(SIGNATURE):
        raise _unknown(where, f"文件不以 {SIGNATURE.decode()} 开头")
    _, i = _head(data, len(SIGNATURE), 4, where, 1)
    count, i = _head(data, i, 4, where)
    for _ in range(count):
        _, i = _head(data, i, 4, where, 3)
        word, i = _text(data, i, where)
        i = _places(data, i, where, number, keymap, words.setdefault(word, []))
        forms, i = _head(data, i, 4, where)
        for _ in range(forms):
            _, i = _head(data, i, 4, where, 2)
            form, i = _text(data, i, where)
            i = _places(data, i, where, number, keymap, variants.setdefault(word, {}).setdefault(form, []))
    if i != len(data):
        raise _unknown(where, "CBOR 之后还有多余的字节")


def _text(data: bytes, i: int, where: str) -> tuple[str, int]:
    length, j = _head(data, i, 3, where)
    try:
        return data[j:j + length].decode("utf-8"), j + length
    except UnicodeDecodeError as exc:
        raise _unknown(where, "索引块里词的格式变了") from exc


def _places(data: bytes, i: int, where: str, number: list[int], keymap: list[int] | None,
            found: list[Place]) -> int:
    """Read a word's (or a form's) list of pages at ``i`` into ``found``; return the position after."""
    pages, i = _head(data, i, 4, where)
    entry = _ENTRY.match
    page = 0
    for _ in range(pages):
        m = entry(data, i)
        if m is None:
            raise _unknown(where, "索引块里词的格式变了")
        delta, raw, head = m.group(1, 2, 3)  # heads: one byte, unless the number is 24 or more
        page += delta[0] if len(delta) == 1 else int.from_bytes(delta[1:], "big")
        if keymap is not None:
            raw = _remap_meta(raw, keymap, where)
        found.append((number[page], head[0] & 31 if len(head) == 1 else int.from_bytes(head[1:], "big"), raw))
        i = m.end()
    return i


def _remap_meta(raw: bytes, keymap: list[int], where: str) -> bytes:
    """Positions and meta positions of one page of a word, meta fields renumbered by ``keymap``."""
    stream = io.BytesIO(raw)
    decoder = cbor2.CBORDecoder(stream)
    decoder.decode()
    split = stream.tell()
    places = decoder.decode()
    if stream.tell() != len(raw):
        raise _unknown(where, "索引块里词的格式变了")
    return raw[:split] + cbor2.dumps([-(keymap[-v - 1] + 1) if v < 0 else v for v in places])


def _write_chunks(chunks: list[list[str]], words: dict[str, list[Place]], folder: Path, prefix: str,
                 variants: dict[str, dict[str, list[Place]]]) -> list[str]:
    """Write index chunks in Pagefind's format, positions spliced in as read; return their names."""
    names = []
    for chunk in chunks:
        data = [SIGNATURE, b"\x81", _array_head(len(chunk))]
        for word in chunk:
            data += [b"\x83", cbor2.dumps(word)]
            _put_places(data, words[word])
            forms = variants.get(word, {})
            data.append(_array_head(len(forms)))
            for form in sorted(forms):
                data += [b"\x82", cbor2.dumps(form)]
                _put_places(data, forms[form])
        # gzip level 6, not 9: at 10,000 matters 4 s less, for chunks 5 % larger.
        names.append(_save(folder, prefix, ".pf_index", 7, b"".join(data), 6))
    return names


def _put_places(data: list[bytes], places: list[Place]) -> None:
    found = sorted(places, key=lambda e: e[0])
    data.append(_array_head(len(found)))
    last = 0
    for page, _, raw in found:
        delta = page - last
        data += [_PAGE_HEADS[delta] if delta < 24 else b"\x83" + cbor2.dumps(delta), raw]
        last = page


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
    memory to disk that is thousands of files of system time, spent without holding the GIL."""

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


def _chunks(ordered: list[str], words: dict[str, list[Place]],
            variants: dict[str, dict[str, list[Place]]]) -> list[list[str]]:
    """Words in chunks as Pagefind cuts them: a chunk ends once it holds ``CHUNK`` positions."""
    chunks, chunk, size = [], [], 0
    for word in ordered:
        chunk.append(word)
        size += sum(positions + 1 for _, positions, _ in words[word])
        if word in variants:
            size += sum(positions + 1 for form in variants[word].values() for _, positions, _ in form)
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


def main(argv: list[str] | None = None) -> int:
    """``python -m builder.engine.pagefind_index OUT [--no-scripts] BUNDLE…``: ``merge`` in a
    process of its own (``search.Indexer``), so that it runs beside the build's main process
    instead of after it; a ``SearchError`` is its message on stderr and exit status 1."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    scripts = "--no-scripts" not in args
    out, *bundles = [a for a in args if a != "--no-scripts"]
    try:
        merge([Path(b) for b in bundles], Path(out), scripts=scripts)
    except SearchError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
