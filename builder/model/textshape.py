"""Whether a text is too much for Markdown to lay out, decided in one linear pass.

Python-Markdown is quadratic or recursive on some shapes of text. Each ``[`` makes it scan ahead
for the ``]`` that closes it, and each backtick for its partner, to the end of the paragraph when
there is none; each heading or rule line inside a paragraph makes it copy
the rest of that paragraph again; each ``>`` or list marker opening a line is one more level of
recursion (about 50,000 nested ``[`` crashed the interpreter). A record may hold 1 MB of text.
So before Markdown sees a text, ``markdown_hazard`` bounds that work from a few counts; a text
over a limit is shown as plain text instead (views.text), and W071 tells the secretary why. The
limits sit far above what text written by hand needs; the counts can only overestimate.

Pure standard library, like the rest of the model: the validator runs it in a browser too.
"""

from __future__ import annotations

import re

MAX_CHARS = 20_000  # one text field laid out by Markdown: about ten printed pages
MAX_NESTING = 16  # ">" and list markers opening one line: levels of quote and list
# Markup characters (and heading or rule lines) of a paragraph times its length: about a
# second of Markdown at most, for the worst shapes measured.
MAX_WORK = 10_000_000

# Text with none of these characters, and no line that Markdown reads as a block, comes out of
# Markdown as plain paragraphs: most record text is like that, and Markdown costs 0.25 ms a call
# (10 s of a 10,000-record build). Linear: no part of it runs past the end of a line ("^\s*" did,
# across every blank line below it).
_MARKUP = re.compile(r"[*_`\[\]<>&\\|!#~\"'=\t]|https?:|www\.|^[ ]|[ ]$|^[^\S\n]*(?:[-+]|\d+[.)])(?:\s|$)|^-+$", re.M)
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
# A line opening with quote or list markers: ">", "- ", "* ", "+ ", "1. ", "1) ", in any mix.
_MARKERS = re.compile(r"^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))+", re.M)
_MARKER = re.compile(r">|[-+*]|\d{1,9}[.)]")
# Lines after which Markdown splits a paragraph and parses the rest again: "# heading", and
# setext underlines and rules ("---", "===", "* * *").
_SPLITTING_LINE = re.compile(r"^(?:[ ]{0,3}#|[ ]{0,3}[-=*_][-=*_ \t]*$)", re.M)
_SCANNING = "[`"  # each may start a scan for its partner ("*", "_" and "<" measured linear)


def needs_markdown(text: str) -> bool:
    """Whether Markdown would give ``text`` more than plain paragraphs (the site then skips it)."""
    return _MARKUP.search(text) is not None


def markdown_hazard(text: str) -> str | None:
    """Why Markdown should not lay out ``text`` (a short phrase for W071), or None."""
    if not needs_markdown(text):
        return None  # plain paragraphs, whatever their length: nothing to lay out
    if len(text) > MAX_CHARS:
        return f"超过 {MAX_CHARS:,} 字"
    if _nesting(text) > MAX_NESTING:
        return f"有一行开头的“>”或列表符号超过 {MAX_NESTING} 层"
    if _work(text) > MAX_WORK:
        return "有一段太长，其中的方括号“[”、反引号“`”、标题或分隔线太多"
    return None


def _nesting(text: str) -> int:
    deepest = 0
    for m in _MARKERS.finditer(text):
        if m.end() - m.start() > deepest:  # each level takes a character at least
            deepest = max(deepest, len(_MARKER.findall(m[0])))
    return deepest


def _work(text: str) -> int:
    if (sum(text.count(c) for c in _SCANNING) + text.count("\n")) * len(text) <= MAX_WORK:
        return 0  # a bound for the whole text (any line may split) is under the limit
    work = 0
    for block in _BLOCK_SPLIT.split(text):
        marks = sum(block.count(c) for c in _SCANNING) + len(_SPLITTING_LINE.findall(block))
        work += marks * len(block)
    return work
