"""Shared helpers: small content folders, real git repositories, and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2024-04-01"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

VILLAGES = """\
villages:
  - id: dongwang
    name: 东王村
  - id: xiwang
    name: 西王村
"""

# Disclosed on 2024-03-16: steps 1-5 done; E080/E081 guard it from then on.
DISCLOSED = """\
---
id: 2024-001
title: 关于村东道路硬化的事项
village: dongwang
category: public-works
budget: 120000.00
proposal:
  date: 2024-03-02
  attendance: {expected: 5, present: 5}
  outcome: passed
deliberation:
  date: 2024-03-05
  attendance: {expected: 9, present: 8}
  outcome: passed
review:
  date: 2024-03-10
  attendance: {expected: 42, present: 35}
  votes: {for: 33, against: 1, abstain: 1}
resolution:
  body: representatives
  date: 2024-03-15
  attendance: {expected: 45, present: 38}
  votes: {for: 36, against: 2, abstain: 0}
  text: 同意硬化村东道路 800 米，预算 120000.00 元。
disclosure:
  date: 2024-03-16
  until: 2024-03-23
  channels: [公开栏, 微信群]
---
村东道路是土路，雨天泥泞。
"""

# Still being deliberated: nothing is disclosed, so it may change or go.
DELIBERATING = """\
---
id: 2024-002
title: 关于修缮村委会办公室的事项
village: dongwang
category: public-works
proposal:
  date: 2024-03-20
  attendance: {expected: 5, present: 5}
  outcome: passed
---
办公室屋顶漏雨。
"""


def make_content(root: Path, records: dict[str, str] | None = None) -> Path:
    """``root/content`` with villages.yml and ``records`` ({"dongwang/2024-001.md": text})."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "villages.yml").write_text(VILLAGES, encoding="utf-8")
    for village in ("dongwang", "xiwang"):
        (content / village).mkdir(exist_ok=True)
    for rel, text in (records or {}).items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return content


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["CUNWU_TODAY"] = TODAY
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """``python -m builder ARGS`` as a user runs it, in ``cwd``."""
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=cli_env(**env),
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def validate_json(cwd: Path, *args: str) -> tuple[int, dict]:
    done = run_cli("validate", *args, "--format", "json", "--today", TODAY, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def codes(report: dict) -> list[str]:
    return [d["code"] for d in report["diagnostics"]]


class Repo:
    """A real git repository in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "测试")
        self.git("config", "user.email", "test@example.invalid")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=False,
                              env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path)
