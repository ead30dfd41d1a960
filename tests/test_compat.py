"""The compat distribution: ``import scrapy`` and the ``scrapy`` command run on ascrapy.

These tests need compat installed (``pip install . ./compat``, or ``pip install -e ./compat``
next to an editable ascrapy, as the README's test command does); without it they fail, as
tests/test_scrapy_project.py does, rather than skip and pass unseen.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

import ascrapy

COMPAT_HINT = "install the compat distribution: `pip install -e ./compat` from the repository root"
try:
    import scrapy
except ImportError as exc:  # not installed, or refusing to load next to real Scrapy
    pytest.fail(f"compat is not importable as `scrapy` ({exc}); {COMPAT_HINT}", pytrace=False)
if getattr(scrapy, "Spider", None) is not ascrapy.Spider:
    pytest.fail(f"`import scrapy` is {scrapy.__file__}, not compat's; {COMPAT_HINT}", pytrace=False)

from tests.sites import make_link_site, render_link_page, serve_app_in_thread  # noqa: E402

COMPAT_ROOT = Path(scrapy.__file__).resolve().parent
SCRAPY_COMMAND = shutil.which("scrapy", path=str(Path(sys.executable).parent))
needs_command = pytest.mark.skipif(SCRAPY_COMMAND is None, reason="no `scrapy` script beside this Python")

# Scrapy path -> ascrapy path of the same object (docs/internals.md).
SAME_OBJECTS = [
    ("scrapy.http.request.Request", "ascrapy.http.request.Request"),
    ("scrapy.http.request.form.FormRequest", "ascrapy.http.request.form.FormRequest"),
    ("scrapy.http.request.json_request.JsonRequest", "ascrapy.http.request.json_request.JsonRequest"),
    ("scrapy.http.request.rpc.XmlRpcRequest", "ascrapy.http.request.rpc.XmlRpcRequest"),
    ("scrapy.http.response.Response", "ascrapy.http.response.Response"),
    ("scrapy.http.response.text.TextResponse", "ascrapy.http.response.text.TextResponse"),
    ("scrapy.http.response.html.HtmlResponse", "ascrapy.http.response.html.HtmlResponse"),
    ("scrapy.http.response.xml.XmlResponse", "ascrapy.http.response.xml.XmlResponse"),
    ("scrapy.http.response.json.JsonResponse", "ascrapy.http.response.json.JsonResponse"),
    ("scrapy.http.Headers", "ascrapy.http.headers.Headers"),
    ("scrapy.http.cookies.CookieJar", "ascrapy.http.cookies.CookieJar"),
    ("scrapy.utils.request.fingerprint", "ascrapy.fingerprint.fingerprint"),
    ("scrapy.utils.request.RequestFingerprinter", "ascrapy.fingerprint.RequestFingerprinter"),
    ("scrapy.utils.request.request_from_dict", "ascrapy.utils.request.request_from_dict"),
    ("scrapy.responsetypes.responsetypes", "ascrapy.responsetypes.responsetypes"),
    ("scrapy.selector.Selector", "ascrapy.selector.Selector"),
    ("scrapy.item.Item", "ascrapy.item.Item"),
    ("scrapy.item.Field", "ascrapy.item.Field"),
    ("scrapy.loader.ItemLoader", "ascrapy.loader.ItemLoader"),
    ("scrapy.loader.processors.TakeFirst", "ascrapy.loader.processors.TakeFirst"),
    ("scrapy.loader.processors.MapCompose", "ascrapy.loader.processors.MapCompose"),
    ("scrapy.settings.Settings", "ascrapy.settings.Settings"),
    ("scrapy.settings.default_settings", "ascrapy.settings.defaults"),
    ("scrapy.exporters.JsonLinesItemExporter", "ascrapy.exporters.JsonLinesItemExporter"),
    ("scrapy.utils.conf.build_component_list", "ascrapy.utils.conf.build_component_list"),
    ("scrapy.utils.conf.closest_scrapy_cfg", "ascrapy.utils.project.closest_scrapy_cfg"),
    ("scrapy.utils.project.get_project_settings", "ascrapy.utils.project.get_project_settings"),
    ("scrapy.utils.log.configure_logging", "ascrapy.utils.log.configure_logging"),
    ("scrapy.utils.misc.load_object", "ascrapy.utils.misc.load_object"),
    ("scrapy.utils.misc.build_from_crawler", "ascrapy.utils.misc.build_from_crawler"),
    ("scrapy.utils.misc.create_instance", "ascrapy.utils.misc.create_instance"),
    ("scrapy.downloadermiddlewares.retry.RetryMiddleware", "ascrapy.middleware.downloader.retry.RetryMiddleware"),
    ("scrapy.downloadermiddlewares.offsite.OffsiteMiddleware", "ascrapy.middleware.downloader.offsite.OffsiteMiddleware"),
    ("scrapy.spidermiddlewares.depth.DepthMiddleware", "ascrapy.middleware.spider.depth.DepthMiddleware"),
    ("scrapy.middleware.MiddlewareManager", "ascrapy.middleware.manager.MiddlewareManager"),
    ("scrapy.extensions.closespider.CloseSpider", "ascrapy.extensions.closespider.CloseSpider"),
    ("scrapy.pipelines.ItemPipelineManager", "ascrapy.pipelines.ItemPipelineManager"),
    ("scrapy.core.engine.ExecutionEngine", "ascrapy.engine.engine.ExecutionEngine"),
    ("scrapy.core.scheduler.Scheduler", "ascrapy.engine.scheduler.Scheduler"),
    ("scrapy.core.scheduler.BaseScheduler", "ascrapy.engine.scheduler.BaseScheduler"),
    ("scrapy.squeues.PickleLifoDiskQueue", "ascrapy.squeues.PickleLifoDiskQueue"),
    ("scrapy.pqueues.DownloaderAwarePriorityQueue", "ascrapy.pqueues.DownloaderAwarePriorityQueue"),
    ("scrapy.core.downloader.Downloader", "ascrapy.engine.downloader.Downloader"),
    ("scrapy.core.downloader.handlers.http.HTTPDownloadHandler", "ascrapy.handlers.http.HTTPDownloadHandler"),
    ("scrapy.core.downloader.handlers._aiohttp.AiohttpDownloadHandler", "ascrapy.handlers.http.HTTPDownloadHandler"),
    # Scrapy's other HTTP handlers are aliases of ascrapy's one (README)
    ("scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler", "ascrapy.handlers.http.HTTPDownloadHandler"),
    ("scrapy.core.downloader.handlers._httpx.HttpxDownloadHandler", "ascrapy.handlers.http.HTTPDownloadHandler"),
    ("scrapy.core.downloader.handlers.http11.TunnelError", "ascrapy.handlers.http_errors.TunnelError"),
    ("scrapy.core.scraper.Scraper", "ascrapy.engine.scraper.Scraper"),
    ("scrapy.crawler.CrawlerProcess", "ascrapy.crawler.CrawlerProcess"),
    ("scrapy.signalmanager.SignalManager", "ascrapy.signalmanager.SignalManager"),
    ("scrapy.statscollectors.MemoryStatsCollector", "ascrapy.stats.MemoryStatsCollector"),
    ("scrapy.dupefilters.RFPDupeFilter", "ascrapy.dupefilters.RFPDupeFilter"),
    ("scrapy.logformatter.LogFormatter", "ascrapy.logformatter.LogFormatter"),
    ("scrapy.spiderloader.SpiderLoader", "ascrapy.spiderloader.SpiderLoader"),
    ("scrapy.spiders.CrawlSpider", "ascrapy.spiders.crawl.CrawlSpider"),
    ("scrapy.spiders.Rule", "ascrapy.spiders.crawl.Rule"),
    ("scrapy.spiders.SitemapSpider", "ascrapy.spiders.sitemap.SitemapSpider"),
    ("scrapy.linkextractors.LinkExtractor", "ascrapy.linkextractors.LinkExtractor"),
    ("scrapy.commands.ScrapyCommand", "ascrapy.cli.ScrapyCommand"),
    ("scrapy.cmdline.execute", "ascrapy.cli.main.execute"),
    ("scrapy.exceptions.DropItem", "ascrapy.exceptions.DropItem"),
    ("scrapy.signals.item_scraped", "ascrapy.signals.item_scraped"),
]


def _resolve(path: str) -> object:
    """The object at a dotted path: the longest importable module, then attributes."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        return obj
    raise ModuleNotFoundError(path)


