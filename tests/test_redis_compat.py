"""scrapy-redis projects on ascrapy: compat's ``scrapy_redis`` package holds the names projects
use, re-exported; an unchanged scrapy-redis project runs with the ``scrapy`` command; when the
real scrapy-redis is installed, its class paths in settings still load ascrapy's classes
unless SCRAPY_REDIS_PLUGIN = True."""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
import redis

from tests.sites import make_link_site, serve_app_in_thread

import scrapy_redis

COMPAT_ROOT = Path(scrapy_redis.__file__).resolve().parent
SCRAPY_COMMAND = Path(sys.executable).parent / "scrapy"

# The names of scrapy-redis 0.9.1 that projects import or name in their settings.
SCRAPY_REDIS_NAMES = {
    "scrapy_redis": ["get_redis", "get_redis_from_settings"],
    "scrapy_redis.connection": ["get_redis", "get_redis_from_settings", "from_settings", "SETTINGS_PARAMS_MAP"],
    "scrapy_redis.defaults": [
        "DUPEFILTER_KEY", "PIPELINE_KEY", "STATS_KEY", "REDIS_CLS", "REDIS_ENCODING", "REDIS_PARAMS",
        "REDIS_CONCURRENT_REQUESTS", "SCHEDULER_QUEUE_KEY", "SCHEDULER_QUEUE_CLASS", "SCHEDULER_DUPEFILTER_KEY",
        "SCHEDULER_DUPEFILTER_CLASS", "SCHEDULER_PERSIST", "START_URLS_KEY", "START_URLS_AS_SET",
        "START_URLS_AS_ZSET", "MAX_IDLE_TIME",
    ],
    "scrapy_redis.dupefilter": ["RFPDupeFilter"],
    "scrapy_redis.picklecompat": ["loads", "dumps"],
    "scrapy_redis.pipelines": ["RedisPipeline", "default_serialize"],
    "scrapy_redis.queue": ["PriorityQueue", "FifoQueue", "LifoQueue", "SpiderPriorityQueue", "SpiderQueue",
                           "SpiderStack"],
    "scrapy_redis.scheduler": ["Scheduler"],
    "scrapy_redis.spiders": ["RedisMixin", "RedisSpider", "RedisCrawlSpider"],
    "scrapy_redis.stats": ["RedisStatsCollector"],
    "scrapy_redis.utils": ["bytes_to_str"],
}


@pytest.mark.parametrize("module_name", sorted(SCRAPY_REDIS_NAMES))
def test_the_names_projects_use_exist(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name in SCRAPY_REDIS_NAMES[module_name] if not hasattr(module, name)]
    assert not missing


def test_the_classes_are_ascrapys() -> None:
    import ascrapy.redis
    from scrapy_redis import pipelines, queue, scheduler, spiders, stats

    assert scheduler.Scheduler is ascrapy.redis.Scheduler
    assert spiders.RedisSpider is ascrapy.redis.RedisSpider
    assert pipelines.RedisPipeline is ascrapy.redis.RedisPipeline
    assert stats.RedisStatsCollector is ascrapy.redis.RedisStatsCollector
    assert queue.SpiderQueue is queue.FifoQueue


