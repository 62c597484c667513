"""JSON Schema (draft 2020-12) of a record's front matter, generated from ``schema.RECORD``.

Editors that understand JSON Schema (VS Code's YAML extension, for one) use it to complete keys
and flag mistakes while a secretary types. It is published at ``schema/record.json`` and kept
in the repository as ``schema/record.json``:

    python -m builder.model.jsonschema > schema/record.json

The schema says what the model says (keys, kinds, required keys, choices, patterns, lengths)
plus the two "required when" rules of the validator (E010) and the key a representatives' meeting
may not have (``households``, E012). The rules that compare values
(order of dates, quorum, votes, deadlines, privacy) are the validator's alone: a record that
the schema accepts can still fail ``python -m builder validate``.

YAML is read as editors read it: a date such as ``2024-03-02`` is a string, ``120000.00`` a number.
"""

from __future__ import annotations

import json
import sys

from .schema import CATEGORIES, RECORD, F
from .typecheck import MAX_COUNT, MAX_MONEY

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
NOT_BLANK = r"\S"


def _example(spec: F) -> object:
    if spec.kind == "money" and spec.example is not None:
        return float(spec.example)
    return spec.example


def field_schema(spec: F) -> dict:
    """The schema of one field of the model."""
    out: dict = {"description": spec.what}
    kind = spec.kind
    if kind == "map":
        out.update(object_schema(spec.fields))
    elif kind == "list":
        out.update({"type": "array", "items": field_schema(spec.item)})
    elif kind in ("str", "text"):
        if spec.pattern:
            out.update({"type": "string", "pattern": spec.pattern})
        else:
            # The validator takes a number typed where text is expected as that text.
            out["type"] = ["string", "number"]
            if spec.required:
                out.update({"minLength": 1, "pattern": NOT_BLANK})
        if spec.max_len:
            out["maxLength"] = spec.max_len
    elif kind == "date":
        out.update({"type": "string", "format": "date", "pattern": DATE_PATTERN})
    elif kind == "enum":
        out.update({"type": "string", "enum": list(spec.options)})
        if spec.options == tuple(CATEGORIES):
            out["description"] += "：" + "、".join(f"{k} {v}" for k, v in CATEGORIES.items())
    elif kind == "count":
        out.update({"type": "integer", "minimum": 0, "maximum": MAX_COUNT - 1})
    elif kind == "percent":
        out.update({"type": "integer", "minimum": 0, "maximum": 100})
    elif kind == "money":
        out.update({"type": "number", "minimum": 0, "exclusiveMaximum": int(MAX_MONEY), "multipleOf": 0.01})
    elif kind == "strlist":
        out.update({"type": "array", "minItems": 1,
                    "items": {"type": ["string", "integer"], "minLength": 1, "pattern": NOT_BLANK}})
    else:  # a mistake in schema.py, not in a record
        raise ValueError(f"unknown kind {kind}")
    example = _example(spec)
    if example is not None and kind not in ("map", "list"):
        out["examples"] = [example]
    if spec.word:
        _or_word(out, spec)
    return out


def _or_word(out: dict, spec: F) -> None:
    """v1.1: a map or list that may instead be one word (``votes: unanimous``). The object and
    array keywords say nothing of a string, and ``pattern`` nothing of an object or array, so
    one more type and a pattern admit the word and nothing else. (The model's description of
    the field already names the word.)"""
    out["type"] = [out["type"], "string"]
    out["pattern"] = f"^{spec.word}$"


def object_schema(fields: dict[str, F]) -> dict:
    out: dict = {
        "type": "object",
        "properties": {name: field_schema(spec) for name, spec in fields.items()},
        "additionalProperties": False,
    }
    required = [name for name, spec in fields.items() if spec.required]
    if required:
        out["required"] = required
    return out


def record_schema() -> dict:
    """The JSON Schema of a record's front matter, as a JSON-ready dict (stable key order)."""
    schema = {
        "$schema": DRAFT,
        "title": "村务公开记录",
        "description": "content/村代码/编号.md 文件开头 --- 之间的信息区。由 python -m builder.model.jsonschema 从记录模型生成，"
                       "请勿手工修改。日期、先后顺序、法定人数、票数、期限和个人信息等规则由 "
                       "python -m builder validate 检查。",
        "$comment": "Generated from builder/model/schema.py by `python -m builder.model.jsonschema`; do not edit.",
    }
    schema.update(object_schema(RECORD))
    props = schema["properties"]
    for step in ("proposal", "deliberation"):  # E010: without votes, the outcome must be stated
        props[step]["anyOf"] = [{"required": ["votes"]}, {"required": ["outcome"]}]
    # E012: households are counted at a villagers' assembly only.
    props["resolution"]["if"] = {"properties": {"body": {"const": "representatives"}}, "required": ["body"]}
    props["resolution"]["then"] = {"properties": {"households": False}}
    # E010: with a budget, the result states the cost.
    schema["if"] = {"required": ["budget", "result"]}
    schema["then"] = {"properties": {"result": {"required": ["cost"]}}}
    return schema


def dumps(schema: dict) -> str:
    """The schema as published: the same bytes as the site's ``schema/record.json``."""
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    sys.stdout.write(dumps(record_schema()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
