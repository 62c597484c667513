"""The records' diagnostics go through MkDocs' logging: ``mkdocs build --strict`` counts a record's
warning, and ``--quiet`` still shows it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from buildkit import ROOT, TODAY, copy_content, write_config


def _build(config: Path, site: Path, *flags: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUNWU_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "CUNWU_COMMIT": "0" * 40}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *flags, "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300, check=False)


def _without_warnings(tmp_path: Path) -> Path:
    """The sample content less the records that have a warning today."""
    content = copy_content(tmp_path)
    done = subprocess.run([sys.executable, "-m", "builder", "validate", str(content), "--format", "json",
                           "--today", TODAY], capture_output=True, text=True, cwd=ROOT, check=True)
    for d in json.loads(done.stdout)["diagnostics"]:
        Path(d["file"]).unlink(missing_ok=True)  # absolute: the copy is outside the working directory
    return content


def test_a_record_without_warnings_passes_strict(tmp_path: Path) -> None:
    content = _without_warnings(tmp_path)
    done = _build(write_config(tmp_path, content), tmp_path / "site", "--strict")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr


def test_a_record_with_a_warning_fails_strict_and_passes_without(tmp_path: Path) -> None:
    content = _without_warnings(tmp_path)
    record = content / "dongliu/2025-003.md"
    record.write_text(record.read_text(encoding="utf-8") + "\n<b>加粗</b>\n", encoding="utf-8")  # W070
    config = write_config(tmp_path, content)
    strict = _build(config, tmp_path / "strict", "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    assert "W070" in strict.stderr and "Aborted with 1 warnings in strict mode" in strict.stdout + strict.stderr
    quiet = _build(config, tmp_path / "quiet", "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert "WARNING -  " in quiet.stderr and "W070" in quiet.stderr  # shown through MkDocs' logger, even quiet
