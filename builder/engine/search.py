"""Full-text search of matters with Pagefind: finding its binary, running it on batches of pages.

Only matters are indexed, and of each only what ``overrides/cunwu/search-entry.html`` renders,
which the matter page does not carry: the filters (village, category, status, year) and the meta
shown in a result (title, village, status, category, date) as attributes, and the index text
(``builder/views/searchtext.py``), the words searched. The readable page is not indexed: no query
asks for its words, and indexing them took Pagefind as long as the index text; the search script
decodes its excerpts from the index text. The index is written by the ``pagefind_extended``
binary of PyPI's ``pagefind[extended]``, through its command line.

Pagefind runs on batches of pages, at most ``BATCH`` each and ``PARALLEL`` at a time, and
``pagefind_index.merge`` joins their indexes into one canonical index (the same bytes whatever
the batches, the disk or the run). Pagefind's memory grows with the words of its pages, and it
uses one core for most of its run: batches bound the memory and use both cores of a small machine.
What the build's threads do here is wait for processes (Pagefind, ``rm``, the merge): a thread
that made system calls of its own would wait for the GIL after each while the main thread renders.

A large site's index is cut into parts of at most ``PART`` matters, newest first: the first part
in ``pagefind/``, the others in ``pagefind/<PART_PREFIX><k>/``. Before its first search Pagefind
loads a list of every page of an index, and the index chunk of each word typed, both growing
with the pages: one index of 100,000 matters made a first search fetch close to a megabyte.
The search script searches the newest part first and the older ones as the results need them
(``overrides/assets/javascripts/cunwu-search.js``), from the list ``preload`` writes into the
search page.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

from ..model import sitenames
from ..model.chinese import cn_date
from .pagefind_index import SearchError, merge

BUNDLE = sitenames.PAGEFIND  # the folder under site/ that holds the index and pagefind.js


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


# Pages a Pagefind run indexes at most. A run's memory grows with its pages' words: when Pagefind
# still read the readable page besides the index text, two runs at once of 2,500 pages took a
# 10,000-matter build past its memory target, and 1,250 kept it within. Batches of 2,500 of the
# index text alone were no quicker (README, performance). Smaller batches also start the first
# run earlier. One run at a time (very large sites), 5,000: fewer runs to merge.
BATCH = 1_250
BATCH_ALONE = 5_000
PARALLEL = max(1, min(2, os.cpu_count() or 1))  # Pagefind runs at once
SPLIT = 2_000  # below this many pages one run is quicker than two and a merge
EARLY_MERGE = 50_000  # pages at most, for the merge to run beside the build (Indexer.merge_early)
ONE_AT_A_TIME = 50_000  # above this many pages, one Pagefind run at a time: 0.8 GB less at the peak
# Matters in one part of the index at most: a first search on a part of 10,000 fetches some
# 200 KB, within a phone's budget (README, performance).
PART = 10_000
PART_PREFIX = "part"
_SORT = re.compile(r'data-pagefind-sort="date:([^"]*)"')


class Part:
    """What the search script knows of a part of the index before loading it: the date of its
    oldest matter, and the years of their numbers (the search page's year filter)."""

    def __init__(self) -> None:
        self.oldest = ""  # a sort key: "<date> <village>/<id>"
        self.years: set[str] = set()

    def add(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.oldest = key
            self.years.add(key.rpartition("/")[2][:4])

    def script_data(self, path: str, tag: str) -> dict:
        """Folder and cache tag; "since": the oldest date, as the site writes dates."""
        years = sorted(self.years)
        oldest = self.oldest.split(" ")[0]
        try:
            since = cn_date(dt.date.fromisoformat(oldest))
        except ValueError:
            since = oldest
        return {"path": path, "tag": tag, "since": since, "years": [years[0], years[-1]] if years else []}


class Indexer:
    """Pagefind over the matters, in batches, while MkDocs renders and writes the pages.

    The plugin hands over what Pagefind reads of each matter (``add``) as it makes each matter's
    data, starts Pagefind on the rest (``start``), lets the merge start as soon as the batches are
    done (``merge_early``) and collects the index once MkDocs has written everything else
    (``finish``). The index is the same, byte for byte, whatever the batches and whether they
    start as they fill or all at the end (``tests/search``). A batch never holds matters of two
    parts of the index (``PART``). ``lang``: the pages' language, which Pagefind reads from
    ``<html lang>``.
    """

    def __init__(self, batch: int = BATCH, parallel: int = PARALLEL, split: int = SPLIT, part: int = PART,
                 lang: str = "") -> None:
        self.batch, self.parallel, self.split, self.part, self.lang = batch, parallel, split, max(1, part), lang
        self.tmp = Path(tempfile.mkdtemp(prefix="cunwu-pagefind-", dir=scratch_dir()))
        self.pages: list[tuple[str, str, str]] = []  # (date sort key, path in the site, searchable part)
        self.pool = None
        self.jobs: list = []  # (part of the index, folder, Pagefind's run)
        self.parts: list[Part] = []
        self.launched = 0  # pages handed to Pagefind so far
        self.merge_pool = None
        self.merging: concurrent.futures.Future | None = None  # merge_early's
        self.merger: subprocess.Popen | None = None  # the merge's process, while it runs
        self.size = 0  # pages a batch holds, once ``expect`` knows how many will come

    def _plan(self, total: int) -> int:
        """Pages in each batch for ``total`` pages."""
        total = min(total, self.part)
        count = -(-total // self.batch)
        if total >= self.split:
            count = max(count, self.parallel)
        return -(-total // max(count, 1))

    def expect(self, total: int) -> None:
        """``total`` matters will be added, newest first (by ``sort_key``): each batch is then
        started as soon as it is full."""
        if total > ONE_AT_A_TIME:
            self.parallel, self.batch = 1, max(self.batch, BATCH_ALONE)
        self.size = self._plan(total)

    def add(self, dest: str, body: str) -> None:
        """What Pagefind reads of a matter (``search-entry.html``), by its page's path in the site
        (``dongliu/2025-001/index.html``)."""
        key = _SORT.search(body)
        page = (key[1] if key else "", dest, body)  # kept until its batch starts
        if self.size and self.pages and page[:2] > self.pages[-1][:2]:
            raise SearchError(f"页面没有按日期从新到旧交给搜索索引：{dest}")
        self.pages.append(page)
        if self.size and (len(self.pages) == self.size or (self.launched + len(self.pages)) % self.part == 0):
            self._launch(self.pages)
            self.pages = []

    def start(self) -> None:
        """Start Pagefind on the pages added and not yet in a batch, newest first, in batches."""
        if not self.pages:
            return
        if not self.size:  # not told how many: all are here, in any order
            self.pages.sort(key=lambda p: (p[0], p[1]), reverse=True)
            self.size = self._plan(len(self.pages))
        pages, self.pages = self.pages, []
        while pages:
            room = self.part - self.launched % self.part  # pages the current part still takes
            batch = pages[:min(self.size, room)]
            self._launch(batch)
            pages = pages[len(batch):]

    def _launch(self, pages: list[tuple[str, str, str]]) -> None:
        """Write a batch's pages (only what Pagefind reads) and start Pagefind on them."""
        if self.pool is None:
            self.pool = concurrent.futures.ThreadPoolExecutor(self.parallel)
        part = self.launched // self.part
        if part == len(self.parts):
            self.parts.append(Part())
        self.parts[part].add(key for key, _, _ in pages)
        self.launched += len(pages)
        folder = self.tmp / f"batch{len(self.jobs)}"
        made: set[Path] = set()
        for _, dest, body in pages:
            target = folder / "pages" / dest
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with open(target, "w", encoding="utf-8") as out:
                out.write(pagefind_page(self.lang, body))
        self.jobs.append((part, folder, self.pool.submit(_run_pagefind, folder)))

    def merge_early(self, site_dir: Path | str) -> None:
        """Merge each part's batches into ``site_dir`` as soon as they are done, in a process
        of its own beside the build (``finish`` then only waits for it), on a site of at most
        ``EARLY_MERGE`` pages; call after ``start``. On a larger one ``finish`` merges, once the
        build has let go of the records, in this process: the index and the records together
        are too much, and a process of its own would not reuse the records' memory."""
        if self.jobs and self.launched <= EARLY_MERGE:
            self.merge_pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="cunwu-merge")
            self.merging = self.merge_pool.submit(self._merge_all, Path(site_dir) / BUNDLE, self._merge)

    def _merge_all(self, out: Path, how: Callable[..., None] = merge) -> Path:
        if out.exists():
            shutil.rmtree(out)
        for part in range(len(self.parts)):
            bundles = [job.result() for p, _, job in self.jobs if p == part]
            how(bundles, out / part_path(part), scripts=part == 0)
            for p, folder, _ in self.jobs:  # merged: memory (/dev/shm) back before the next part
                if p == part:
                    discard(folder)
        return out

    def _merge(self, bundles: list[Path], out: Path, scripts: bool) -> None:
        """``pagefind_index.merge`` in a process of its own: in a thread of this one, it would
        take turns with the main thread for the GIL."""
        cmd = [sys.executable, "-m", "builder.engine.pagefind_index", str(out), *map(str, bundles)]
        if not scripts:
            cmd.insert(4, "--no-scripts")
        here = str(Path(__file__).resolve().parents[2])  # where the builder package is found
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
        self.merger = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _, err = self.merger.communicate()
        if self.merger.returncode != 0:
            raise SearchError(err.strip() or f"搜索索引没有合并（退出码 {self.merger.returncode}）")

    def finish(self, site_dir: Path | str) -> Path:
        """Wait for Pagefind and the merge of each part's batches into its folder of
        ``site_dir/pagefind/`` (``part_path``), merging them now unless ``merge_early`` does;
        return that folder."""
        site_dir = Path(site_dir)
        try:
            if not self.jobs:
                raise SearchError("没有可以搜索的事项页面（data-pagefind-body）。")
            out = self.merging.result() if self.merging is not None else self._merge_all(site_dir / BUNDLE)
            preload(site_dir, out, self.parts)
            return out
        finally:
            self.close()

    def close(self) -> None:
        if self.merger is not None and self.merger.poll() is None:  # a build that failed elsewhere
            self.merger.kill()
        if self.merge_pool is not None:
            self.merge_pool.shutdown(wait=True, cancel_futures=True)
            self.merge_pool = self.merging = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def pagefind_page(lang: str, body: str) -> str:
    """The page Pagefind reads for a matter: what it is handed (``Indexer.add``), in the
    language of the pages."""
    return f'<!doctype html><html lang="{lang}"><body>{body}</body></html>'


def part_path(part: int) -> str:
    """The folder of a part of the index inside ``pagefind/``: "" for the first (newest)."""
    return f"{PART_PREFIX}{part}/" if part else ""


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
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise SearchError("搜索索引没有生成（Pagefind 出错）：\n" + (proc.stderr or proc.stdout).strip())
    discard(folder / "pages")  # read: memory (/dev/shm) back at once
    return bundle


RM = shutil.which("rm") if os.name == "posix" else None


def discard(folder: Path) -> None:
    """Delete ``folder`` from a thread while the main thread renders pages: by ``rm`` where
    there is one. Every file Python deletes is a system call after which the thread waits for
    the GIL, up to the switch interval each time the main thread is busy: deleting a batch's
    pages so held its thread, and the next Pagefind run it starts, for seconds."""
    if RM is not None and subprocess.run([RM, "-rf", "--", str(folder)], check=False).returncode == 0:
        return
    shutil.rmtree(folder, ignore_errors=True)


PRELOAD_MARK = "<!-- cunwu:pagefind-preload -->"


def preload(site_dir: Path, bundle: Path, parts: list[Part]) -> None:
    """Let the search page fetch Pagefind's files while it loads, not one after another, and
    tell it the parts of the index.

    Pagefind fetches pagefind.js, then pagefind-entry.json, then the metadata and WebAssembly,
    each waiting on the one before: four round trips before a first search can start, which on
    a slow phone (150 ms each) is most of the wait. The search page gets preload links for all
    of them, and a cache tag (the metadata's hash) that makes the entry's URL known in advance;
    and, for the search script, each part's folder, cache tag, dates and years (``Part``).
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    lang = next(iter(entry["languages"].values()))
    tag = lang["hash"]
    data = []
    for k, part in enumerate(parts):
        head = json.loads((bundle / part_path(k) / "pagefind-entry.json").read_text(encoding="utf-8"))
        data.append(part.script_data(part_path(k), next(iter(head["languages"].values()))["hash"]))
    for page in (site_dir / "search" / "index.html", site_dir / "search.html"):
        if not page.is_file():
            continue
        html = page.read_text(encoding="utf-8")
        if PRELOAD_MARK not in html:
            continue
        rel = Path(os.path.relpath(bundle, page.parent)).as_posix()
        links = [f'<meta name="cunwu-pagefind" content="{tag}">',
                 f'<meta name="cunwu-pagefind-parts" content="{escape(json.dumps(data, ensure_ascii=False))}">',
                 f'<link rel="modulepreload" href="{rel}/pagefind.js">']
        for name in (f"pagefind-entry.json?ts={tag}", f"pagefind.{lang['hash']}.pf_meta",
                     f"wasm.{lang.get('wasm') or 'unknown'}.pagefind"):
            links.append(f'<link rel="preload" href="{rel}/{name}" as="fetch" crossorigin>')
        page.write_text(html.replace(PRELOAD_MARK, "\n  ".join(links), 1), encoding="utf-8")
