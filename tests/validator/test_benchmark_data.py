"""The benchmark's generated content is what the figures claim: valid records of every status
and category, spread over many villages; and the benchmark runs end to end."""

from __future__ import annotations

import collections
import datetime as dt
import json

from vkit import ROOT

from benchmarks.generate import generate
from benchmarks.run import main as bench_main
from builder.engine.parallel import validate_content as validate
from builder.model.schema import CATEGORIES
from builder.model.settings import Settings
from builder.model.status import STATUSES

TODAY = dt.date(2026, 11, 20)


def test_generated_records_are_valid_and_varied(tmp_path) -> None:
    content = generate(tmp_path, 400, villages=120, seed=7, today=TODAY)
    report = validate(content, Settings(), TODAY)
    assert report.errors == 0, [d for d in report.diagnostics if d.severity == "error"][:5]
    assert len(report.records) == 400
    assert {d.code for d in report.diagnostics} <= {"W052", "W053"}  # only what the statuses imply
    statuses = collections.Counter(r.derived.status for r in report.records)
    assert set(statuses) == set(STATUSES)
    assert {r.data["category"] for r in report.records} == set(CATEGORIES)
    assert len({r.village for r in report.records}) == 120
    bodies = [len(r.raw.body) for r in report.records]
    assert 280 <= min(bodies) and max(bodies) <= 600


def test_generation_is_deterministic(tmp_path) -> None:
    a = generate(tmp_path / "a", 50, villages=10, seed=3, today=TODAY)
    b = generate(tmp_path / "b", 50, villages=10, seed=3, today=TODAY)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_benchmark_runs(tmp_path, capsys) -> None:
    out = tmp_path / "bench.json"
    code = bench_main(["--sizes", "30", "--repeat", "1", "--only", "validate,cold-start", "--keep", str(tmp_path / "data"), "--json", str(out)])
    assert code == 0
    table = capsys.readouterr().out
    assert "进程内 validate()" in table and "validate 一条记录" in table
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {r["section"] for r in rows} >= {"validate", "cold-start"}
    assert ROOT.is_dir()
