"""Fixtures shared by the test folders: the sample site, built and served once, and one
Chromium for the whole session.

Playwright's sync API runs one instance per process: two folders each starting their own
(tests/site and tests/search in one xdist worker) failed with "Sync API inside the asyncio
loop". So the browser is started here, once, for every folder that drives one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildkit import ROOT, SITE_URL, SUBPATH, mkdocs_build, write_config

from benchmarks.browser import serve

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The sample content built as the demo is, once per test session."""
    tmp = tmp_path_factory.mktemp("sample")
    out = tmp / "site"
    done = mkdocs_build(write_config(tmp, ROOT / "content", site_url=SITE_URL), out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def served(site: Path) -> str:
    """http://127.0.0.1:PORT/cunwu/ : the built site from a sub-path, as on GitHub Pages."""
    with serve(site, SUBPATH) as url:
        yield url
