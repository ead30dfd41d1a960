"""scrapy-redis's class paths in a project's settings, served by ascrapy.redis.

A scrapy-redis project names ``scrapy_redis.scheduler.Scheduler``, ``scrapy_redis.pipelines.
RedisPipeline``, ... in its settings. compat (the ``scrapy`` distribution) ships a
``scrapy_redis`` package of re-exports, so those paths load ascrapy's classes; but when the
real scrapy-redis is installed its files replace compat's (pip lets two distributions write
one package), and its
classes are written for Scrapy's Twisted engine. So ``load_object`` asks ``substitute`` first:
the paths below load ascrapy's classes unless the crawl's settings say SCRAPY_REDIS_PLUGIN =
True, which loads scrapy-redis's own as they are. The crawler sets that choice for its crawl
(``plugin_choice``): a context variable, so two crawls in one process may choose apart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

logger = logging.getLogger("scrapy_redis")

SETTING = "SCRAPY_REDIS_PLUGIN"

SUBSTITUTES: dict[str, str] = {
    "scrapy_redis.scheduler.Scheduler": "ascrapy.redis.scheduler.Scheduler",
    "scrapy_redis.dupefilter.RFPDupeFilter": "ascrapy.redis.dupefilter.RFPDupeFilter",
    "scrapy_redis.pipelines.RedisPipeline": "ascrapy.redis.pipelines.RedisPipeline",
    "scrapy_redis.stats.RedisStatsCollector": "ascrapy.redis.stats.RedisStatsCollector",
    "scrapy_redis.queue.PriorityQueue": "ascrapy.redis.queue.PriorityQueue",
    "scrapy_redis.queue.FifoQueue": "ascrapy.redis.queue.FifoQueue",
    "scrapy_redis.queue.LifoQueue": "ascrapy.redis.queue.LifoQueue",
    "scrapy_redis.queue.SpiderPriorityQueue": "ascrapy.redis.queue.PriorityQueue",
    "scrapy_redis.queue.SpiderQueue": "ascrapy.redis.queue.FifoQueue",
    "scrapy_redis.queue.SpiderStack": "ascrapy.redis.queue.LifoQueue",
}

# Whether the running crawl asked for scrapy-redis's own classes (SCRAPY_REDIS_PLUGIN).
_plugin_wanted: ContextVar[bool] = ContextVar("scrapy_redis_plugin", default=False)
_announced: set[str] = set()


@contextmanager
def plugin_choice(settings: Any) -> Iterator[None]:
    """Within the block, ``substitute`` follows ``settings``' SCRAPY_REDIS_PLUGIN."""
    token = _plugin_wanted.set(bool(settings.getbool(SETTING)))
    try:
        yield
    finally:
        _plugin_wanted.reset(token)


def substitute(path: str, caller: str = "") -> str:
    """The path to load for ``path``: ascrapy's class for a scrapy-redis one (logged once
    when scrapy-redis itself is installed), unless the crawl wants the plugin's, or the
    plugin's own code (``caller``, a module name) loads it: its scheduler builds its own
    dupefilter and queue by path."""
    replacement = SUBSTITUTES.get(path)
    if replacement is None or _plugin_wanted.get():
        return path
    if caller.partition(".")[0] == "scrapy_redis" and plugin_installed():
        return path
    if path not in _announced and plugin_installed():
        _announced.add(path)
        logger.info("Using ascrapy's %(replacement)s for %(path)s (set %(setting)s = True to run "
                    "scrapy-redis's own)", {"replacement": replacement, "path": path, "setting": SETTING})
    return replacement


@cache
def plugin_installed() -> bool:
    """Whether the scrapy-redis distribution is installed (its files replace compat's)."""
    from importlib import metadata

    try:
        metadata.distribution("scrapy-redis")
    except metadata.PackageNotFoundError:
        return False
    return True
