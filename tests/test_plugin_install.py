"""The swap survives ``pip install <plugin>``: in a fresh environment with ascrapy and compat
installed as the README says, a plain ``pip install`` of a plugin that requires Scrapy finds
that requirement met by compat (the ``scrapy`` distribution 2.19.0+ascrapy.N), brings no
real Scrapy, and the plugin works in a crawl.

The plugins come from the package index (as in CI); pip's cache makes a rerun quick.
"""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plugin_venv import INSTALL_TIMEOUT, PluginVenv, make_plugin_venv
from tests.sites import link_targets, make_link_site, serve_app_in_thread

DELTAFETCH = "scrapy-deltafetch==2.1.0"
PAGES, LINKS = 12, 5


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory: pytest.TempPathFactory) -> PluginVenv:
    venv = make_plugin_venv(tmp_path_factory.mktemp("plugin-venv"))
    venv.pip_install(DELTAFETCH)
    return venv


@pytest.fixture(scope="module")
def link_site_url() -> Iterator[str]:
    with serve_app_in_thread(make_link_site(PAGES, LINKS)) as url:
        yield url


def test_pip_install_of_a_plugin_keeps_compat_as_scrapy(plugin_venv: PluginVenv, tmp_path: Path) -> None:
    distributions = plugin_venv.distributions(tmp_path)
    assert distributions["scrapy-deltafetch"] == "2.1.0"
    assert distributions["scrapy"].startswith("2.19.0+ascrapy.")  # compat's, not Scrapy's
    assert "twisted" not in distributions  # real Scrapy would have brought it
    check = json.loads(plugin_venv.run_python(
        "import importlib.metadata as m, json, scrapy, ascrapy\n"
        "print(json.dumps([scrapy.Spider is ascrapy.Spider, m.version('Scrapy'), scrapy.__version__,"
        " scrapy.version_info, ascrapy.__version__]))",
        tmp_path,
    ))
    assert check == [True, distributions["scrapy"], "2.19.0", [2, 19, 0], distributions["ascrapy"]]


def test_scrapy_version_shows_the_api_level_and_ascrapy(plugin_venv: PluginVenv, tmp_path: Path) -> None:
    short = subprocess.run([str(plugin_venv.scrapy), "version"], cwd=tmp_path, env=plugin_venv.env(),
                           capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=True)
    assert short.stdout == "Scrapy 2.19.0 (ascrapy 0.1.0)\n"
    verbose = subprocess.run([str(plugin_venv.scrapy), "version", "-v"], cwd=tmp_path, env=plugin_venv.env(),
                             capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=True)
    rows = {name.strip(): value for name, value in (line.split(" : ", 1) for line in verbose.stdout.splitlines())}
    assert rows["ascrapy"] == "0.1.0"
    assert rows["Scrapy"].startswith("2.19.0 ")


DELTAFETCH_SPIDER = """
import json
import scrapy


class PagesSpider(scrapy.Spider):
    name = "pages"
    custom_settings = {
        "SPIDER_MIDDLEWARES": {"scrapy_deltafetch.DeltaFetch": 100},
        "DELTAFETCH_ENABLED": True,
    }

    def __init__(self, base, stats_file, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/page/0"]
        self.stats_file = stats_file

    def parse(self, response):
        for href in response.css("ul.links a::attr(href)").getall():
            yield response.follow(href, self.parse_page)

    def parse_page(self, response):
        yield {"url": response.url}

    def closed(self, reason):
        with open(self.stats_file, "w") as out:
            json.dump(self.crawler.stats.get_stats(), out, default=str)
"""


def _crawl(venv: PluginVenv, project: Path, base: str, run: int) -> dict[str, object]:
    stats_file = project / f"stats-{run}.json"
    done = subprocess.run(
        [str(venv.scrapy), "runspider", "pages.py", "-a", f"base={base}", "-a", f"stats_file={stats_file}",
         "-s", f"DELTAFETCH_DIR={project / 'deltafetch'}", "-s", "LOG_LEVEL=INFO"],
        cwd=project, env=venv.env(), capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(stats_file.read_text())


def test_deltafetch_skips_the_pages_of_items_seen_by_the_last_crawl(
    plugin_venv: PluginVenv, link_site_url: str, tmp_path: Path
) -> None:
    (tmp_path / "pages.py").write_text(textwrap.dedent(DELTAFETCH_SPIDER))
    linked = len(set(link_targets(0, PAGES, LINKS)))
    first = _crawl(plugin_venv, tmp_path, link_site_url, 1)
    assert first["item_scraped_count"] == linked
    assert first["deltafetch/stored"] == linked
    assert "deltafetch/skipped" not in first
    second = _crawl(plugin_venv, tmp_path, link_site_url, 2)
    assert second["deltafetch/skipped"] == linked
    assert "item_scraped_count" not in second
    assert second["downloader/request_count"] == 1  # only the start page
