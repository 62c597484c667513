"""Fixtures: a phone page in the session's Chromium (the sample site is tests/conftest.py's)."""

from __future__ import annotations

import pytest
from buildkit import ROOT, SITE_URL, search_entries, write_config

from benchmarks.browser import PHONE


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


@pytest.fixture(scope="session")
def entries(tmp_path_factory) -> list[tuple[str, str]]:
    """What Pagefind is handed of each sample matter, from a build like the ``site`` fixture's."""
    tmp = tmp_path_factory.mktemp("entries")
    return search_entries(write_config(tmp, ROOT / "content", site_url=SITE_URL), tmp / "site")