def test_compat_scrapy_redis_modules_hold_no_logic() -> None:
    for path in sorted(COMPAT_ROOT.rglob("*.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant), path
        for node in body[1:]:
            assert isinstance(node, ast.ImportFrom), f"{path}: {ast.unparse(node)[:80]}"
            assert (node.module or "").startswith("ascrapy.") or node.module == "pickle", path


PROJECT_SETTINGS = """
BOT_NAME = "srproject"
SPIDER_MODULES = ["srproject.spiders"]
NEWSPIDER_MODULE = "srproject.spiders"

SCHEDULER = "scrapy_redis.scheduler.Scheduler"
DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
SCHEDULER_QUEUE_CLASS = "scrapy_redis.queue.SpiderPriorityQueue"
SCHEDULER_PERSIST = True
STATS_CLASS = "scrapy_redis.stats.RedisStatsCollector"
ITEM_PIPELINES = {{"scrapy_redis.pipelines.RedisPipeline": 400}}
REDIS_URL = {redis_url!r}
MAX_IDLE_TIME_BEFORE_CLOSE = 1
TELNETCONSOLE_ENABLED = False
"""

PROJECT_SPIDER = """
from scrapy_redis.spiders import RedisSpider


class PagesSpider(RedisSpider):
    name = {name!r}

    def parse(self, response):
        yield {{"url": response.url, "title": response.css("title::text").get()}}
        for href in response.css("a.page-link::attr(href)").getall():
            yield response.follow(href)
"""


def write_project(root: Path, redis_url: str, name: str) -> None:
    (root / "scrapy.cfg").write_text("[settings]\ndefault = srproject.settings\n")
    package = root / "srproject"
    (package / "spiders").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(PROJECT_SETTINGS.format(redis_url=redis_url))
    (package / "spiders" / "__init__.py").write_text("")
    (package / "spiders" / "pages.py").write_text(PROJECT_SPIDER.format(name=name))


@pytest.mark.skipif(not SCRAPY_COMMAND.exists(), reason="no `scrapy` script beside this Python")
def test_an_unchanged_scrapy_redis_project_runs_with_the_scrapy_command(tmp_path: Path, redis_url: str) -> None:
    name = f"sr{uuid.uuid4().hex[:8]}"
    write_project(tmp_path, redis_url, name)
    client = redis.Redis.from_url(redis_url)
    pages = 12
    try:
        with serve_app_in_thread(make_link_site(pages, links_per_page=3)) as base:
            client.lpush(f"{name}:start_urls", json.dumps({"url": f"{base}/page/0"}))
            done = subprocess.run([str(SCRAPY_COMMAND), "crawl", name], cwd=tmp_path, capture_output=True,
                                  text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        items = [json.loads(data) for data in client.lrange(f"{name}:items", 0, -1)]
        assert {item["url"] for item in items} == {f"{base}/page/{n}" for n in range(pages)}
        assert all(item["title"].endswith("| Link site") for item in items)
        stats = client.hgetall(f"{name}:stats")
        assert int(stats[b"item_scraped_count"]) == len(items)
        assert int(stats[b"scheduler/dequeued/redis"]) >= pages  # the shared frontier did the scheduling
        assert client.llen(f"{name}:start_urls") == 0
        assert f"Reading start URLs from redis key '{name}:start_urls'" in done.stderr
        assert "Spider closed (finished)" in done.stderr
    finally:
        client.delete(*[f"{name}:{suffix}" for suffix in ("items", "stats", "requests", "dupefilter")])


FAKE_PLUGIN = {
    "scrapy_redis/__init__.py": "",
    "scrapy_redis/scheduler.py": (
        "from ascrapy.utils.misc import load_object\n\n\n"
        "class Scheduler:\n"
        "    @classmethod\n"
        "    def own_dupefilter(cls):  # as scrapy-redis's scheduler loads DUPEFILTER_CLASS\n"
        "        return load_object('scrapy_redis.dupefilter.RFPDupeFilter')\n"
    ),
    "scrapy_redis/dupefilter.py": "class RFPDupeFilter:\n    pass\n",
    "scrapy_redis/stats.py": (
        "from ascrapy.stats import MemoryStatsCollector\n\n\n"
        "class RedisStatsCollector(MemoryStatsCollector):\n    pass\n"
    ),
    "scrapy_redis-0.9.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: scrapy-redis\nVersion: 0.9.1\n",
}

WITH_THE_PLUGIN = """
import asyncio, logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s: %(message)s")
import ascrapy
from ascrapy.crawler import Crawler
from ascrapy.redis.plugin import plugin_choice
from ascrapy.settings import Settings
from ascrapy.utils.misc import load_object

print("loaded", load_object("scrapy_redis.scheduler.Scheduler").__module__)
print("loaded", load_object("scrapy_redis.scheduler.Scheduler").__module__)
with plugin_choice(Settings({"SCRAPY_REDIS_PLUGIN": True})):
    print("loaded", load_object("scrapy_redis.scheduler.Scheduler").__module__)
import scrapy_redis.scheduler
print("own", scrapy_redis.scheduler.Scheduler.own_dupefilter().__module__)

class Nothing(ascrapy.Spider):
    name = "nothing"

async def stats_class(plugin):
    crawler = Crawler(Nothing, Settings({"STATS_CLASS": "scrapy_redis.stats.RedisStatsCollector",
                                         "SCRAPY_REDIS_PLUGIN": plugin, "REDIS_URL": sys.argv[1],
                                         "STATS_KEY": sys.argv[2], "LOG_LEVEL": "WARNING"}))
    await crawler.crawl()
    return type(crawler.stats).__module__

print("stats", asyncio.run(stats_class(True)), asyncio.run(stats_class(False)))
"""


def test_with_the_real_plugin_installed_its_paths_load_ascrapys_classes_unless_asked(
        tmp_path: Path, redis_url: str) -> None:
    for relative, text in FAKE_PLUGIN.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    (tmp_path / "script.py").write_text(textwrap.dedent(WITH_THE_PLUGIN))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    key = f"{uuid.uuid4().hex[:8]}:stats"
    done = subprocess.run([sys.executable, "script.py", redis_url, key], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert [line for line in lines if line.startswith("loaded")] == [
        "loaded ascrapy.redis.scheduler", "loaded ascrapy.redis.scheduler", "loaded scrapy_redis.scheduler"]
    assert "own scrapy_redis.dupefilter" in lines  # the plugin's own code loads its own classes
    assert lines[-1] == "stats scrapy_redis.stats ascrapy.redis.stats"
    announced = "Using ascrapy's ascrapy.redis.scheduler.Scheduler for scrapy_redis.scheduler.Scheduler " \
                "(set SCRAPY_REDIS_PLUGIN = True to run scrapy-redis's own)"
    assert lines.count(f"scrapy_redis: {announced}") == 1
