"""Helpers of the site and search tests: real `mkdocs build` runs of the project on copies of its content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.build import cunwu_config

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-20"
SUBPATH = "cunwu"
# The address the sample site is built for; the browser tests serve it from this sub-path.
SITE_URL = f"http://127.0.0.1:8000/{SUBPATH}/"


# One copy of mkdocs.yml pointing back into the project, shared with the benchmarks.
write_config = cunwu_config


def mkdocs_build(config: Path, site_dir: Path, today: str = TODAY, **extra_env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUNWU_TODAY": today, "NO_MKDOCS_2_WARNING": "1", "CUNWU_COMMIT": "0" * 40, **extra_env}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300)


def copy_content(tmp: Path) -> Path:
    target = tmp / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def search_entries(config: Path, site_dir: Path, today: str = TODAY) -> list[tuple[str, str]]:
    """A real build, in this process, of ``config`` into ``site_dir``; returns what Pagefind was
    handed of each matter (``search-entry.html``, which the pages do not carry), in the order handed."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from builder.engine import search

    entries: list[tuple[str, str]] = []
    add, saved = search.Indexer.add, dict(os.environ)

    def recorded(indexer: search.Indexer, dest: str, body: str) -> None:
        entries.append((dest, body))
        add(indexer, dest, body)

    os.environ.update({"CUNWU_TODAY": today, "CUNWU_COMMIT": "0" * 40, "NO_MKDOCS_2_WARNING": "1"})
    search.Indexer.add = recorded
    try:
        build(load_config(str(config), site_dir=str(site_dir)))
    finally:
        search.Indexer.add = add
        os.environ.clear()
        os.environ.update(saved)
    return entries
