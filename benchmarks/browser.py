"""A built site served from a sub-path, and what real Chromium measures of it.

Shared by ``tests/search`` and ``benchmarks/build.py``. The server compresses text as GitHub
Pages does (HTML, CSS, JS, JSON, SVG with gzip; Pagefind's ``.pf_*`` files and WebAssembly are
already gzipped and go as they are), so transferred bytes are what a phone would receive.
"""

from __future__ import annotations

import gzip
import http.server
import io
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN"}
# The cheap phone: 4x slower CPU, 1.6 Mbit/s down, 150 ms latency (Lighthouse's "slow 4G").
SLOW_PHONE = {"cpu": 4, "latency": 150, "down": 1.6e6 / 8, "up": 750e3 / 8}
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".map", ".txt")


def chromium_path() -> str:
    return shutil.which("chromium") or CHROMIUM


class _Handler(http.server.SimpleHTTPRequestHandler):
    cache: dict = {}
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".wasm": "application/wasm", ".pagefind": "application/octet-stream"}

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the slash
            path = path / "index.html"
        if not (path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file()):
            return super().send_head()
        key = (str(path), path.stat().st_mtime_ns)
        body = self.cache.get(key)
        if body is None:
            body = self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path, subpath: str = "cunwu", workdir: Path | None = None):
    """Serve ``site`` at http://127.0.0.1:PORT/<subpath>/ from a thread; yield that URL."""
    import tempfile
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        root = Path(tmp)
        (root / subpath).symlink_to(Path(site).resolve(), target_is_directory=True)

        class Handler(_Handler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(root), **kw)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/{subpath}/"
        finally:
            server.shutdown()
            server.server_close()


class Transfer:
    """Bytes on the wire per request (CDP's encodedDataLength: headers and compressed body)."""

    def __init__(self, cdp):
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.started: dict[str, float] = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", lambda e: self.urls.__setitem__(e["requestId"], e["response"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: self.sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))

    def _sent(self, e) -> None:
        self.urls[e["requestId"]] = e["request"]["url"]
        self.started[e["requestId"]] = time.monotonic()

    def clear(self) -> None:
        self.urls.clear()
        self.sizes.clear()

    def total(self, contains: str = "") -> int:
        return sum(n for rid, n in self.sizes.items() if contains in self.urls.get(rid, ""))

    def files(self, contains: str = "") -> list[tuple[str, int]]:
        return sorted(((self.urls.get(rid, "?"), n) for rid, n in self.sizes.items()
                       if contains in self.urls.get(rid, "")), key=lambda x: -x[1])


def throttle(cdp, cpu: float = SLOW_PHONE["cpu"], latency: float = SLOW_PHONE["latency"],
             down: float = SLOW_PHONE["down"], up: float = SLOW_PHONE["up"]) -> None:
    """Chromium as the cheap phone of the issue (CDP Emulation and Network domains)."""
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency,
                                                  "downloadThroughput": down, "uploadThroughput": up})


def first_result(page, base: str, query: str, cdp=None, timeout: float = 60.0) -> dict:
    """Open search/ on ``page``, type ``query`` once the page has loaded and send it with 搜索, wait
    for the first result.

    Returns seconds from the first keystroke to the first result, the titles shown, and, when a
    CDP session is given, the bytes of Pagefind requests (``/pagefind/``) and of everything.
    """
    transfer = Transfer(cdp) if cdp is not None else None
    if cdp is not None:
        cdp.send("Network.enable")
    page.goto(base + "search/", wait_until="load")
    box = page.locator("#cw-q")
    box.wait_for(state="visible")
    t0 = time.monotonic()
    box.press_sequentially(query)
    page.locator(".cw-search__go").click()  # sent with 搜索, as a villager on a phone does
    page.locator("[data-cw-results] .cw-item").first.wait_for(timeout=timeout * 1000)
    seconds = time.monotonic() - t0
    page.wait_for_load_state("networkidle")
    out = {"seconds": seconds, "titles": page.locator("[data-cw-results] .cw-item__title").all_inner_texts()}
    if transfer is not None:
        out["pagefind_bytes"] = transfer.total("/pagefind/")
        out["all_bytes"] = transfer.total()
        out["pagefind_files"] = transfer.files("/pagefind/")
    return out
