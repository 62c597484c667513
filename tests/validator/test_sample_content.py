"""The sample content in content/ validates clean and shows every status and every category."""

from __future__ import annotations

import datetime as dt
import json

from vkit import ROOT, cli

from builder.engine.parallel import validate_content as validate
from builder.model.schema import CATEGORIES
from builder.model.settings import Settings
from builder.model.status import STATUSES

SAMPLE_DAY = dt.date(2026, 11, 20)  # the demo site's build date (Makefile CUNWU_TODAY)


def test_sample_content_validates_clean() -> None:
    done = cli("validate", "content", "--today", SAMPLE_DAY.isoformat(), "--format", "json", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    errors = [d for d in data["diagnostics"] if d["code"].startswith("E")]
    assert errors == [], errors
    assert data["records"] > 0


def test_sample_content_reaches_every_status_and_category() -> None:
    report = validate(ROOT / "content", Settings(), SAMPLE_DAY)
    assert report.errors == 0
    statuses = {r.derived.status for r in report.records}
    categories = {r.data["category"] for r in report.records}
    assert set(STATUSES) - statuses == set(), "statuses not shown by any sample record"
    assert set(CATEGORIES) - categories == set(), "categories without a sample record"