def _compat_module_files() -> list[Path]:
    """compat's modules; its templates/ folder holds the project templates, which are data."""
    return [path for path in sorted(COMPAT_ROOT.rglob("*.py")) if path.relative_to(COMPAT_ROOT).parts[0] != "templates"]


def _compat_module_names() -> list[str]:
    names = []
    for path in _compat_module_files():
        parts = ("scrapy", *path.relative_to(COMPAT_ROOT).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


# -- the import package ---------------------------------------------------------------


def test_top_level_names_are_ascrapys() -> None:
    for name in ("Spider", "Request", "FormRequest", "Item", "Field", "Selector"):
        assert getattr(scrapy, name) is getattr(ascrapy, name), name
    # the Scrapy API level, not ascrapy's own version (tests/test_compat_packaging.py)
    assert (scrapy.__version__, scrapy.version_info) == ("2.19.0", (2, 19, 0))
    # itemadapter reads scrapy.item.Item from the package: the submodule must be loaded
    assert scrapy.item.Item is ascrapy.Item


@pytest.mark.parametrize(("scrapy_path", "ascrapy_path"), SAME_OBJECTS)
def test_scrapy_path_is_ascrapy_object(scrapy_path: str, ascrapy_path: str) -> None:
    assert _resolve(scrapy_path) is _resolve(ascrapy_path)


@pytest.mark.parametrize("module_name", _compat_module_names())
def test_every_compat_module_imports(module_name: str) -> None:
    """A module fails here once ascrapy renames or drops a name: rerun compat/generate.py."""
    importlib.import_module(module_name)


def _is_main_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node) == "if __name__ == '__main__':\n    execute()"


