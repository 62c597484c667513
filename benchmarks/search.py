"""Search quality: recall and precision of what a villager types, in real Chromium.

    python -m benchmarks.search [--sizes 1000] [--queries 150] [--seed 7]

For the sample content and for generated records with varied prose (``generate(varied=True)``):
queries of two to six Chinese characters drawn at random from the matters' own words (title,
summary, step notes, resolution text, progress notes, result summary, attachment titles,
corrections, body), plus village names with and without 村. Each is typed into the built site's
search page and sent with 搜索; the results are what the page found (all of them, not only
the first ten shown). The truth of a query: every matter whose own words (those fields and its
village's name) hold it literally.

- recall: matters found among those holding the query, over all queries;
- precision of the first ten: of the first ten results, those holding the query;
- villages: names (with and without 村) that do not list every matter of their village;
- two words: 速生杨 流转 on the sample, the matters holding both first.

Section ``search`` of ``python -m benchmarks.run``; runs on its own too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

from .build import TODAY, cunwu_config, mkdocs_build
from .generate import generate
from .run import Row, section

ROOT = Path(__file__).resolve().parents[1]
RECALL_TARGET = 0.99
PRECISION_TARGET = 0.95
HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
STEPS = ("proposal", "deliberation", "review", "resolution", "disclosure", "implementation", "result")


def own_words(path: Path, village_name: str) -> list[str]:
    """A matter's own words, read from its record file (independently of the site builder)."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    d = yaml.safe_load(head)
    texts = [d.get("title", ""), d.get("summary", "")]
    for key in STEPS:
        step = d.get(key) or {}
        texts += [step.get("notes", ""), step.get("text", ""), step.get("summary", "")]
        texts += [u.get("note", "") for u in step.get("updates") or []]
    texts += [a.get("title", "") for a in d.get("attachments") or []]
    texts += [c.get("reason", "") for c in d.get("corrections") or []]
    return [str(t) for t in texts if t] + [body]


def matters(content: Path) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """(url → own words, url → village id, village id → name) of a content folder."""
    villages = {v["id"]: v["name"] for v in
                yaml.safe_load((content / "villages.yml").read_text(encoding="utf-8"))["villages"]}
    words, where = {}, {}
    for path in sorted(content.glob("*/*.md")):
        url = f"{path.parent.name}/{path.stem}/"
        words[url] = own_words(path, villages[path.parent.name])
        where[url] = path.parent.name
    return words, where, villages


def draw(words: dict[str, list[str]], n: int, rnd: random.Random) -> list[str]:
    """``n`` distinct queries of 2-6 Chinese characters, each from a matter's own words."""
    urls, out = sorted(words), []
    while len(out) < n:
        runs = [r for t in words[rnd.choice(urls)] for r in HAN.findall(t)]
        if not runs:
            continue
        run = rnd.choice(runs)
        size = rnd.randint(2, min(6, len(run)))
        start = rnd.randint(0, len(run) - size)
        query = run[start:start + size]
        if query not in out:
            out.append(query)
    return out


