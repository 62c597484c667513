"""Fixtures: the sample site built with a sub-path site_url, served under /cunwu/, and Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from searchkit import ROOT, SUBPATH, mkdocs_build, write_config

from benchmarks.browser import PHONE, serve


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
