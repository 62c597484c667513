"""The MkDocs adapter: validate in ``on_config`` and start the side work (the notices' QR codes:
``fastpages.QRCodes``; attachments and open data: ``sidework``), add generated pages and start
Pagefind on the matters in ``on_files``, render the matter pages in ``on_env``, hand each page its data in
``on_page_context``, finish the search index and wait for the side work in ``on_post_build``.
Everything else lives in MkDocs-free modules.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..model import sitenames
from ..model.jsonschema import dumps as schema_json
from ..model.jsonschema import record_schema
from ..model.report import Report, as_text
from ..model.rules import ERROR, diag
from ..model.settings import DEFAULTS, Settings, build_date
from ..views import opendata
from ..views.city import PAGE_SIZE, township_of
from ..views.guide import guide_markdown
from ..views.present import has_notice, summary_line, url_of
from ..views.searchpage import search_page
from ..views.site import Asset, Page, assets, build_site, matter_pages, record_order
from ..views.sitemap import sitemaps
from . import images, search
from .fastpages import MatterRenderer, QRCodes, SearchEntries, page_language
from .fork import ForkError
from .parallel import no_cyclic_gc, validate_content
from .sidework import Refused, SideWork, SideWorkError, Writer, fork_from

# The records' diagnostics go through MkDocs' logging, so that ``mkdocs build --strict`` counts
# the warnings. Its own level: they are shown under ``--quiet`` too (``make site`` is quiet), as
# the reasons a site looks as it does are the build's output, not chatter.
# (``get_plugin_logger``: under ProperDocs, which aliases ``mkdocs``, it is ProperDocs' logger.)
log = get_plugin_logger("cunwu")
log.logger.setLevel(logging.INFO)
HOLD_PAGES = 20_000  # rendered matter pages kept at most before writing them (README: Performance)


class CunwuConfig(base.Config):
    content = c.Type(str, default="content")
    disclosure_within_days = c.Type(int, default=DEFAULTS.disclosure_within_days)
    notice_min_days = c.Type(int, default=DEFAULTS.notice_min_days)
    result_within_days = c.Type(int, default=DEFAULTS.result_within_days)
    result_grace_days = c.Type(int, default=DEFAULTS.result_grace_days)
    public_phones = c.ListOfItems(c.Type(str), default=list(DEFAULTS.public_phones))
    repo_url = c.Type(str, default="")  # where records live, for history links (not Material's repo_url:
    repo_branch = c.Type(str, default="main")  # that one makes every phone call api.github.com)
    page_size = c.Type(int, default=PAGE_SIZE)  # matters a list page shows (builder/views/city.py)
    search_part = c.Type(int, default=search.PART)  # matters a part of the search index holds (engine/search.py)


def source_commit(root: Path) -> str:
    if os.environ.get("CUNWU_COMMIT") or os.environ.get("GITHUB_SHA"):
        return os.environ.get("CUNWU_COMMIT") or os.environ["GITHUB_SHA"]
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"


def our_templates(custom_dir: str | None) -> frozenset[str]:
    """The names of the templates in our ``overrides`` folder, as Jinja names them."""
    if not custom_dir:
        return frozenset()
    root = Path(custom_dir)
    return frozenset(p.relative_to(root).as_posix() for p in root.rglob("*.html") if "assets" not in p.parts)


def autoescape_ours(env, custom_dir: str | None) -> None:
    """Every template of ours escapes what it prints, by construction; Material's never do.

    MkDocs' Jinja environment has autoescape off, and Material relies on it (``page.content`` is a
    plain ``str``); a template of ours that forgot its ``{% autoescape true %}`` once printed record
    titles raw. Jinja decides per template name when it compiles a template, so each template
    found in our folder is compiled escaping, and a new one is without anyone remembering to."""
    ours = our_templates(custom_dir)
    env.autoescape = lambda name: name in ours
    if env.cache is not None:  # nothing is compiled before on_env; emptied in case a plugin did
        env.cache.clear()


_DICT_NAMES = frozenset(dir(dict))


def quick_keys(env) -> None:
    """``m.title`` in any template of ``env`` (ours and Material's) reads the key of a plain dict
    at once. Jinja's ``getattr`` first looks for an attribute of that name and catches the
    AttributeError, for every such lookup of every matter page: a large part of their rendering.
    The value is Jinja's: a plain dict has no attributes but those of ``dict``, and those names
    still go to Jinja."""
    slow = env.getattr

    def getattr_(obj, attribute: str):
        if type(obj) is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return env.undefined(obj=obj, name=attribute)
        return slow(obj, attribute)

    env.getattr = getattr_  # compiled templates call environment.getattr(obj, "name")


class CunwuPlugin(BasePlugin[CunwuConfig]):
    def on_config(self, config):
        """First event: the configuration is validated, the site folder not yet emptied.

        Assumes: ``CUNWU_TODAY`` (or today) is the build date, the content folder is
        ``self.config.content`` beside mkdocs.yml. Does: validates every record (an error stops
        the build here, before any page is made), sets ``SOURCE_DATE_EPOCH`` from the build date,
        and starts the side work (QR codes; attachments and open data), which from now on may run
        in second processes. Changes nothing in ``config``."""
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
        report = validate_content(self.content, self.settings, self.today, keep=True)
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
        for d in report.diagnostics:
            (log.error if d.severity == ERROR else log.warning)(as_text(d))
        log.info(f"检查了 {report.checked} 条记录：{report.errors} 个错误，{report.warnings} 个警告")
        if report.errors:
            raise PluginError(f"记录有 {report.errors} 个错误，网站没有生成。请按上面的提示修改。")

    def on_files(self, files: Files, config) -> Files:
        """The documentation files are collected; MkDocs has emptied the site folder.

        Assumes: ``on_config`` validated the records. Does: lets the side work write into the
        site folder, works out every page of the site (``views.site``) and adds the ones MkDocs
        renders (home, villages, lists, statistics, data, search, guide) as generated files; the
        matter pages are kept for ``on_env``, and what Pagefind reads of each is handed to it as
        each is made (``_index_matters``). Returns ``files`` with those pages added."""
        try:
            self.side.release()  # MkDocs has emptied the site folder by now
        except Refused as exc:  # made here, on a small site
            self._refuse(exc)
        repo = {"url": self.config.repo_url, "branch": self.config.repo_branch}
        with no_cyclic_gc(keep=True):  # unfrozen in on_post_build
            self.matters = self._index_matters(config, repo)
            site = build_site(self.report, self.content, self.today, self.commit, repo,
                              page_size=self.config.page_size)
        site.pages.append(search_page(self.report))
        self.pages = {p.src_uri: p for p in site.pages}
        for page in self.pages.values():
            files.append(File.generated(config, page.src_uri, content=""))  # templates show them
        files.append(File.generated(config, f"{sitenames.GUIDE}.md", content=guide_markdown()))
        self.files = files  # for the sitemap
        return files

    def _index_matters(self, config, repo: dict) -> list[Page]:
        """Every matter page, newest first (the order of the search index), each handed to
        Pagefind as soon as it is made: its runs start on the first batch while the other
        matters and pages are still worked out, on a core that would otherwise wait."""
        env = config.theme.get_env()  # MkDocs makes its own for the pages, from the same theme
        autoescape_ours(env, config.theme.custom_dir)
        quick_keys(env)
        entries = SearchEntries(env)
        self.indexer = search.Indexer(part=self.config.search_part, lang=page_language(env, config))
        records = sorted(self.report.records, key=lambda r: search.sort_key(summary_line(r)), reverse=True)
        self.indexer.expect(len(records))
        matters = []
        for page in matter_pages(self.report, records, self.content, self.today, repo):
            self.indexer.add(page.src_uri.replace("index.md", "index.html"), entries.render(page))
            matters.append(page)
        self.indexer.start()
        self.indexer.merge_early(config.site_dir)
        self.searchable = bool(matters)  # a site with no matter yet has nothing to index
        self.matter_urls = sorted(p.src_uri.removesuffix("index.md") for p in matters)  # for the sitemap
        return matters

    def _side_files(self, config) -> Iterator[tuple[str, bytes | str]]:
        """Attachments and open data: written straight into the site, by ``sidework``."""
        records = sorted(self.report.records, key=record_order)
        for asset in assets(records, self.content):
            yield from self._published(asset)
        names = {v.id: v.name for v in self.report.villages.values()}
        yield from opendata.published(records, names, config.site_url or "", config.site_name,
                                      self.today, self.commit,
                                      township_of(list(self.report.villages.values()))).items()
        yield f"{sitenames.SCHEMA}/record.json", schema_json(record_schema())

    def _published(self, asset: Asset) -> Iterator[tuple[str, bytes]]:
        if not asset.image:
            yield asset.dest, asset.source.read_bytes()
            return
        try:
            full, small = images.published(asset.source)
        except Exception as exc:  # a photo that passed verify() but fails to decode
            file = os.path.relpath(asset.source, self.root)
            found = diag(file, None, "E070", file=asset.source.name, detail=f"图片已损坏，无法重新编码（{type(exc).__name__}）",
                         hint="请重新导出或重新拍摄这张图片后再上传")
            raise Refused(as_text(found)) from exc
        head, _, name = asset.dest.rpartition("/")
        yield asset.dest, full
        yield f"{head}/small/{name}", small

    def _refuse(self, exc: Refused) -> None:
        log.error(str(exc))
        raise PluginError("附件图片已损坏，网站没有生成。") from exc

    def on_page_markdown(self, markdown, page, config, files):
        """A page's Markdown is read. For the generated pages only (the guide and the site's
        own pages), sets ``page.meta`` (title, description, template); the Markdown is returned
        as it is."""
        data = self.pages.get(page.file.src_uri)
        if data is not None:
            # Meta set here rather than as front matter: no YAML round trip, and the title and
            # description stay escaped (Material prints page.meta.title without escaping).
            page.meta = {"description": escape(data.description), "template": data.template, "hide": ["toc"]}
            if data.title:  # the home page has none: Material then titles it with the site name alone
                page.meta["title"] = escape(data.title)
        return markdown

    def on_nav(self, nav, config, files):
        """The navigation is built: kept for rendering the matter pages' frame; unchanged."""
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        """The Jinja2 environment is ready, before MkDocs renders any page.

        Assumes: ``on_files`` kept the matter pages (and handed them to Pagefind) and the QR codes
        are (being) made. Does: renders every matter page into Material's frame (``fastpages``)
        and hands them to a thread that writes them into the site folder; MkDocs never sees them.
        Makes every template of ours (``overrides/``) escape what it prints; Material's stay as
        they are. Replaces ``env.getattr`` by ``quick_keys``' (the same values). Returns ``env``."""
        autoescape_ours(env, config.theme.custom_dir)
        quick_keys(env)
        try:
            qr = self.qr.codes()
        except ForkError as exc:
            raise PluginError(f"公告的二维码没有生成：\n{exc}") from exc
        renderer = MatterRenderer(env, config, files, self.nav, qr)
        matters, self.matters = self.matters, []  # each page and its context let go once written: all held are gigabytes
        matters.reverse()  # pop() hands them over newest first, as Pagefind has them
        self.writer, rendered = Writer(Path(config.site_dir)), []
        while matters:
            page = matters.pop()
            dest, html = page.src_uri.replace("index.md", "index.html"), renderer.matter(page)
            rendered.append((dest, html))
            if len(rendered) == HOLD_PAGES:  # a very large site: no more than this held at once
                self.writer.write(rendered)
                rendered = []
        # Written by a thread while MkDocs renders the other pages; not handed to MkDocs, which
        # would hold every page until the build ends (gigabytes on a very large site).
        self.writer.write(rendered)
        return env

    def on_page_context(self, context, page, config, nav):
        """A generated page is about to be rendered: puts its data in ``context["cunwu"]`` for
        its template; other pages are left as they are."""
        data = self.pages.get(page.file.src_uri)
        if data is not None:
            context["cunwu"] = data.context
        return context

    def on_post_build(self, config):
        """Every page MkDocs renders is written.

        Assumes: the matter pages went to Pagefind and the writer in ``on_env``. Does: lets the
        records go, merges Pagefind's batches into one index, and waits for
        the writer and the side work; a photo that does not re-encode (E070) or a failed side
        process stops the build here."""
        # Every page is written: the records go before the merge of the search index, the largest
        # thing a build holds (on a very large site, records and index together passed the memory bound).
        self.report = self.pages = None
        try:  # search/ finds matters through Pagefind's index, never Material's lunr
            if self.searchable:
                self.indexer.finish(Path(config.site_dir))
            self.writer.wait()
            self._sitemap(config)
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
            gc.unfreeze()  # collected as usual again (mkdocs serve builds again and again)

    def _sitemap(self, config) -> None:
        """Every page, matter pages included (MkDocs' own sitemap knows only its pages): written
        over MkDocs' sitemap.xml, as a sitemap index once there are too many for one file."""
        urls = sorted({f.url.removeprefix("./") for f in self.files.documentation_pages()} | set(self.matter_urls))
        for name, data in sitemaps(urls, config.site_url or "", self.today).items():
            (Path(config.site_dir) / name).write_bytes(data)

    def on_build_error(self, error):
        """The build failed anywhere: stops the second processes, Pagefind and the writer, so
        that nothing keeps running behind it. Changes nothing."""
        # A failed build must not leave the side process or Pagefind's batches running behind it.
        for worker in (getattr(self, "side", None), getattr(self, "qr", None), getattr(self, "indexer", None),
                       getattr(self, "writer", None)):
            if worker is not None:
                worker.close()
        gc.unfreeze()

    def on_serve(self, server, config, builder):
        """``mkdocs serve``: also rebuilds when a record or attachment changes."""
        server.watch(str(self.content))
        return server
