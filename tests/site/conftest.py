"""Fixtures: real `mkdocs build` runs of the project, and a loopback server for the browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-20"
SUBPATH = "cunwu"


def write_config(tmp: Path, content: Path, site_url: str = "https://example.org/cunwu/") -> Path:
    """A copy of mkdocs.yml whose paths point back into the project (or at ``content``)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=yaml.SafeLoader)
    config["docs_dir"] = str(ROOT / "docs")
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["site_url"] = site_url
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "cunwu" in entry:
            entry["cunwu"]["content"] = str(content)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mkdocs_build(config: Path, site_dir: Path, today: str = TODAY) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUNWU_TODAY": today, "NO_MKDOCS_2_WARNING": "1", "CUNWU_COMMIT": "0" * 40}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=env, cwd=config.parent, timeout=300)


def copy_content(tmp: Path) -> Path:
    target = tmp / "content"
    shutil.copytree(ROOT / "content", target)
    return target


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


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()