def _allowed(node: ast.stmt, path: Path) -> bool:
    """Re-exports only: imports from ascrapy, __all__, and the few fixed shapes generate.py writes."""
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").startswith("ascrapy") or path == COMPAT_ROOT / "__init__.py"
    if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__":
        return all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.value.elts)
    if isinstance(node, ast.Import):  # identity modules: import sys, import ascrapy.x
        return all(a.name == "sys" or a.name.startswith("ascrapy.") for a in node.names)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):  # identity: alias_module(...)
        call = node.value
        values = [*call.args[1:], *(keyword.value for keyword in call.keywords)]
        return (
            ast.unparse(call.func) == "alias_module"
            and ast.unparse(call.args[0]) == "__name__"
            and ast.unparse(call.args[1]).startswith("ascrapy.")
            and all(isinstance(value, (ast.Name, ast.Attribute)) for value in values)
        )
    return _is_main_guard(node) and path.name in ("__main__.py", "cmdline.py")


def test_compat_modules_hold_no_logic() -> None:
    for path in _compat_module_files():
        body = ast.parse(path.read_text(encoding="utf-8")).body
        assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant), path
        assert "\n" not in body[0].value.value, f"{path}: the docstring is one line"
        if path == COMPAT_ROOT / "__init__.py":  # the guard and the submodule finder come first
            preamble_end = max(i for i, n in enumerate(body) if isinstance(n, ast.Delete))
            body = body[preamble_end:]
        for node in body[1:]:
            assert _allowed(node, path), f"{path}: {ast.unparse(node)[:80]}"


def test_identity_modules_are_ascrapys_module_objects() -> None:
    import ascrapy.settings
    import ascrapy.settings.defaults
    import scrapy.settings.default_settings

    assert sys.modules["scrapy.settings"] is ascrapy.settings
    assert sys.modules["scrapy.settings.default_settings"] is ascrapy.settings.defaults
    assert scrapy.settings.default_settings is ascrapy.settings.defaults
    assert ascrapy.settings.defaults.__name__ == "ascrapy.settings.defaults"  # untouched by the alias


def test_patching_scrapy_default_settings_reaches_ascrapy(monkeypatch: pytest.MonkeyPatch) -> None:
    from ascrapy.settings import Settings

    replacement = types.ModuleType("replacement_defaults")
    replacement.ONLY_IN_REPLACEMENT = "yes"  # type: ignore[attr-defined]
    monkeypatch.setattr("scrapy.settings.default_settings", replacement)
    settings = Settings()
    assert settings["ONLY_IN_REPLACEMENT"] == "yes"
    assert "BOT_NAME" not in settings


def test_refuses_to_load_beside_real_scrapy(tmp_path: Path) -> None:
    """A scrapy dist-info of a version without compat's local label, found first on the path,
    is real Scrapy: fail, naming the fix."""
    dist_info = tmp_path / "scrapy-2.19.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: Scrapy\nVersion: 2.19.0\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, "-c", "import scrapy"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert "ImportError: Scrapy 2.19.0 is installed where ascrapy's compat `scrapy` is expected" in result.stderr
    assert "pip uninstall -y scrapy" in result.stderr


# -- settings a Scrapy project writes -------------------------------------------------


def _downloader_middleware_classes(settings: dict[str, object]) -> list[type]:
    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
    from scrapy.utils.test import get_crawler

    manager = DownloaderMiddlewareManager.from_crawler(get_crawler(settings_dict=settings))
    return [type(middleware) for middleware in manager.middlewares]


