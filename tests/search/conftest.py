"""Fixtures: the sample site built with a sub-path site_url, served under /cunwu/, and Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.browser import CHROMIUM_ARGS, PHONE, chromium_path, serve  # noqa: E402

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


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("search-site")
    config = write_config(tmp, ROOT / "content", site_url=f"http://127.0.0.1:8000/{SUBPATH}/")
    out = tmp / "site"
    done = mkdocs_build(config, out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def base(site: Path) -> str:
    """http://127.0.0.1:PORT/cunwu/ : the site from a sub-path, as on GitHub Pages."""
    with serve(site, SUBPATH) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    """A fresh 360×740 phone context; page errors fail the test."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()
    assert errors == []
