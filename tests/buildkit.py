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


