"""Module identity: where one Scrapy module corresponds to one ascrapy module, ``scrapy.x.y``
is ascrapy's module object itself, so a patch on the Scrapy path reaches the code that runs
(the patch targets of scrapy-deltafetch's and scrapy-redis's own tests first)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import warnings
from pathlib import Path
from unittest import mock

import ascrapy.spiders
import ascrapy.utils.project
import scrapy
from scrapy.http import Request
from scrapy.settings import Settings
from scrapy.spiders import Spider
from tests.test_compat import _compat_module_names


def test_patching_project_data_dir_reaches_data_path(tmp_path: Path) -> None:
    """scrapy-deltafetch's tests patch these two and expect data_path to follow."""
    from scrapy.utils.project import data_path

    with (
        mock.patch("scrapy.utils.project.project_data_dir") as data_dir,
        mock.patch("scrapy.utils.project.inside_project") as in_project,
    ):
        data_dir.return_value = str(tmp_path)
        in_project.return_value = True
        assert data_path("deltafetch") == str(tmp_path / "deltafetch")
        assert ascrapy.utils.project.data_path("other") == str(tmp_path / "other")
    assert data_path("deltafetch") != str(tmp_path / "deltafetch")


class _MockRequest(Request):
    pass


def test_patching_scrapy_spiders_request_reaches_start_requests() -> None:
    """scrapy-redis's tests patch scrapy.spiders.Request."""
    assert scrapy.spiders.Request is Request
    spider = Spider(name="s", start_urls=["http://example.com/a"])
    with mock.patch("scrapy.spiders.Request", _MockRequest):
        requests = list(spider.start_requests())
    assert [type(r) for r in requests] == [_MockRequest]
    assert type(next(iter(spider.start_requests()))) is Request  # patch undone


def test_scrapys_imported_names_are_there_without_replacing_ascrapys() -> None:
    import scrapy.utils.project

    assert scrapy.utils.project.Settings is Settings  # Scrapy's module imports it; ascrapy's did not
    assert sys.modules["scrapy.spiders"] is ascrapy.spiders


def test_a_submodule_of_an_aliased_package_is_loaded_once() -> None:
    import ascrapy.spiders.crawl
    import scrapy.spiders.crawl

    assert scrapy.spiders.crawl is ascrapy.spiders.crawl
    assert scrapy.spiders.CrawlSpider is ascrapy.spiders.crawl.CrawlSpider


def test_a_reexport_module_below_an_aliased_package_is_compats() -> None:
    import ascrapy.handlers
    import scrapy.core.downloader.handlers
    from ascrapy.handlers.http import HTTPDownloadHandler

    assert scrapy.core.downloader.handlers is ascrapy.handlers
    aiohttp_module = importlib.import_module("scrapy.core.downloader.handlers._aiohttp")
    assert Path(aiohttp_module.__file__).parent.parts[-3:] == ("core", "downloader", "handlers")
    assert aiohttp_module.AiohttpDownloadHandler is HTTPDownloadHandler


def test_no_ascrapy_file_is_loaded_twice() -> None:
    """Every compat module imported: no two module objects come from one file."""
    with warnings.catch_warnings():  # deprecated modules (scrapy.mail) warn on import
        warnings.simplefilter("ignore")
        for name in _compat_module_names():
            importlib.import_module(name)
    by_file: dict[str, list[str]] = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and module.__name__ == name:
            by_file.setdefault(str(Path(path).resolve()), []).append(name)
    assert {path: names for path, names in by_file.items() if len(names) > 1} == {}


def test_import_scrapy_keeps_ascrapys_lazy_modules_unloaded() -> None:
    code = "import sys, scrapy, scrapy.spiders; print(sorted(m for m in sys.modules if m.startswith('ascrapy.spiders.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_import_scrapy_leaves_scrapys_submodules_as_attributes() -> None:
    """As Scrapy 2.19's ``import scrapy`` does: ``scrapy.signals.spider_closed`` works at once."""
    code = "import scrapy; print(sorted(k for k, v in vars(scrapy).items() if type(v).__name__ == 'module'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert set(ast.literal_eval(done.stdout)) >= {"exceptions", "http", "item", "link", "linkextractors", "selector", "signals",
                                      "spiders", "utils"}
