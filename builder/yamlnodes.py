"""YAML to plain Python values, keeping the line of every key.

PyYAML's own constructor loses positions and turns dates and decimals into objects that hide
what the secretary typed. We compose nodes with the C parser and build the values ourselves:
dates stay as the typed text (so E013 can say what is wrong with ``2024-3-5``), numbers with a
fraction become ``Decimal`` (so ``120000.005`` can be caught), and every key's line is kept.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple  # a path of keys and list indexes inside a record
Lines = dict  # Path -> 1-based line


class TooComplex(Exception):
    """Nesting or aliasing beyond anything a record needs (and a guard against alias bombs)."""


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
        return text.lower() in ("yes", "true", "on", "y")
    if tag == _NULL:
        return None
    return text  # strings, and timestamps kept as typed


def build(node: yaml.Node, path: Path, lines: Lines, budget: list | None = None) -> Any:
    """Turn a composed node into dicts, lists and scalars, filling ``lines``."""
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0 or len(path) > MAX_DEPTH:
        raise TooComplex()
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            # A key is what was typed: `2024: x` keys "2024", and a complex key is refused.
            if not isinstance(key_node, yaml.ScalarNode):
                raise TooComplex()
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in out:
                raise DuplicateKey(key, line)
            lines[path + (key,)] = line
            out[key] = build(value_node, path + (key,), lines, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [build(item, path + (i,), lines, budget) for i, item in enumerate(node.value)]
    return _scalar(node)


def compose(text: str) -> yaml.Node | None:
    """Compose one YAML document; raises ``yaml.YAMLError`` on a syntax error."""
    return yaml.compose(text, Loader=_Loader)


def line_of(lines: Lines, path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]
