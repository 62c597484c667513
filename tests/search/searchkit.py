"""Helpers of the search tests (a module of its own: tests/site has a conftest too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = "2026-11-20"
SUBPATH = "cunwu"


def write_config(tmp: Path, content: Path, site_url: str) -> Path:
    """A copy of mkdocs.yml pointing back into the project, with another site_url."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["site_url"] = site_url
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "cunwu" in entry:
            entry["cunwu"]["content"] = str(content)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUNWU_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "CUNWU_COMMIT": "0" * 40}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300)
