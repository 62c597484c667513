"""schema/record.json: generated from the record model, up to date, and in agreement with the
validator on the sample records and on typical mistakes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from builder.engine.parallel import validate_content as validate
from builder.model.checks import Ctx, run_checks
from builder.model.jsonschema import dumps, record_schema
from builder.model.records import RawRecord, Village, parse_front_matter
from builder.model.schema import RECORD
from builder.model.settings import Settings
from builder.model.typecheck import check_map

from .conftest import DISCLOSED, ROOT, make_content

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_FILE = ROOT / "schema" / "record.json"


def front_matter(text: str, path: Path = Path("content/dongwang/2024-001.md")) -> dict:
    """A record's front matter as the validator reads it (dates as typed text, Decimal money)."""
    rec = RawRecord(str(path), path, path.parent.name, path.stem, text)
    assert parse_front_matter(rec) == []
    return rec.data


@pytest.fixture(scope="module")
def validator():
    # Decimal for the schema's numbers too, so multipleOf 0.01 is exact.
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
    cls = jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == dumps(record_schema()), (
        "schema/record.json is stale: run  python -m builder.model.jsonschema > schema/record.json")


def test_module_prints_the_schema() -> None:
    done = subprocess.run([sys.executable, "-m", "builder.model.jsonschema"], cwd=ROOT, capture_output=True, check=True)
    assert done.stdout.decode("utf-8") == dumps(record_schema())


def test_schema_is_valid_draft_2020_12() -> None:
    schema = record_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_follows_the_model() -> None:
    schema = record_schema()

    def walk(fields, node, where, word=""):
        # v1.1: a map that may be one word instead (votes: unanimous) is an object or that string
        assert node["type"] == (["object", "string"] if word else "object"), where
        assert node["additionalProperties"] is False and node.get("pattern") == (f"^{word}$" if word else None), where
        assert list(node["properties"]) == list(fields), where
        assert node.get("required", []) == [k for k, f in fields.items() if f.required], where
        for name, f in fields.items():
            sub = node["properties"][name]
            assert sub["description"].startswith(f.what), f"{where}.{name}"
            if f.kind == "map":
                walk(f.fields, sub, f"{where}.{name}", f.word)
            elif f.kind == "list":
                walk(f.item.fields, sub["items"], f"{where}.{name}[]")
            elif f.kind == "enum":
                assert sub["enum"] == list(f.options)
            elif f.pattern:
                assert sub["pattern"] == f.pattern

    walk(RECORD, schema, "record")


def test_sample_records_validate(validator) -> None:
    content = ROOT / "content"
    if not (content / "villages.yml").is_file():
        pytest.skip("no sample content yet")
    report = validate(content, Settings(), dt.date(2100, 1, 1))
    assert report.records, "no sample record passed the validator"
    for record in report.records:
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record.raw.data)]
        assert problems == [], record.raw.file


def test_skeleton_validates(validator, tmp_path, monkeypatch) -> None:
    from builder.new import write_new

    monkeypatch.setenv("CUNWU_TODAY", "2024-04-01")
    path = write_new(make_content(tmp_path), "dongwang", "事项", 2024)
    assert list(validator.iter_errors(front_matter(path.read_text(encoding="utf-8"), path))) == []


