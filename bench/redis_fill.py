"""Fill a Redis with one side's queued requests or fingerprints, the way a crawl would, and exit.

    <python> bench/redis_fill.py ascrapy|scrapy-redis queue|set|bloom --url REDIS_URL --count N
                                 [--queue-class priority|fifo]

redis_bench.py runs this with each side's own Python (ascrapy's venv, Scrapy's venv with
scrapy-redis) and measures Redis before and after; measuring after this process has exited
leaves its connection's buffers out of the numbers. Prints one JSON line: what was written
(and, for the Bloom filter, its measured false-positive rate).

The requests are what the links spider queues in a crawl of the benchmark site (seen in
Redis during a real crawl): a page URL, ``callback=parse``, the Referer header that
RefererMiddleware adds, and the ``depth`` that DepthMiddleware puts in meta.

- queue: ``count`` distinct requests into the shared queue, a sorted set (scrapy-redis's
  PriorityQueue, both sides' default) or with ``--queue-class fifo`` a list (FifoQueue). ascrapy: ``Scheduler.push`` on
  an open ascrapy.redis.Scheduler (outside a page, so the link task sends them in batches;
  ``link.drained()`` waits until they are in Redis). scrapy-redis: its
  ``Scheduler.enqueue_request``, one SADD and one ZADD per request.
- set: ``count`` fingerprints in the dupefilter set. ascrapy: pushed through its frontier
  as above (the script adds the fingerprint and queues the request; redis_bench deletes the
  queue before measuring). scrapy-redis: the members its ``RFPDupeFilter.request_seen``
  adds (``request_fingerprint``, SADD), sent in pipelines of 1,000: the same set, filled
  in seconds instead of a million round trips.
- bloom (ascrapy only): BloomDupeFilter with DUPEFILTER_BLOOM_CAPACITY = ``count`` at a
  0.1% error rate, filled through the frontier; then ``count`` other requests are looked up
  in a copy of the bitmap (GET) with the filter's own bit positions: the false positives.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

SPIDER = Path(__file__).resolve().parent / "spiders" / "links_spider.py"
BASE = "http://127.0.0.1:40000"  # a port of five digits, as the crawl's free ports have
BLOOM_ERROR_RATE = 0.001
CHUNK = 10_000  # requests pushed before waiting for them to reach Redis (bounds our memory)
QUEUE_CLASSES = {"priority": "scrapy_redis.queue.PriorityQueue", "fifo": "scrapy_redis.queue.FifoQueue"}


def links_spider_class() -> type:
    """The benchmark's spider, loaded from its file (``import scrapy`` in it is either side's)."""
    spec = importlib.util.spec_from_file_location("links_spider", SPIDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LinksSpider


def crawl_like_requests(request_class: type, spider: Any, start: int, stop: int, path: str = "page") -> Any:
    """Requests as the spider queues them in a crawl (module docstring)."""
    for number in range(start, stop):
        yield request_class(
            f"{BASE}/{path}/{number}",
            callback=spider.parse,
            headers={"Referer": f"{BASE}/{path}/{number // 20}"},
            meta={"depth": 4},
        )


# -- ascrapy ------------------------------------------------------------------------------


async def fill_ascrapy(url: str, what: str, count: int, queue_class: str) -> dict[str, Any]:
    from ascrapy.http import Request
    from ascrapy.redis import Scheduler
    from ascrapy.utils.test import get_crawler

    # ascrapy reads scrapy-redis's queue class names as the same kinds of key
    settings: dict[str, Any] = {"SCHEDULER": "ascrapy.redis.Scheduler", "REDIS_URL": url, "SCHEDULER_PERSIST": True,
                                "SCHEDULER_QUEUE_CLASS": QUEUE_CLASSES[queue_class]}
    if what == "bloom":
        settings.update(DUPEFILTER_CLASS="ascrapy.redis.BloomDupeFilter", DUPEFILTER_BLOOM_CAPACITY=count,
                        DUPEFILTER_BLOOM_ERROR_RATE=BLOOM_ERROR_RATE)
    spider_class = links_spider_class()
    crawler = get_crawler(spider_class, settings)
    spider = spider_class.from_crawler(crawler, base=BASE)
    scheduler = Scheduler.from_crawler(crawler)
    await scheduler.open(spider)
    assert scheduler.link is not None and scheduler.codec is not None
    member_bytes = 0
    started = time.perf_counter()
    for first in range(0, count, CHUNK):
        for request in crawl_like_requests(Request, spider, first, min(first + CHUNK, count)):
            if first == 0 and member_bytes == 0:
                member_bytes = len(scheduler.codec.dumps(request))
            scheduler.push(request)
        await scheduler.link.drained()
    seconds = time.perf_counter() - started
    round_trips = crawler.stats.get_value("redis/round_trips")
    result: dict[str, Any] = {"side": "ascrapy", "what": what, "count": count, "seconds": round(seconds, 2),
                              "round_trips": round_trips, "member_bytes_example": member_bytes,
                              "queued": crawler.stats.get_value("scheduler/enqueued/redis")}
    if what == "bloom":
        result.update(await bloom_false_positives(scheduler, spider, Request, count))
    await scheduler.close("finished")
    return result


async def bloom_false_positives(scheduler: Any, spider: Any, request_class: type, count: int) -> dict[str, Any]:
    """Look ``count`` requests never pushed up in the filled bitmap: how many look seen."""
    bloom = scheduler.redis_dupefilter
    assert scheduler.link is not None
    bitmap = await scheduler.client.get(scheduler.link.keys.dupefilter) or b""
    false_positives = 0
    for request in crawl_like_requests(request_class, spider, 0, count, path="other"):
        positions = [int(position) for position in bloom.marker(request).split()]
        if all(position >> 3 < len(bitmap) and bitmap[position >> 3] >> (7 - (position & 7)) & 1
               for position in positions):
            false_positives += 1
    return {"bits": bloom.bits, "hashes": bloom.hashes, "bitmap_bytes": len(bitmap),
            "queried": count, "false_positives": false_positives}


# -- scrapy-redis -------------------------------------------------------------------------


def fill_scrapy_redis(url: str, what: str, count: int, queue_class: str) -> dict[str, Any]:
    from scrapy import Request
    from scrapy.utils.test import get_crawler
    from scrapy_redis.scheduler import Scheduler

    settings = {"SCHEDULER": "scrapy_redis.scheduler.Scheduler",
                "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
                "REDIS_URL": url, "SCHEDULER_PERSIST": True, "SCHEDULER_QUEUE_CLASS": QUEUE_CLASSES[queue_class]}
    spider_class = links_spider_class()
    crawler = get_crawler(spider_class, settings)
    spider = spider_class.from_crawler(crawler, base=BASE)
    scheduler = Scheduler.from_crawler(crawler)
    scheduler.open(spider)
    member_bytes = 0
    started = time.perf_counter()
    if what == "queue":
        for request in crawl_like_requests(Request, spider, 0, count):
            if member_bytes == 0:
                member_bytes = len(scheduler.queue._encode_request(request))
            scheduler.enqueue_request(request)
    elif what == "set":
        dupefilter = scheduler.df
        pipe = dupefilter.server.pipeline(transaction=False)
        for number, request in enumerate(crawl_like_requests(Request, spider, 0, count), 1):
            pipe.sadd(dupefilter.key, dupefilter.request_fingerprint(request))
            if number % 1000 == 0:
                pipe.execute()
        pipe.execute()
    else:
        raise SystemExit(f"scrapy-redis has no {what}")
    seconds = time.perf_counter() - started
    scheduler.close("finished")  # SCHEDULER_PERSIST: nothing is deleted
    return {"side": "scrapy-redis", "what": what, "count": count, "seconds": round(seconds, 2),
            "member_bytes_example": member_bytes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("side", choices=("ascrapy", "scrapy-redis"))
    parser.add_argument("what", choices=("queue", "set", "bloom"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--queue-class", choices=sorted(QUEUE_CLASSES), default="priority")
    args = parser.parse_args()
    if args.side == "ascrapy":
        result = asyncio.run(fill_ascrapy(args.url, args.what, args.count, args.queue_class))
    else:
        result = fill_scrapy_redis(args.url, args.what, args.count, args.queue_class)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