def test_scrapy_path_set_to_none_disables_ascrapys_middleware() -> None:
    from ascrapy.middleware.downloader.retry import RetryMiddleware

    assert RetryMiddleware in _downloader_middleware_classes({})
    disabled = {"DOWNLOADER_MIDDLEWARES": {"scrapy.downloadermiddlewares.retry.RetryMiddleware": None}}
    classes = _downloader_middleware_classes(disabled)
    assert RetryMiddleware not in classes
    assert len(classes) == len(_downloader_middleware_classes({})) - 1


def test_scrapy_path_with_an_order_moves_ascrapys_middleware() -> None:
    from ascrapy.middleware.downloader.useragent import UserAgentMiddleware

    moved = {"DOWNLOADER_MIDDLEWARES": {"scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 1}}
    classes = _downloader_middleware_classes(moved)
    assert classes.count(UserAgentMiddleware) == 1
    assert classes.index(UserAgentMiddleware) == 0


def test_scrapy_path_disables_ascrapys_spider_middleware() -> None:
    from ascrapy.middleware.spider.depth import DepthMiddleware
    from scrapy.core.spidermw import SpiderMiddlewareManager
    from scrapy.utils.test import get_crawler

    def classes(settings: dict[str, object]) -> list[type]:
        manager = SpiderMiddlewareManager.from_crawler(get_crawler(settings_dict=settings))
        return [type(middleware) for middleware in manager.middlewares]

    assert DepthMiddleware in classes({})
    assert DepthMiddleware not in classes({"SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None}})


# -- the scrapy command -----------------------------------------------------------------


def _run(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    env["HOME"] = str(cwd)
    env["XDG_CONFIG_HOME"] = str(cwd / ".config")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@needs_command
def test_scrapy_version(tmp_path: Path) -> None:
    result = _run([str(SCRAPY_COMMAND), "version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Scrapy 2.19.0\n"  # the API level, exactly as Scrapy prints it
    verbose = _run([str(SCRAPY_COMMAND), "version", "-v"], tmp_path)
    assert verbose.returncode == 0, verbose.stderr
    assert re.search(r"^Scrapy\s+: 2\.19\.0\b", verbose.stdout, re.M)
    assert re.search(rf"^ascrapy\s+: {re.escape(ascrapy.__version__)}$", verbose.stdout, re.M)
    header = _run([str(SCRAPY_COMMAND)], tmp_path)
    assert header.stdout.startswith("Scrapy 2.19.0 - no active project\n")  # the API level, as in Scrapy


def test_python_dash_m_scrapy(tmp_path: Path) -> None:
    result = _run([sys.executable, "-m", "scrapy"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage:\n  scrapy <command> [options] [args]" in result.stdout


SCRAPY_STYLE_SPIDER = '''
import scrapy
from scrapy.loader import ItemLoader
from scrapy.loader.processors import MapCompose, TakeFirst


class PageItem(scrapy.Item):
    url = scrapy.Field()
    title = scrapy.Field()
    price = scrapy.Field()


class PageLoader(ItemLoader):
    default_item_class = PageItem
    default_output_processor = TakeFirst()
    price_in = MapCompose(lambda text: text.lstrip("$"), float)


class PagesSpider(scrapy.Spider):
    name = "pages"
    custom_settings = {
        "DOWNLOADER_MIDDLEWARES": {"scrapy.downloadermiddlewares.retry.RetryMiddleware": None},
    }

    def start_requests(self):
        yield scrapy.Request(self.base_url + "/page/0", callback=self.parse)

    def parse(self, response):
        loader = PageLoader(response=response)
        loader.add_value("url", response.url)
        loader.add_css("title", "h1::text")
        loader.add_css("price", "dd.price::text")
        yield loader.load_item()
        for href in response.css("a.page-link::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
'''


@needs_command
def test_runspider_of_an_unmodified_scrapy_spider(tmp_path: Path) -> None:
    pages = 12
    (tmp_path / "pages_spider.py").write_text(textwrap.dedent(SCRAPY_STYLE_SPIDER))
    with serve_app_in_thread(make_link_site(pages, links_per_page=3)) as base_url:
        result = _run(
            [str(SCRAPY_COMMAND), "runspider", "pages_spider.py", "-a", f"base_url={base_url}", "-o", "items.jsonl"],
            tmp_path,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    items = [json.loads(line) for line in (tmp_path / "items.jsonl").read_text().splitlines()]
    assert sorted(item["url"] for item in items) == sorted(f"{base_url}/page/{n}" for n in range(pages))
    for item in items:
        number = int(item["url"].rsplit("/", 1)[1])
        price = re.search(r'class="price">\$([\d.]+)<', render_link_page(number, pages, 3))
        assert item == {"url": item["url"], "title": f"Page {number}", "price": float(price.group(1))}
    assert "[scrapy.core.engine]" in result.stderr  # Scrapy's logger names
