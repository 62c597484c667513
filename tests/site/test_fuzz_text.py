"""Property test: arbitrary text (markup, entities, control and invisible characters, long runs
of brackets, stars and newlines) in every text field of a record and in villages.yml. ``validate``
accepts it or refuses it with codes, in seconds, never a traceback; the records it accepts build
with a real ``mkdocs build``, and no page of the site holds a tag, event handler or script link
that came from them. Several records share one site per example: a build costs seconds.
"""

from __future__ import annotations

import gzip
import re
import shutil
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from buildkit import copy_content, mkdocs_build, write_config
from hostilekit import PAYLOADS, site_problems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from validator.vkit import TODAY, Site, base_record

from builder.engine import pagefind_index
from builder.engine.parallel import validate_content as validate
from builder.model.settings import Settings

RECORDS = 3  # per site
FIELDS = [  # every text field of a record (spec §3), as paths
    ("title",), ("summary",), ("proposal", "notes"), ("deliberation", "notes"), ("review", "notes"),
    ("resolution", "notes"), ("resolution", "text"), ("disclosure", "notes"), ("disclosure", "channels", 0),
    ("implementation", "responsible"), ("implementation", "updates", 0, "note"), ("result", "summary"),
    ("result", "channels", 0), ("attachments", 0, "title"), ("corrections", 0, "reason"),
]
ODD = ["&amp;", "&#0;", "&#x202e;", "&lt;", "\u200b", "\u00a0", "\ufeff", "\u202e", "\x00", "\x01", "\x07", "\x0b",
       "\x1b", "\x7f", "\x85", "\u2028", "\r\n", "\r", "\t", "{{", "}}", "{%", "---", "#", ": ", "- ", "'", '"', "|",
       ">", "\\", "<!--", "]]>", "中文"]
# Control characters are refused (E007) wherever they are: only the first record of each example
# gets them, so that the others are mostly built.
CONTROLS = [c for c in ODD if len(c) == 1 and unicodedata.category(c) == "Cc" and c not in "\t\r"]
pieces = st.sampled_from(PAYLOADS + ODD)
tame = st.sampled_from(PAYLOADS + [c for c in ODD if c not in CONTROLS])
runs = st.builds(lambda c, n: c * n, st.sampled_from(["[", "*", "\n", "`", ">", "-\n", "1. ", "&#", "](", "_"]),
                 st.integers(1, 20_000))


# Arbitrary text of any script (words with marks, which Pagefind also indexes folded, included),
# weighted towards ASCII and CJK; control and invisible characters come with the pieces above.
letters = (st.characters(max_codepoint=0x7F, blacklist_categories=("Cc",)) | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
           | st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("，。：；、“”（）【】　…—éüñçøßﬁ"))
texts = st.lists(pieces | runs | st.text(alphabet=letters, max_size=12), max_size=5).map("".join)
tame_texts = st.lists(tame | runs | st.text(alphabet=letters, max_size=12), max_size=5).map("".join)
fields_of = st.lists(st.none() | texts, min_size=len(FIELDS), max_size=len(FIELDS))
tame_fields_of = st.lists(st.none() | tame_texts, min_size=len(FIELDS), max_size=len(FIELDS))


LIMITS = {("title",): 80, ("summary",): 200}  # longer is E012, which the model tests


def _put(rec: dict, path: tuple, value: str | None) -> None:
    """The field's own text followed by ``value`` (None: left as it is), within its length limit."""
    node = rec
    for part in path[:-1]:
        node = node[part]
    if value is not None:
        old = node[path[-1]] if isinstance(node, list) else node.get(path[-1], "")
        node[path[-1]] = (old + value)[:LIMITS.get(path, 10**9)]


def _write(site: Site, fields: list[list[str]], bodies: list[str]) -> list[Path]:
    paths = []
    for i in range(RECORDS):
        rec = base_record()
        rec["id"] = f"2024-{i + 1:03d}"
        for path, value in zip(FIELDS, fields[i], strict=True):
            _put(rec, path, value)
        paths.append(site.write(rec, body=bodies[i]))
    return paths


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fields=st.tuples(fields_of, *[tame_fields_of] * (RECORDS - 1)),
       bodies=st.tuples(texts, *[tame_texts] * (RECORDS - 1)), name=texts, township=texts)
def test_any_text_is_refused_with_a_code_or_published_inert(fields, bodies, name, township) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="cunwu-fuzz-"))
    try:
        site = Site(tmp)
        site.villages[0].update(name="东王村" + name, township=township)
        site.write_villages()
        paths = _write(site, fields, bodies)
        start = time.perf_counter()
        report = validate(site.content, Settings(), TODAY)
        assert time.perf_counter() - start < 10
        assert all(re.fullmatch(r"[EW]\d{3}", d.code) for d in report.diagnostics)
        if any(Path(d.file).name == "villages.yml" and d.code.startswith("E") for d in report.diagnostics):
            # The village's name or township refused with its reason: the records are still tried.
            site.villages[0].update(name="东王村", township="")
            site.write_villages()
            report = validate(site.content, Settings(), TODAY)
        refused = {Path(d.file).resolve() for d in report.diagnostics if d.code.startswith("E")}
        kept = [p for p in paths if p.resolve() not in refused]
        if not kept:
            return  # everything refused with its reason: nothing to build
        for p in paths:
            if p not in kept:
                p.unlink()
        out = tmp / "site"
        done = mkdocs_build(write_config(tmp, site.content), out, today=TODAY.isoformat())
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
        assert site_problems(out) == {}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)




@pytest.mark.parametrize("word", ["Café", "naïve", "읛"])
def test_a_word_of_another_script_builds_and_is_indexed(tmp_path: Path, word: str) -> None:
    """Pagefind keeps such a word under its folded form with the form as written beside it: the
    merged index keeps both, on the matter's page. Of a page Pagefind reads the title (a result's
    meta) as written, the rest as index text."""
    folded = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
    content = copy_content(tmp_path)
    record = content / "dongliu/2025-003.md"
    text = record.read_text(encoding="utf-8").replace("\ntitle: 关于", f"\ntitle: {word} 关于", 1)
    record.write_text(text + f"\n{word}\n", encoding="utf-8")
    done = mkdocs_build(write_config(tmp_path, content), tmp_path / "site")
    assert done.returncode == 0, done.stderr[-500:]
    bundle = tmp_path / "site" / "pagefind"
    pagefind_index.check(bundle)
    entry, lang = pagefind_index.entry_of(bundle)
    pages = pagefind_index.meta_of(bundle, entry, lang)[1]
    found = {}
    for chunk in (bundle / "index").iterdir():
        for item, _, forms in pagefind_index._words(chunk):
            for form, places in forms:
                found[(item, form)] = [pages[sum(p[0] for p in places[:k + 1])][0] for k in range(len(places))]
    assert (folded, word.lower()) in found, sorted(found)
    fragment = found[(folded, word.lower())]
    assert len(fragment) == 1
    text = gzip.decompress((bundle / "fragment" / f"{fragment[0]}.pf_fragment").read_bytes())
    assert "2025-003" in text.decode("utf-8", "replace")
