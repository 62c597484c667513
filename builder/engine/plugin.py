"""The MkDocs adapter: validate in ``on_config`` and start the side work (the notices' QR codes:
``fastpages.QRCodes``; attachments and open data: ``sidework``), add generated pages in
``on_files``, render the matter pages and start Pagefind in ``on_env``, hand each page its data in
``on_page_context``, finish the search index and wait for the side work in ``on_post_build``.
Everything else lives in MkDocs-free modules.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..cli import emit
from ..model.jsonschema import dumps as schema_json
from ..model.jsonschema import record_schema
from ..model.settings import Settings, build_date
from ..model.validate import Report, validate
from ..views import opendata
from ..views.guide import guide_markdown
from ..views.present import has_notice, url_of
from ..views.searchpage import search_page
from ..views.site import Asset, assets, build_site, record_order
from . import images, search
from .fastpages import MATTER, MatterRenderer, QRCodes
from .fork import ForkError
from .sidework import Refused, SideWork, SideWorkError, Writer, fork_from

log = logging.getLogger("mkdocs.plugins.cunwu")
HOLD_PAGES = 20_000  # rendered matter pages kept before writing them: about 360 MB


class CunwuConfig(base.Config):
    content = c.Type(str, default="content")
    disclosure_within_days = c.Type(int, default=7)
    notice_min_days = c.Type(int, default=7)
    result_within_days = c.Type(int, default=15)
    result_grace_days = c.Type(int, default=30)
    public_phones = c.ListOfItems(c.Type(str), default=[])
    repo_url = c.Type(str, default="")  # where records live, for history links (not Material's repo_url:
    repo_branch = c.Type(str, default="main")  # that one makes every phone call api.github.com)


def source_commit(root: Path) -> str:
    if os.environ.get("CUNWU_COMMIT") or os.environ.get("GITHUB_SHA"):
        return os.environ.get("CUNWU_COMMIT") or os.environ["GITHUB_SHA"]
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


class CunwuPlugin(BasePlugin[CunwuConfig]):
    def on_config(self, config):
        try:
            self.today = build_date()
        except ValueError as exc:
            raise PluginError(f"CUNWU_TODAY 不是 YYYY-MM-DD 格式：{os.environ.get('CUNWU_TODAY')}") from exc
        # MkDocs dates its sitemap by SOURCE_DATE_EPOCH: the same content and day give the same site.
        midnight = dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.content = (self.root / self.config.content).resolve()
        self.settings = Settings.from_mapping(dict(self.config))
        report = validate(self.content, self.settings, self.today)
        self._report_problems(report)
        self.report = report
        self.commit = source_commit(self.root)
        # QR codes, attachments and open data need nothing more: a second core makes them from here on.
        fork = len(report.records) >= fork_from()
        self.side = SideWork(functools.partial(self._side_files, config), Path(config.site_dir), fork=fork)
        voted = sorted(url_of(r) for r in report.records if has_notice(r))
        self.qr = QRCodes(config.site_url or "", voted, fork=fork)
        return config

    def _report_problems(self, report: Report) -> None:
        if not report.diagnostics:
            return
        out = io.StringIO()
        emit(report.diagnostics, report.checked, "text", out)
        sys.stderr.write(out.getvalue())
        if report.errors:
            raise PluginError(f"记录有 {report.errors} 个错误，网站没有生成。请按上面的提示修改。")

    def on_files(self, files: Files, config) -> Files:
        try:
            self.side.release()  # MkDocs has emptied the site folder by now
        except Refused as exc:  # made here, on a small site
            self._refuse(exc)
        repo = {"url": self.config.repo_url, "branch": self.config.repo_branch}
        site = build_site(self.report, self.content, self.today, self.commit, repo, config.site_name)
        site.pages.append(search_page(self.report))
        self.pages = {p.src_uri: p for p in site.pages if p.template != MATTER}
        self.matters = [p for p in site.pages if p.template == MATTER]  # rendered by fastpages
        for page in self.pages.values():
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        files.append(File.generated(config, "guide.md", content=guide_markdown()))
        return files

    def _side_files(self, config) -> Iterator[tuple[str, bytes | str]]:
        """Attachments and open data: written straight into the site, by ``sidework``."""
        records = sorted(self.report.records, key=record_order)
        for asset in assets(records, self.content):
            yield from self._published(asset)
        names = {v.id: v.name for v in self.report.villages.values()}
        yield from opendata.published(records, names, config.site_url or "", config.site_name,
                                      self.today, self.commit).items()
        yield "schema/record.json", schema_json(record_schema())

    def _published(self, asset: Asset) -> Iterator[tuple[str, bytes]]:
        if not asset.image:
            yield asset.dest, asset.source.read_bytes()
            return
        try:
            full, small = images.published(asset.source)
        except Exception as exc:  # a photo that passed verify() but fails to decode
            file = os.path.relpath(asset.source, self.root)
            raise Refused(f"{file}: E070 图片已损坏，无法重新编码（{type(exc).__name__}）\n"
                          "    提示：请重新导出或重新拍摄这张图片后再上传\n") from exc
        head, _, name = asset.dest.rpartition("/")
        yield asset.dest, full
        yield f"{head}/small/{name}", small

    def _refuse(self, exc: Refused) -> None:
        sys.stderr.write(str(exc))
        raise PluginError("附件图片已损坏，网站没有生成。") from exc

    def on_page_markdown(self, markdown, page, config, files):
        data = self.pages.get(page.file.src_uri)
        if data is not None:
            # Meta set here rather than as front matter: no YAML round trip, and the title and
            # description stay escaped (Material prints page.meta.title without escaping).
            page.meta = {"description": escape(data.description), "template": data.template, "hide": ["toc"]}
            if data.title:  # the home page has none: Material then titles it with the site name alone
                page.meta["title"] = escape(data.title)
        return markdown

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        try:
            qr = self.qr.codes()
        except ForkError as exc:
            raise PluginError(f"公告的二维码没有生成：\n{exc}") from exc
        renderer = MatterRenderer(env, config, files, self.nav, qr)
        self.indexer = search.Indexer()
        # Rendered newest first, the order of the index: Pagefind starts on the first batch while
        # the rest are rendered, and indexes them all while MkDocs renders and writes the others.
        # Sorted oldest first, so that pop() hands them over newest first.
        matters = sorted(self.matters, key=lambda p: (search.sort_key(p.context), p.src_uri))
        self.matters = []  # each page and its context let go once written: 100,000 of them held 2 GB
        self.searchable = bool(matters)  # a site with no matter yet has nothing to index
        self.indexer.expect(len(matters))
        self.writer, rendered = Writer(Path(config.site_dir)), []
        while matters:
            page = matters.pop()
            dest, html = page.src_uri.replace("index.md", "index.html"), renderer.matter(page)
            self.indexer.add(dest, html)
            rendered.append((dest, html))
            if len(rendered) == HOLD_PAGES:  # a very large site: no more than this held at once
                self.writer.write(rendered)
                rendered = []
        self.indexer.start()
        # Written once Pagefind has all its pages (written earlier, they delayed it), by a thread
        # while MkDocs renders the other pages; not handed to MkDocs, which would hold every page
        # until the build ends (2 GB at 100,000).
        self.writer.write(rendered)
        return env

    def on_page_context(self, context, page, config, nav):
        data = self.pages.get(page.file.src_uri)
        if data is not None:
            context["cunwu"] = data.context
        return context

    def on_post_build(self, config):
        # Every page is written: the records go before the merge of the search index, the largest
        # thing a build holds (at 100,000 matters, records and index together passed 8 GB).
        self.report = self.pages = None
        try:  # search/ finds matters through Pagefind's index, never Material's lunr
            if self.searchable:
                self.indexer.finish(Path(config.site_dir))
            self.writer.wait()
            self.side.wait()
        except Refused as exc:
            self._refuse(exc)
        except search.SearchError as exc:
            raise PluginError(str(exc)) from exc
        except SideWorkError as exc:
            raise PluginError(f"公开数据没有生成：\n{exc}") from exc
        finally:
            self.writer.close()
            self.indexer.close()
            self.side.close()

    def on_build_error(self, error):
        # A failed build must not leave the side process or Pagefind's batches running behind it.
        for worker in (getattr(self, "side", None), getattr(self, "qr", None), getattr(self, "indexer", None),
                       getattr(self, "writer", None)):
            if worker is not None:
                worker.close()

    def on_serve(self, server, config, builder):
        server.watch(str(self.content))
        return server
