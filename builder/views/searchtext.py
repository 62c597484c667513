"""What search finds: each matter's index text, which Pagefind indexes and no page shows.

Pagefind splits Chinese differently when it indexes (jieba) and when a reader searches
(the browser's Intl.Segmenter), so a word typed often meets no word of the index. What
Pagefind is handed of each matter (``overrides/cunwu/search-entry.html``) therefore holds its
words once more as units that no segmenter can split: every overlapping pair of Chinese
characters (a CJK bigram, as Lucene's CJKAnalyzer indexes Chinese), written as a six-letter
Latin token. The search script
(``overrides/assets/javascripts/cunwu-search.js``) turns what is typed into the same tokens and
asks Pagefind for them as a phrase, so a matter is found exactly when its text holds the typed
characters in that order, and reads the tokens back into text for a result's excerpt. ``token``
here and ``code`` there must agree (``tests/search``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# The characters searched as pairs: CJK unified ideographs (extension A, the main block, the
# supplementary planes), compatibility ideographs, 〇 (二〇二五年), Latin letters and digits; in a
# run, ``.-/:`` between two of them too (4.5米, 2025-001). Text is read as NFKC, lower case
# (全角 ４.５ is 4.5), as the search script reads what is typed.
HAN = "\u3007\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_C = f"[{HAN}0-9a-z%]"
_RUN = re.compile(f"{_C}+(?:[-./:]{_C}+)*")
_ASCII = "0123456789abcdefghijklmnopqrstuvwxyz%-./:"
_TAG = re.compile(r"<[^>]*>")
_ENTITY = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
# Starts the index text in what Pagefind keeps of a page (``content``), from which the search
# script reads its excerpts back (Pagefind indexes no punctuation).
MARK = "\u2042"  # ⁂
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _slot(cp: int) -> int:
    """The number of a character of the main planes: ideographs, then 〇, Latin and digits,
    compatibility ideographs."""
    if 0x3400 <= cp <= 0x9FFF:
        return cp - 0x3400  # 0 … 27647
    if cp == 0x3007:
        return 27648
    if cp < 128:
        return 27649 + _ASCII.index(chr(cp))
    return 27700 + cp - 0xF900  # 0xF900 … 0xFAFF: up to 28211


def _code(cp: int) -> str:
    """Three letters or digits for a character of the main planes, four for the others.

    Main-plane codes start with a letter (26 × 36 × 36 codes), the others with a digit, so a pair
    reads back one way only; no real word of a page (Chinese, numbers) looks like one."""
    if cp >= 0x20000:
        n = cp - 0x20000
        return _DIGITS[n // 46656] + _DIGITS[n // 1296 % 36] + _DIGITS[n // 36 % 36] + _DIGITS[n % 36]
    n = _slot(cp)
    return _DIGITS[10 + n // 1296] + _DIGITS[n // 36 % 36] + _DIGITS[n % 36]


class _Codes(dict):
    """Each character's code by its number, made when first met: a table for ``str.translate``,
    which codes a whole run at C speed (a matter's text is mostly a few thousand distinct
    characters, met again and again)."""

    def __missing__(self, cp: int) -> str:
        code = self[cp] = _code(cp)
        return code


_CODES = _Codes()


def _char(c: str) -> str:
    return _CODES[ord(c)]


def token(pair: str) -> str:
    """The index token of two characters of a run."""
    return _char(pair[0]) + _char(pair[1])


# The runs given are kept, joined, to leave out later runs that are part of one of them, up to
# this many characters (far more than a record written by hand holds); past it only a run given
# before is left out, so that a record of a megabyte is not compared run by run with all of itself.
KEPT = 20_000


# Full-width ASCII (，：０Ａ) as NFKC reads it, which a Chinese text is full of; with them read so,
# most texts are found already normalised, by a check far quicker than normalising.
_WIDE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``."""
    text = text.translate(_WIDE)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def runs(texts: Iterable[str]) -> Iterator[str]:
    """The runs of two or more searchable characters in ``texts``, each distinct run once and
    none that is part of another already given (a phrase inside a run is found in that run)."""
    given: set[str] = set()
    kept = ""  # the runs given while under KEPT characters, each after a "\n" (never in a run)
    for text in texts:
        for run in _RUN.findall(nfkc(text or "").lower()):
            if len(run) < 2 or run in given or run in kept:
                continue
            given.add(run)
            if len(kept) < KEPT:
                kept += "\n" + run
            yield run


def plain(html: str) -> str:
    """The text a reader sees of rendered record text (tags dropped, entities read)."""
    return re.sub(r"&(?:amp|lt|gt|quot|#39);", lambda m: _ENTITY[m[0]], _TAG.sub("", html))


def index_text(texts: Iterable[str]) -> str:
    """The index text of a matter: ``MARK``, then the tokens of each run's pairs in order
    (a phrase of k characters is k - 1 consecutive tokens)."""
    tokens = []
    for run in runs(texts):
        coded = run.translate(_CODES)
        if len(coded) == 3 * len(run):  # no character of the supplementary planes: codes of three
            tokens.append(" ".join([coded[i:i + 6] for i in range(0, len(coded) - 3, 3)]))
            continue
        codes = [_char(c) for c in run]
        tokens.append(" ".join([a + b for a, b in zip(codes, codes[1:], strict=False)]))
    return MARK + " " + " ".join(tokens)


def matter_texts(context: dict) -> list[str]:
    """A matter's own words, as its page shows them: number, village name, title, summary, step notes,
    resolution text, progress notes, result summary, attachment titles, corrections, body."""
    out = [context["id"], context["village_name"], context["title"], context.get("summary") or ""]
    out += [plain(str(s.html)) for s in context["steps"] if s.html]
    out += [u["note"] for u in (context.get("progress") or {}).get("updates", []) if u.get("note")]
    out += [a["title"] for a in context.get("attachments") or []]
    out += [c["reason"] for c in context.get("corrections") or []]
    out.append(plain(str(context.get("body") or "")))
    return out
