"""Property tests: whatever a record file holds, the validator answers with diagnostics, never a
traceback; the command line exits 0 or 1 and prints JSON that parses."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vkit import PDF, TODAY, VILLAGE, base_record, cli, dump, record_text

from builder.engine.parallel import validate_content as validate
from builder.model import yamlnodes
from builder.model.rules import RULES
from builder.model.schema import RECORD
from builder.model.settings import Settings
from builder.model.status import STATUSES
from builder.model.yamlnodes import DuplicateKey, TooComplex, build, compose

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLI = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = sorted({*RECORD, "date", "attendance", "expected", "present", "votes", "for", "against", "abstain",
               "outcome", "body", "text", "until", "channels", "due", "updates", "progress", "file", "cost"})

scalars = (
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
    | st.sampled_from(["2024-3-5", "2024年3月5日", "2024-02-30", "120,000", "１２０", "passed", "rejected",
                       "representatives", "assembly", "land", "dongwang", "2024-003", "<b>x</b>",
                       "13812345678", "11010519491231002X", "6225880123456783", "", " ", "~", "null"])
)
keys = st.sampled_from(KEYS) | st.text(min_size=1, max_size=12)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
                      max_leaves=25)
documents = st.dictionaries(keys, values, max_size=12) | values


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, path + (i,))
    return out


BASE_PATHS = _paths(base_record())


@st.composite
def mutated_records(draw) -> dict:
    rec = base_record()
    for path in draw(st.lists(st.sampled_from(BASE_PATHS), min_size=1, max_size=4)):
        parent = rec
        try:
            for part in path[:-1]:
                parent = parent[part]
            if draw(st.booleans()):
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    return rec


def _dump(doc: object) -> str:
    try:
        return yaml.dump(doc, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return dump(doc)


class Sandbox:
    """One content folder reused across examples: the record file is overwritten each time."""

    def __init__(self, root: Path) -> None:
        shutil.rmtree(root, ignore_errors=True)
        self.root = root
        self.content = root / "content"
        (self.content / "dongwang" / "2024-003").mkdir(parents=True)
        (self.content / "villages.yml").write_text(dump({"villages": [VILLAGE]}), encoding="utf-8")
        (self.content / "dongwang" / "2024-003" / "决议公告.pdf").write_bytes(PDF)
        self.record = self.content / "dongwang" / "2024-003.md"

    def check(self, data: bytes) -> None:
        self.record.write_bytes(data)
        report = validate(self.content, Settings(), TODAY)
        assert report.checked == 1
        n_lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        for d in report.diagnostics:
            assert d.code in RULES
            assert d.severity == RULES[d.code].severity
            assert d.message.strip()
            assert d.line is None or 1 <= d.line <= n_lines, (d, n_lines)
        has_error = any(d.severity == "error" for d in report.diagnostics)
        assert len(report.records) == (0 if has_error else 1)
        for record in report.records:
            assert record.derived.status in STATUSES


@given(data=st.binary(max_size=3000), fence=st.booleans())
@FAST
def test_arbitrary_bytes_never_raise(tmp_path_factory, data: bytes, fence: bool) -> None:
    box = Sandbox(tmp_path_factory.getbasetemp() / "fuzz-bytes")
    box.check((b"---\n" if fence else b"") + data)


@given(doc=documents, body=st.text(max_size=200))
@FAST
def test_arbitrary_yaml_never_raises(tmp_path_factory, doc: object, body: str) -> None:
    box = Sandbox(tmp_path_factory.getbasetemp() / "fuzz-yaml")
    box.check(("---\n" + _dump(doc) + "---\n" + body).encode("utf-8"))


@given(rec=mutated_records())
@FAST
def test_mutated_records_never_raise(tmp_path_factory, rec: dict) -> None:
    box = Sandbox(tmp_path_factory.getbasetemp() / "fuzz-mutated")
    box.check(("---\n" + _dump(rec) + "---\n正文\n").encode("utf-8"))


TEXT = record_text(base_record())
JUNK = st.sampled_from([":", "：", "\t", "\u3000", "-", '"', "'", "{", "}", "[", "]", "&", "*", "!", "%", "@",
                        "`", "|", ">", "#", " ", "\n", "?", ",", "---\n", "\r", "\ufeff", "\x00", "é"])


@given(edits=st.lists(st.tuples(st.integers(0, len(TEXT)), JUNK, st.booleans()), min_size=1, max_size=4))
@FAST
def test_damaged_text_never_raises(tmp_path_factory, edits: list) -> None:
    box = Sandbox(tmp_path_factory.getbasetemp() / "fuzz-text")
    text = TEXT
    for pos, junk, insert in edits:
        pos = min(pos, len(text))
        text = text[:pos] + junk + text[pos + (0 if insert else 1):]
    box.check(text.encode("utf-8"))


@given(choice=st.one_of(
    st.binary(max_size=500).map(lambda b: b"---\n" + b),
    documents.map(lambda d: ("---\n" + _dump(d) + "---\n").encode("utf-8")),
    mutated_records().map(lambda r: ("---\n" + _dump(r) + "---\n").encode("utf-8")),
))
@CLI
def test_cli_json_always_parses(tmp_path_factory, choice: bytes) -> None:
    box = Sandbox(tmp_path_factory.getbasetemp() / "fuzz-cli")
    box.record.write_bytes(choice)
    done = cli("validate", "content", "--today", TODAY.isoformat(), "--format", "json", cwd=box.root)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert data["records"] == 1
    assert data["errors"] == sum(d["severity"] == "error" for d in data["diagnostics"])
    assert (done.returncode == 1) == (data["errors"] > 0)


@given(doc=st.one_of(documents, st.fixed_dictionaries({"villages": st.lists(values, max_size=4)})))
@FAST
def test_arbitrary_registry_never_raises(tmp_path_factory, doc: object) -> None:
    box = Sandbox(tmp_path_factory.getbasetemp() / "fuzz-registry")
    (box.content / "villages.yml").write_text(_dump(doc), encoding="utf-8")
    box.record.write_text(TEXT, encoding="utf-8")
    report = validate(box.content, Settings(), TODAY)
    registry = [d for d in report.diagnostics if d.file.endswith("villages.yml")]
    assert all(d.code == "E090" for d in registry)
    assert all(d.code in RULES for d in report.diagnostics)


def _outcome(fn, node):
    try:
        return "ok", fn(node)
    except DuplicateKey as exc:
        return "duplicate", (exc.key, exc.line)
    except TooComplex:
        return "too complex", None


@given(doc=documents)
@FAST
def test_values_without_lines_equal_build(doc: object) -> None:
    """Records are parsed without line marks, which are worked out only for a record with
    something to report: both ways must give the same values and refuse the same things."""
    text = _dump(doc)
    for extra in ("", "\nx: 1\nx: 2\n" if isinstance(doc, dict) else ""):
        try:
            node = compose(text + extra)
        except yaml.YAMLError:
            continue
        if node is None:
            continue
        assert _outcome(lambda n: yamlnodes.values(n, first_line=2), node) == _outcome(
            lambda n: build(n, (), {}, first_line=2), node)


def test_values_limits_match_build() -> None:
    deep = compose("a: " + "[" * 45 + "]" * 45)
    wide = compose("[" + ", ".join(["1"] * 20001) + "]")
    for node in (deep, wide):
        assert _outcome(yamlnodes.values, node) == _outcome(lambda n: build(n, (), {}), node) == ("too complex", None)
