"""Insurance for MkDocs' end of life: the sample site builds with ProperDocs 1.6.7 (the maintained
fork of MkDocs 1.6) to the same files as with MkDocs 1.6.1, the generator tag aside."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import properdocs  # noqa: F401  (pinned in requirements.txt: a missing fork is a failure, not a skip)
from buildkit import ROOT, SITE_URL, TODAY, write_config

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(tool: str, config: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUNWU_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "CUNWU_COMMIT": "0" * 40}
    return subprocess.run([sys.executable, "-m", tool, "build", "-q", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300, check=False)


def _files(site: Path) -> dict[Path, bytes]:
    return {p.relative_to(site): GENERATOR.sub(b"", p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    config = write_config(tmp_path, ROOT / "content", site_url=SITE_URL)
    for tool in ("mkdocs", "properdocs"):
        done = _build(tool, config, tmp_path / tool)
        assert done.returncode == 0, f"{tool}: {done.stderr}"
        assert "W052" in done.stderr  # the plugin ran, and its diagnostics reached the tool's log
    with_mkdocs, with_properdocs = _files(tmp_path / "mkdocs"), _files(tmp_path / "properdocs")
    assert with_mkdocs.keys() == with_properdocs.keys()
    assert [p for p in with_mkdocs if with_mkdocs[p] != with_properdocs[p]] == []
    home = (tmp_path / "properdocs" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-' in home  # it was ProperDocs


def test_the_generator_tag_is_all_that_is_set_aside(tmp_path: Path) -> None:
    """The comparison above would see any other difference."""
    site = tmp_path / "s"
    site.mkdir()
    (site / "a.html").write_bytes(b'<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1"><p>x</p>')
    (site / "b.html").write_bytes(b'<meta name="generator" content="x"><p>y</p>')
    files = _files(site)
    assert files[Path("a.html")] == b"<p>x</p>" and files[Path("b.html")] == b"<p>y</p>"
