"""The swap survives ``pip install <plugin>``: in a fresh environment with ascrapy and compat
installed as the README says, a plain ``pip install`` of a plugin that requires Scrapy finds
that requirement met by compat (the ``scrapy`` distribution 2.19.0+ascrapy.N), brings no
real Scrapy, and the plugin works in a crawl: scrapy-deltafetch first (which needs no
Twisted, and none comes), then spidermon, scrapy-poet (which brings Twisted) and scrapy-redis.

The plugins come from the package index (as in CI) and live in that environment only, not in
the development one: scrapy-redis's files replace compat's scrapy_redis package, and
scrapy-poet adds a command to every ``scrapy``. pip's cache makes a rerun quick.
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
OTHER_PLUGINS = ("spidermon==1.27.0", "scrapy-poet==0.27.2", "scrapy-redis==0.9.1")
PAGES, LINKS = 12, 5


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory: pytest.TempPathFactory) -> PluginVenv:
    """ascrapy and compat, then scrapy-deltafetch (checked alone), then the other three."""
    base = tmp_path_factory.mktemp("plugin-venv")
    venv = make_plugin_venv(base)
    venv.pip_install(DELTAFETCH)
    (base / "after-deltafetch.json").write_text(json.dumps(venv.distributions(base)))
    venv.pip_install(*OTHER_PLUGINS)
    return venv


def distributions_after_deltafetch(venv: PluginVenv) -> dict[str, str]:
    return json.loads((venv.root.parent / "after-deltafetch.json").read_text())


@pytest.fixture(scope="module")
def link_site_url() -> Iterator[str]:
    with serve_app_in_thread(make_link_site(PAGES, LINKS)) as url:
        yield url


def test_pip_install_of_a_plugin_keeps_compat_as_scrapy(plugin_venv: PluginVenv, tmp_path: Path) -> None:
    first = distributions_after_deltafetch(plugin_venv)
    assert first["scrapy-deltafetch"] == "2.1.0"
    assert first["scrapy"].startswith("2.19.0+ascrapy.")  # compat's, not Scrapy's
    assert "twisted" not in first  # real Scrapy would have brought it
    distributions = plugin_venv.distributions(tmp_path)
    assert distributions["scrapy"] == first["scrapy"]  # the other three plugins kept it too
    assert {distributions[name] for name in ("spidermon", "scrapy-poet", "scrapy-redis")} == {
        "1.27.0", "0.27.2", "0.9.1"}
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
    assert short.stdout == "Scrapy 2.19.0\n"  # exactly as Scrapy prints it
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


def _run_script(venv: PluginVenv, cwd: Path, script: str, *args: str) -> dict[str, object]:
    """Run a crawl script in the venv; it writes what it found as JSON to its first argument."""
    (cwd / "crawl_script.py").write_text(textwrap.dedent(script))
    out = cwd / "found.json"
    done = subprocess.run([str(venv.python), "crawl_script.py", str(out), *args], cwd=cwd, env=venv.env(),
                          capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(out.read_text())


SPIDERMON_CRAWL = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.core.actions import Action


class ItemCountMonitor(Monitor):
    @monitors.name("Enough items")
    def test_enough_items(self):
        self.assertGreaterEqual(self.data.stats.get("item_scraped_count", 0), int(sys.argv[3]))


class RecordResult(Action):
    @classmethod
    def from_crawler(cls, crawler):
        action = cls()
        action.crawler = crawler
        return action

    def run_action(self):
        stats = self.crawler.stats
        stats.set_value("monitors/passed", len(self.result.monitors_passed_results))
        stats.set_value("monitors/failed", len(self.result.monitors_failed_results))


class CloseSuite(MonitorSuite):
    monitors = [ItemCountMonitor]
    monitors_finished_actions = [RecordResult]


class PeriodicSuite(MonitorSuite):  # run by spidermon's LoopingCall on the Twisted reactor
    monitors = []
    monitors_finished_actions = [RecordResult]


class Pages(scrapy.Spider):
    name = "pages"
    custom_settings = {
        "SPIDERMON_ENABLED": True,
        "EXTENSIONS": {"spidermon.contrib.scrapy.extensions.Spidermon": 500},
        "SPIDERMON_SPIDER_CLOSE_MONITORS": [f"{__name__}.CloseSuite"],
        "SPIDERMON_PERIODIC_MONITORS": {f"{__name__}.PeriodicSuite": 0.001},
        "LOG_LEVEL": "INFO",
    }

    def parse(self, response):
        yield {"url": response.url}
        yield from response.follow_all(css="ul.links a")


process = CrawlerProcess()
crawler = process.create_crawler(Pages)
process.crawl(crawler, start_urls=[sys.argv[2] + "/page/0"])
process.start()
json.dump({key: value for key, value in crawler.stats.get_stats().items() if isinstance(value, (int, str))},
          open(sys.argv[1], "w"))
"""


