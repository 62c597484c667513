"""A real `mkdocs build` given careless and hostile input at loading (issue 10): it stops with the
coded reason, never with a crash, and the site's own names cannot be taken by a village."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import copy_content, mkdocs_build, write_config

from builder.model.sitenames import RESERVED


def test_every_top_level_name_of_the_site_is_a_village_or_reserved(site: Path) -> None:
    villages = {p.name for p in (Path(__file__).resolve().parents[2] / "content").iterdir() if p.is_dir()}
    names = {p.name for p in site.iterdir()}
    assert names - villages <= RESERVED, sorted(names - villages - RESERVED)
    assert not villages & RESERVED


def test_a_village_named_like_a_site_folder_stops_the_build(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    registry = content / "villages.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("id: shiqiao", "id: pagefind"), encoding="utf-8")
    (content / "shiqiao").rename(content / "pagefind")
    for record in (content / "pagefind").glob("*.md"):
        record.write_text(record.read_text(encoding="utf-8").replace("village: shiqiao", "village: pagefind"),
                          encoding="utf-8")
    done = mkdocs_build(write_config(tmp_path, content), tmp_path / "site")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "E090 村代码 pagefind 是网站自己使用的名称" in done.stderr
    assert "E022" not in done.stderr


@pytest.mark.parametrize(("old", "new", "code"), [
    ("title: ", "title: " + "[" * 50000 + "\nx: ", "E002"),  # libyaml's composer would overflow the C stack
    ("title: 关于", 'title: "\\x01关于', "E007"),  # would crash the feed writer
    ("budget: 680000.00", "budget: 1.0e+400", "E012"),  # would crash the money formatting
])
def test_hostile_record_stops_the_build_with_its_code(tmp_path: Path, old: str, new: str, code: str) -> None:
    content = copy_content(tmp_path)
    record = content / "dongliu/2026-006.md"
    text = record.read_text(encoding="utf-8").replace(old, new, 1)
    if new.startswith('title: "'):
        line = next(x for x in text.split("\n") if x.startswith("title: "))
        text = text.replace(line, line + '"', 1)
    record.write_text(text, encoding="utf-8")
    done = mkdocs_build(write_config(tmp_path, content), tmp_path / "site")
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert f"2026-006.md:3: {code} " in done.stderr or f"2026-006.md:7: {code} " in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_deep_registry_stops_the_build(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    (content / "villages.yml").write_text("villages: " + "[" * 50000 + "\n", encoding="utf-8")
    done = mkdocs_build(write_config(tmp_path, content), tmp_path / "site")
    assert done.returncode == 1 and "E090" in done.stderr and "嵌套" in done.stderr
    assert "E022" not in done.stderr and "Traceback" not in done.stderr
