"""Helpers of the search tests (a module of its own: tests/site has a conftest too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.build import cunwu_config

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = "2026-11-20"
SUBPATH = "cunwu"


# One copy of mkdocs.yml pointing back into the project, shared with the benchmarks.
write_config = cunwu_config


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUNWU_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "CUNWU_COMMIT": "0" * 40}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300)
