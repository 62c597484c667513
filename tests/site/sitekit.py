"""Helpers for the site tests: real `mkdocs build` runs of the project on copies of its content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-20"
SUBPATH = "cunwu"


def write_config(tmp: Path, content: Path, site_url: str = "https://example.org/cunwu/") -> Path:
    """A copy of mkdocs.yml whose paths point back into the project (or at ``content``)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=yaml.SafeLoader)
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["site_url"] = site_url
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "cunwu" in entry:
            entry["cunwu"]["content"] = str(content)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_build(config: Path, site_dir: Path, today: str = TODAY) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUNWU_TODAY": today, "NO_MKDOCS_2_WARNING": "1", "CUNWU_COMMIT": "0" * 40}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300)


def copy_content(tmp: Path) -> Path:
    target = tmp / "content"
    shutil.copytree(ROOT / "content", target)
    return target