def test_a_spidermon_monitor_suite_runs_at_the_end_of_a_crawl(
    plugin_venv: PluginVenv, link_site_url: str, tmp_path: Path
) -> None:
    passing = _run_script(plugin_venv, tmp_path, SPIDERMON_CRAWL, link_site_url, str(PAGES))
    assert passing["item_scraped_count"] >= PAGES
    assert (passing["monitors/passed"], passing["monitors/failed"]) == (1, 0)
    failing = _run_script(plugin_venv, tmp_path, SPIDERMON_CRAWL, link_site_url, str(PAGES * 10))
    assert (failing["monitors/passed"], failing["monitors/failed"]) == (0, 1)


POET_CRAWL = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess
from web_poet import WebPage


class LinkPage(WebPage):
    def heading(self):
        return self.css("h1::text").get()


class Pages(scrapy.Spider):
    name = "pages"
    custom_settings = {"ADDONS": {"scrapy_poet.Addon": 300}, "LOG_LEVEL": "INFO"}

    def parse(self, response, page: LinkPage):
        yield {"url": page.url, "heading": page.heading(), "page": type(page).__name__}


items = []
process = CrawlerProcess()
crawler = process.create_crawler(Pages)
crawler.signals.connect(lambda item: items.append(item), signal=scrapy.signals.item_scraped)
process.crawl(crawler, start_urls=[sys.argv[2] + "/page/3"])
process.start()
json.dump({"items": [dict(item) for item in items]}, open(sys.argv[1], "w"))
"""


def test_a_scrapy_poet_page_object_is_injected_into_a_callback(
    plugin_venv: PluginVenv, link_site_url: str, tmp_path: Path
) -> None:
    found = _run_script(plugin_venv, tmp_path, POET_CRAWL, link_site_url)
    assert found["items"] == [{"url": f"{link_site_url}/page/3", "heading": "Page 3", "page": "LinkPage"}]


REDIS_CRAWL = """
import json, sys
import redis
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy_redis.spiders import RedisSpider  # the plugin's own spider


class Pages(RedisSpider):
    name = "pages"
    redis_key = sys.argv[3] + ":start_urls"
    custom_settings = {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",  # served by ascrapy's Redis frontier
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": sys.argv[3] + ":requests",
        "SCHEDULER_DUPEFILTER_KEY": sys.argv[3] + ":dupefilter",
        "REDIS_URL": sys.argv[2],
        "MAX_IDLE_TIME_BEFORE_CLOSE": 1,
        "LOG_LEVEL": "INFO",
    }

    def parse(self, response):
        yield {"url": response.url}
        yield from response.follow_all(css="ul.links a")


client = redis.Redis.from_url(sys.argv[2])
client.lpush(Pages.redis_key, sys.argv[4] + "/page/0")
items = []
process = CrawlerProcess()
crawler = process.create_crawler(Pages)
crawler.signals.connect(lambda item: items.append(item["url"]), signal=scrapy.signals.item_scraped)
process.crawl(crawler)
process.start()
json.dump({"urls": sorted(set(items)), "scheduler": type(crawler.engine.scheduler).__module__,
           "spider": type(crawler.spider).__mro__[1].__module__, "left": client.llen(Pages.redis_key),
           "dequeued": crawler.stats.get_value("scheduler/dequeued/redis")}, open(sys.argv[1], "w"))
"""


def test_a_scrapy_redis_spider_runs_on_ascrapys_redis_frontier(
    plugin_venv: PluginVenv, link_site_url: str, redis_url: str, tmp_path: Path
) -> None:
    key = f"plugin{tmp_path.name[-8:]}"
    found = _run_script(plugin_venv, tmp_path, REDIS_CRAWL, redis_url, key, link_site_url)
    assert found["spider"] == "scrapy_redis.spiders"
    assert found["scheduler"].startswith("ascrapy.redis")
    assert found["urls"] == [f"{link_site_url}/page/{n}" for n in sorted(range(PAGES), key=str)]
    assert found["left"] == 0 and found["dequeued"] >= PAGES