def fragments(site: Path) -> dict[str, str]:
    """Pagefind's result id (the fragment's name) → the matter's address in the site, from every
    part of the index."""
    out = {}
    for frag in site.glob("pagefind/**/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(frag.read_bytes())[len(b"pagefind_dcd"):])
        out[frag.stem] = re.sub(r"^(.*?/cunwu)?/", "", data["url"])
    return out


def typed(site: Path, queries: list[str]) -> dict[str, list[str]]:
    """Each query typed into the search page and sent with 搜索: the addresses found, in order."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM_ARGS, PHONE, chromium_path, serve

    ids = fragments(site)
    out = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(**PHONE).new_page()
            page.goto(base + "search/")
            box = page.locator("#cw-q")
            for query in queries:
                page.evaluate("() => { document.querySelector('[data-cw-search]').cunwuFound = null; }")
                box.fill(query)
                page.locator(".cw-search__go").click()
                page.wait_for_function("() => document.querySelector('[data-cw-search]').cunwuFound !== null"
                                       " && !document.querySelector('[data-cw-status]').textContent.includes('正在')")
                found = page.evaluate("() => document.querySelector('[data-cw-search]').cunwuFound")
                out[query] = [ids[i] for i, _ in found]
        finally:
            browser.close()
    return out


def measure(content: Path, site: Path, queries: int, rnd: random.Random, villages: int = 10) -> dict:
    words, where, names = matters(content)
    text = {url: "\n".join([names[where[url]], *ws]) for url, ws in words.items()}
    asked = draw(words, queries, rnd)
    used = sorted({where[u] for u in words})
    for vid in rnd.sample(used, min(villages, len(used))):
        asked += [names[vid], names[vid].removesuffix("村")]
    asked = list(dict.fromkeys(asked))
    found = typed(site, asked)
    holding = tot_truth = top = top_ok = 0
    misses: list[str] = []
    for query in asked:
        truth = {u for u, t in text.items() if query in t}
        got = found[query]
        holding += len(truth & set(got))
        tot_truth += len(truth)
        top += len(got[:10])
        top_ok += sum(u in truth for u in got[:10])
        if truth - set(got) or any(u not in truth for u in got[:10]):
            misses.append(f"{query}: {len(truth & set(got))}/{len(truth)} found, "
                          f"{sum(u in truth for u in got[:10])}/{len(got[:10])} of the first ten hold it")
    village_misses = []
    for vid in used:
        for name in (names[vid], names[vid].removesuffix("村")):
            if name in found and not {u for u in words if where[u] == vid} <= set(found[name]):
                village_misses.append(name)
    return {"queries": len(asked), "recall": holding / max(tot_truth, 1), "truth": tot_truth, "found": holding,
            "precision": top_ok / max(top, 1), "misses": misses, "village_misses": village_misses}


def build(content: Path, workdir: Path) -> Path:
    site = workdir / "site"
    workdir.mkdir(parents=True, exist_ok=True)
    mkdocs_build(cunwu_config(workdir, content), site)
    return site


def two_words(site: Path) -> bool:
    """速生杨 流转 on the sample: the first result holds both words."""
    found = typed(site, ["速生杨 流转"])["速生杨 流转"]
    words, _, _ = matters(ROOT / "content")
    return bool(found) and all(w in "\n".join(words[found[0]]) for w in ("速生杨", "流转"))


def rows(label: str, got: dict) -> Iterable[Row]:
    yield Row("search", f"{label}：查询 {got['queries']} 个（含村名）", got["queries"], "个")
    yield Row("search", f"{label}：召回率（{got['found']}/{got['truth']}）", 100 * got["recall"], "%",
              f"≥ {RECALL_TARGET:.0%}", got["recall"] >= RECALL_TARGET)
    yield Row("search", f"{label}：前十条准确率", 100 * got["precision"], "%",
              f"≥ {PRECISION_TARGET:.0%}", got["precision"] >= PRECISION_TARGET)
    yield Row("search", f"{label}：没有列全本村事项的村名", len(got["village_misses"]), "个", "0",
              not got["village_misses"])
    for line in got["misses"][:10]:
        print(f"  {label} 未全中：{line}", file=sys.stderr)


def run_all(workdir: Path, sizes: list[int], queries: int, seed: int) -> Iterable[Row]:
    rnd = random.Random(seed)
    sample = build(ROOT / "content", workdir / "sample")
    yield from rows("示例数据", measure(ROOT / "content", sample, queries, rnd))
    both = two_words(sample)
    yield Row("search", "示例数据：“速生杨 流转”首条同时含两词", float(both), "", "是", both)
    for n in sizes:
        content = generate(workdir / f"varied{n}", n, today=TODAY, varied=True)
        site = build(content, workdir / f"varied{n}")
        yield from rows(f"生成数据 {n:,} 条（多样词汇）", measure(content, site, queries, rnd))


@section("search")
def search_section(bench) -> Iterable[Row]:
    yield from run_all(bench.workdir / "search", [min(bench.sizes)], 150, 7)


def main(argv: list[str] | None = None) -> int:
    from .run import print_table

    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description="搜索的召回率和准确率")
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cunwu-search-bench-") as tmp:
        table = list(run_all(Path(tmp), [int(s) for s in args.sizes.split(",") if s], args.queries, args.seed))
    print_table(table)
    return 0 if all(r.ok is not False for r in table) else 1


if __name__ == "__main__":
    raise SystemExit(main())
