"""YAML to plain Python values, keeping the line of every key.

PyYAML's own constructor loses positions and turns dates and decimals into objects that hide
what the secretary typed. We compose nodes with the C parser and build the values ourselves:
dates stay as the typed text (so E013 can say what is wrong with ``2024-3-5``), numbers with a
fraction become ``Decimal`` (so ``120000.005`` can be caught), and every key's line is kept.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]



class _CachedLoader(_Loader):  # type: ignore[misc,valid-type]
    """Resolving a scalar's implicit tag runs a dozen regular expressions in Python for every
    value; records repeat the same values (dates, counts, ``passed``), so remember the answer."""

    _tags: dict = {}

    def descend_resolver(self, current_node, current_index):
        pass  # path resolvers: the safe loader has none, and this is called for every node

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return _Loader.resolve(self, kind, value, implicit)
        try:
            return self._tags[value, implicit]
        except KeyError:
            tag = _Loader.resolve(self, kind, value, implicit)
            if len(self._tags) < 100_000:
                self._tags[value, implicit] = tag
            return tag


Path = tuple  # a path of keys and list indexes inside a record
Lines = dict  # Path -> 1-based line


class TooComplex(Exception):
    """Beyond anything a record needs: ``why`` is ``deep`` (nesting), ``long`` (more values than
    ``MAX_NODES``, which also stops alias bombs) or ``key`` (a list or map used as a key)."""

    def __init__(self, why: str, line: int | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.line = line  # 0-based, when known


MAX_DEPTH = 40
MAX_NODES = 20000


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_DEC_RE = re.compile(r"^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$")


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == _INT:
        try:
            return int(text.replace("_", ""), 10)
        except ValueError:
            try:
                return int(text.replace("_", ""), 0)
            except ValueError:
                return text
    if tag == _FLOAT:
        if _DEC_RE.match(text):
            try:
                return Decimal(text.replace("_", ""))
            except InvalidOperation:
                return text
        return text  # .inf / .nan: left as text, rejected as a wrong value
    if tag == _BOOL:
        # No field of a record is a yes/no: kept as typed, so that `outcome: yes` is reported
        # as "yes" (not "True") and `title: no` stays the text it looks like.
        return text
    if tag == _NULL:
        return None
    return text  # strings, and timestamps kept as typed


def build(node: yaml.Node, path: Path, lines: Lines, budget: list | None = None, first_line: int = 1) -> Any:
    """Turn a composed node into dicts, lists and scalars, filling ``lines`` with the line of
    every key (counted from ``first_line`` for the text's first line)."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    _within(budget, len(path), node)
    lines.setdefault(path, node.start_mark.line + first_line)
    return _children(node, path, lines, budget, first_line)


def _children(node: yaml.Node, path: Path, lines: Lines, budget: list, first: int) -> Any:
    """The value of ``node``, whose own line is already in ``lines``. Each child is counted and
    marked here, so scalars (most of a record) need no further call of ``build``."""
    cls = type(node)
    if cls is yaml.ScalarNode:
        return _scalar(node)
    budget[0] -= len(node.value)
    _within(budget, len(path) + 1, node)
    if cls is yaml.SequenceNode:
        out = []
        for i, item in enumerate(node.value):
            child = path + (i,)
            lines.setdefault(child, item.start_mark.line + first)
            out.append(_children(item, child, lines, budget, first))
        return out
    mapping: dict = {}
    for key_node, value_node in node.value:
        # A key is what was typed: `2024: x` keys "2024", and a complex key is refused.
        if type(key_node) is not yaml.ScalarNode:
            raise TooComplex("key", key_node.start_mark.line)
        key = key_node.value
        line = key_node.start_mark.line + first
        if key in mapping:
            raise DuplicateKey(key, line)
        child = path + (key,)
        lines[child] = line
        mapping[key] = _children(value_node, child, lines, budget, first)
    return mapping


def values(node: yaml.Node, first_line: int = 1) -> Any:
    """What ``build`` returns, with the same limits and refusals, but without recording lines."""
    budget = [MAX_NODES - 1]
    return _values(node, 0, budget, first_line)


def _values(node: yaml.Node, depth: int, budget: list, first: int) -> Any:
    cls = type(node)
    if cls is yaml.ScalarNode:
        return _scalar(node)
    budget[0] -= len(node.value)
    _within(budget, depth + 1, node)
    if cls is yaml.SequenceNode:
        return [_values(item, depth + 1, budget, first) for item in node.value]
    mapping: dict = {}
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode:
            raise TooComplex("key", key_node.start_mark.line)
        key = key_node.value
        if key in mapping:
            raise DuplicateKey(key, key_node.start_mark.line + first)
        mapping[key] = _values(value_node, depth + 1, budget, first)
    return mapping


def _within(budget: list, depth: int, node: yaml.Node) -> None:
    if depth > MAX_DEPTH:
        raise TooComplex("deep", node.start_mark.line)
    if budget[0] < 0:
        raise TooComplex("long", node.start_mark.line)


def compose(text: str) -> yaml.Node | None:
    """Compose one YAML document; raises ``yaml.YAMLError`` on a syntax error. Text that has
    not passed ``too_deep`` can crash the process (see there)."""
    return yaml.compose(text, Loader=_CachedLoader)


def safe_compose(text: str) -> yaml.Node | None:
    """``compose``, raising ``TooComplex`` first on nesting deeper than ``MAX_DEPTH``."""
    line = too_deep(text)
    if line is not None:
        raise TooComplex("deep", line)
    return compose(text)


@functools.lru_cache(maxsize=64)
def _leading(n: int) -> re.Pattern:
    """A line that starts with more than ``n`` of the characters of indentation and of "- ",
    "? " and ": " (how far right its content, and so its nesting, can be)."""
    return re.compile(rf"^[ \t?:-]{{{n + 1}}}", re.M)

_STARTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def too_deep(text: str) -> int | None:
    """The 0-based line where nesting goes deeper than ``MAX_DEPTH``, or None.

    libyaml's composer recurses in C for each level: some 50,000 nested ``[`` (a 100 KB record)
    overflow the stack and kill the process. Its parser does not recurse, so the events are
    counted first, stopping at the first level too deep. Most records are ruled out without
    parsing: nesting is never deeper than the number of ``[`` and ``{`` plus what indentation
    allows (a block inside a block starts at least one column further right, or is a list in a
    map at the same column: at most two levels a column)."""
    room = (MAX_DEPTH - 2 - text.count("[") - text.count("{")) // 2  # for the columns of indentation
    if room >= 0 and _leading(room).search(text) is None:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _STARTS):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line
            elif isinstance(event, _ENDS):
                depth -= 1
    except yaml.YAMLError:
        pass  # composing stops at the same error, no deeper than the events went here
    return None


def line_of(lines: Lines, path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]
