"""Fixtures shared by the test folders: one Chromium for the whole session.

Playwright's sync API runs one instance per process: two folders each starting their own
(tests/site and tests/search in one xdist worker) failed with "Sync API inside the asyncio
loop". So the browser is started here, once, for every folder that drives one.
"""

from __future__ import annotations

import shutil

import pytest

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
