"""Fixtures: the sample site built once, and a loopback server for the browser."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from sitekit import ROOT, SUBPATH, mkdocs_build, write_config


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The sample content built as the demo is, once per test session."""
    tmp = tmp_path_factory.mktemp("sample")
    config = write_config(tmp, ROOT / "content", site_url=f"http://127.0.0.1/{SUBPATH}/")
    out = tmp / "site"
    done = mkdocs_build(config, out)
    assert done.returncode == 0, done.stderr
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def served(site: Path, tmp_path_factory) -> str:
    """The built site served from a sub-path (/cunwu/), as on GitHub Pages."""
    root = tmp_path_factory.mktemp("www")
    (root / SUBPATH).symlink_to(site, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    server.shutdown()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# The browser fixture is in tests/conftest.py: one Playwright per process, shared with tests/search.