def _set(data: dict, dotted: str, value: object) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        data = data[key]
    if value is DELETE:
        del data[last]
    else:
        data[last] = value


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE = _Delete()
MISTAKES = [
    ("id", DELETE), ("id", "2024-3"), ("title", ""), ("title", "一" * 81), ("title", True),
    ("village", "DongWang"), ("category", "road"), ("summary", "长" * 201),
    ("budget", Decimal("-1")), ("budget", Decimal("120000.005")), ("budget", "120,000"), ("budget", "12万"),
    ("proposal.date", "2024-3-2"), ("proposal.date", "2024年3月2日"), ("proposal.date", "2024-02-30"),
    ("proposal.outcome", DELETE), ("proposal.outcome", "ok"), ("proposal.attendance.present", "五"),
    ("proposal.attendance.expected", DELETE), ("proposal.colour", "red"), ("colour", "red"),
    ("review.votes", DELETE), ("review.votes.for", Decimal("1.5")), ("review.votes.against", -1),
    ("resolution.households", {"expected": 380, "present": 300}),  # at a representatives' meeting
    ("resolution.body", "committee"), ("resolution.text", DELETE), ("resolution.text", "  "),
    ("disclosure.channels", []), ("disclosure.channels", "公开栏"), ("disclosure.until", DELETE),
    ("implementation", {"due": "2024-06-30", "updates": [{"date": "2024-05-01", "progress": 101}]}),
    ("implementation", {"start": "2024-04-01"}),
    ("result", {"date": "2024-07-05", "completed": "2024-06-28", "summary": "完成"}),  # budget without cost
    ("result", {"date": "2024-07-05", "completed": "2024-06-28", "summary": "完成", "cost": None}),
    ("attachments", [{"title": "无文件名"}]), ("corrections", [{"date": "2024-07-10"}]),
    ("corrections", {"date": "2024-07-10", "reason": "不是列表"}),
    # v1.1 (records.md §8)
    ("review.votes", "全票通过"), ("review.votes", "Unanimous"), ("review.method", "show"),
    ("review.attendance.online", Decimal("1.5")), ("disclosure.objections", "无异议"),
    ("disclosure.objections", [{"date": "2024-03-18"}]), ("disclosure.objections", [{"summary": "无日期"}]),
    ("approval", {"date": "2024-03-20"}), ("approval", {"by": "青禾镇", "date": "2024年3月20日"}),
    ("funding", [{"source": "财政奖补", "amount": "200,000"}]), ("funding", [{"amount": Decimal("1.00")}]),
    ("funding", {"source": "财政奖补", "amount": Decimal("1.00")}),
]


@pytest.mark.parametrize(("where", "value"), MISTAKES, ids=[f"{w}={v!r}"[:40] for w, v in MISTAKES])
def test_schema_and_validator_both_refuse(validator, where: str, value: object) -> None:
    data = copy.deepcopy(front_matter(DISCLOSED))
    assert list(validator.iter_errors(data)) == [] and validator_errors(data) == []
    _set(data, where, value)
    assert list(validator.iter_errors(data)), "the schema accepts it"

    assert validator_errors(data), "the validator accepts it"


def validator_errors(data: dict) -> list[str]:
    """The error codes the validator gives the values (line-free: the text is not needed)."""
    found = []
    clean = check_map(RECORD, data, (), lambda code, path, **kw: found.append(code))
    rec = RawRecord("x.md", Path("content/dongwang/2024-001.md"), "dongwang", "2024-001", "", data=data)
    ctx = Ctx(rec, clean, {"dongwang": Village("dongwang", "东王村")}, Settings(), dt.date(2100, 1, 1), Path("content"))
    return found + [d.code for d in run_checks(ctx) if d.severity == "error"]


@pytest.mark.parametrize(("where", "value"), [
    ("title", 2024), ("budget", 120000), ("budget", Decimal("0.10")), ("proposal.notes", "多行\n说明"),
    ("disclosure.channels", ["公开栏", 3]), ("corrections", []),
    ("proposal.votes", {"for": 5, "against": 0, "abstain": 0}), ("review.votes.against", 0),
    ("resolution", {"body": "assembly", "date": "2024-03-15", "attendance": {"expected": 1150, "present": 600},
                    "households": {"expected": 380, "present": 300}, "votes": {"for": 500, "against": 2, "abstain": 0},
                    "text": "同意"}),
    # v1.1 (records.md §8)
    ("review.votes", "unanimous"), ("proposal.votes", "unanimous"), ("review.method", "mixed"),
    ("review.attendance.online", 6), ("disclosure.objections", "none"),
    ("disclosure.objections", [{"date": "2024-03-18", "summary": "对边界有异议", "response": "已复测",
                                "answered": "2024-03-18"}]),
    ("approval", {"by": "青禾镇党委、政府", "date": "2024-03-20", "notes": "审核同意"}),
    ("funding", [{"source": "财政奖补", "amount": Decimal("100000.00")}, {"source": "村集体", "amount": 20000}]),
])
def test_schema_accepts_what_the_validator_accepts(validator, where: str, value: object) -> None:
    data = copy.deepcopy(front_matter(DISCLOSED))
    _set(data, where, value)
    assert validator_errors(data) == []
    assert [e.message for e in validator.iter_errors(data)] == []
