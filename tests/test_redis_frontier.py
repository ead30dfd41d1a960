"""The Redis frontier against a real redis-server: one worker, several, killed ones, and what
a shared Redis may hold."""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import redis
from aiohttp import web

import ascrapy
from ascrapy.fingerprint import fingerprint

from ascrapy.crawler import Crawler
from ascrapy.settings import Settings

from .crawl_helpers import TEST_SETTINGS, crawl
from .sites import make_link_site, serve_app_in_thread
from . import link_spider
from .link_spider import Pages
from .process_helpers import LineReader

PAGES_SPIDER = Path(link_spider.__file__).read_text()


def redis_settings(url: str, **more):
    return {"SCHEDULER": "ascrapy.redis.Scheduler", "REDIS_URL": url,
            "SCHEDULER_QUEUE_KEY": f"{uuid.uuid4().hex[:8]}:%(spider)s:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{uuid.uuid4().hex[:8]}:%(spider)s:dupefilter", **more}


def feed_pages(path: Path) -> Counter[str]:
    if not path.exists():
        return Counter()
    return Counter(json.loads(line)["url"].rsplit("/", 1)[1] for line in path.read_text().split("\n")[:-1] if line)


async def test_one_worker_crawls_the_site_through_redis_and_leaves_it_clean(aiohttp_server, redis_url, tmp_path):
    server = await aiohttp_server(make_link_site(120, 4))
    feed = tmp_path / "items.jsonl"
    settings = redis_settings(redis_url, FEEDS={str(feed): {"format": "jsonlines"}})
    crawler = await crawl(Pages, settings, start_urls=[str(server.make_url("/"))])
    stats = crawler.stats
    assert stats.get_value("finish_reason") == "finished"
    assert feed_pages(feed) == Counter({str(n): 1 for n in range(120)})
    # 120 pages and the home page twice: the start request (dont_filter) and the pages' "Home" link
    assert stats.get_value("scheduler/dequeued/redis") == stats.get_value("scheduler/enqueued/redis") == 122
    assert stats.get_value("redis/round_trips") < 122  # batched: fewer round trips than pages
    client = redis.Redis.from_url(redis_url)
    assert not client.keys(settings["SCHEDULER_QUEUE_KEY"].split(":")[0] + "*")  # not persisted: cleaned up


async def test_a_link_the_worker_sent_before_is_dropped_without_a_round_trip(aiohttp_server, redis_url):
    from ascrapy import signals

    server = await aiohttp_server(make_link_site(60, 4))
    dropped = []
    crawler = Crawler(Pages, Settings({**TEST_SETTINGS, **redis_settings(redis_url)}))
    crawler.signals.connect(lambda request, spider: dropped.append(request.url), signal=signals.request_dropped)
    await crawler.crawl(start_urls=[str(server.make_url("/"))])
    stats = crawler.stats
    assert stats.get_value("scheduler/enqueued/redis") == 62  # as above: 60 pages, the home page twice
    # One worker meets every duplicate itself: all of them are dropped before Redis is asked.
    assert len(dropped) == stats.get_value("dupefilter/filtered") >= 60 * 4 - 61
    assert len(set(dropped)) <= 61


async def test_requests_in_redis_are_json_not_pickle(aiohttp_server, redis_url):
    server = await aiohttp_server(make_link_site(20, 3))
    # One page at a time, so the crawl stops (after 3 pages) with pages found and not crawled.
    settings = redis_settings(redis_url, SCHEDULER_PERSIST=True, CLOSESPIDER_PAGECOUNT=3, CONCURRENT_REQUESTS=1)
    await crawl(Pages, settings, start_urls=[str(server.make_url("/"))])
    queue = settings["SCHEDULER_QUEUE_KEY"] % {"spider": "pages"}
    client = redis.Redis.from_url(redis_url)
    members = client.zrange(queue, 0, -1) + client.zrange(f"{queue}:leases", 0, -1)  # queued, or leased
    assert members and all(json.loads(member)["u"].startswith("http://") for member in members)


async def test_pickled_requests_are_refused_unless_pickle_is_named(aiohttp_server, redis_url, caplog):
    server = await aiohttp_server(make_link_site(5, 2))
    settings = redis_settings(redis_url, SCHEDULER_PERSIST=True)
    queue = settings["SCHEDULER_QUEUE_KEY"] % {"spider": "pages"}
    client = redis.Redis.from_url(redis_url)
    # What scrapy-redis leaves: a pickled Request.to_dict() scored by -priority, and its
    # fingerprint in the dupefilter set.
    spider = Pages()
    request = ascrapy.Request(str(server.make_url("/page/1")), callback=spider.parse)
    data = pickle.dumps(request.to_dict(spider=spider))
    client.zadd(queue, {data: 0})
    client.sadd(settings["SCHEDULER_DUPEFILTER_KEY"] % {"spider": "pages"}, fingerprint(request).hex())
    crawler = await crawl(Pages, settings)
    assert crawler.stats.get_value("finish_reason") == "redis_error"
    assert "SCHEDULER_SERIALIZER" in caplog.text
    assert client.zrange(queue, 0, -1) == [data]  # nothing dropped: it waits for a worker that may read it
    crawler = await crawl(Pages, {**settings, "SCHEDULER_SERIALIZER": "pickle"})
    assert crawler.stats.get_value("finish_reason") == "finished"
    assert crawler.stats.get_value("item_scraped_count") == 5


async def test_a_request_that_cannot_be_shared_is_crawled_here(aiohttp_server, redis_url):
    server = await aiohttp_server(make_link_site(3, 1))
    seen = []

    class Local(ascrapy.Spider):
        name = "local"

        async def start(self):
            yield ascrapy.Request(str(server.make_url("/page/0")), meta={"f": object()}, callback=self.page)

        def page(self, response):
            seen.append(response.url)

    crawler = await crawl(Local, redis_settings(redis_url))
    assert len(seen) == 1 and crawler.stats.get_value("scheduler/unserializable") == 1


def test_two_workers_share_the_crawl_and_a_killed_one_loses_nothing(tmp_path, redis_url):
    spider = tmp_path / "pages.py"
    spider.write_text(PAGES_SPIDER)
    settings = redis_settings(redis_url, REDIS_LEASE_SECONDS=2)
    args = [f"{name}={value}" for name, value in settings.items()]
    with serve_app_in_thread(make_link_site(600, 6)) as base:
        def worker(number: int) -> subprocess.Popen[str]:
            command = [sys.executable, "-m", "ascrapy", "runspider", str(spider), "-a", f"base={base}",
                       "-o", str(tmp_path / f"worker{number}.jsonl"), "-s", "FEED_WRITE_BATCH_SIZE=10",
                       "-s", "CONCURRENT_REQUESTS=8", "-L", "INFO"]
            for arg in args:
                command += ["-s", arg]
            return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                    cwd=tmp_path)

        first, second = worker(1), worker(2)
        while sum(feed_pages(tmp_path / "worker1.jsonl").values()) < 60:  # the moment of the kill
            assert first.poll() is None, first.communicate()[1][-3000:]
            try:
                first.wait(timeout=0.01)
            except subprocess.TimeoutExpired:
                pass
        os.kill(first.pid, signal.SIGKILL)
        first.communicate(timeout=30)
        _, log = second.communicate(timeout=300)
    assert second.returncode == 0, log[-3000:]
    together = feed_pages(tmp_path / "worker1.jsonl") + feed_pages(tmp_path / "worker2.jsonl")
    assert set(together) == {str(n) for n in range(600)}  # nothing lost
    assert sum(together.values()) - 600 <= 8 + 10  # repeated: only what the killed one had in flight
    assert "whose lease expired back in the queue" in log


def test_redis_unreachable_at_start_exits_1_naming_the_url_without_its_password(tmp_path):
    from tests.redis_server import free_port

    spider = tmp_path / "pages.py"
    spider.write_text(PAGES_SPIDER)
    url = f"redis://worker:s3cr3t-pw@127.0.0.1:{free_port()}/0"
    done = subprocess.run(
        [sys.executable, "-m", "ascrapy", "runspider", str(spider), "-s", "SCHEDULER=ascrapy.redis.Scheduler",
         "-s", f"REDIS_URL={url}", "-L", "INFO"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 1
    assert f"Redis is unreachable at redis://worker@127.0.0.1:{url.rsplit(':', 1)[1]}" in done.stderr
    assert "s3cr3t-pw" not in done.stderr


def test_redis_paused_for_a_while_is_waited_for_and_lost_for_good_stops_the_crawl(tmp_path, redis_server):
    """SIGSTOP makes Redis stop answering without losing its data: shorter than
    REDIS_RECONNECT_TIMEOUT, the crawl waits and goes on; then stopped for good, the crawl
    ends as redis_error with exit code 7, its feed batches written."""
    spider = tmp_path / "pages.py"
    spider.write_text(PAGES_SPIDER)
    settings = redis_settings(redis_server.url, REDIS_RECONNECT_TIMEOUT=6,
                              REDIS_PARAMS={"socket_timeout": 0.5, "socket_connect_timeout": 0.5})
    feed = tmp_path / "items.jsonl"
    slow = make_link_site(400, 5)

    @web.middleware
    async def paced(request, handler):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.01)
        return await handler(request)

    slow.middlewares.append(paced)
    with serve_app_in_thread(slow) as base:
        command = [sys.executable, "-m", "ascrapy", "runspider", str(spider), "-a", f"base={base}",
                   "-o", str(feed), "-s", "FEED_WRITE_BATCH_SIZE=5", "-s", "CONCURRENT_REQUESTS=4", "-L", "INFO"]
        for name, value in settings.items():
            command += ["-s", f"{name}={json.dumps(value) if isinstance(value, dict) else value}"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   cwd=tmp_path)
        log = LineReader(process.stderr)  # type: ignore[arg-type]
        wait_for_pages(process, feed, 20)
        redis_server.process.send_signal(signal.SIGSTOP)  # type: ignore[union-attr]
        log.wait_for("does not answer")
        redis_server.process.send_signal(signal.SIGCONT)  # type: ignore[union-attr]
        before = sum(feed_pages(feed).values())
        wait_for_pages(process, feed, before + 20)  # it went on
        redis_server.process.send_signal(signal.SIGSTOP)  # type: ignore[union-attr]
        try:
            process.wait(timeout=120)
        finally:
            redis_server.process.send_signal(signal.SIGCONT)  # type: ignore[union-attr]
    text = log.rest()
    assert process.returncode == 7, text[-3000:]
    assert "The Redis frontier stops the crawl" in text and "'finish_reason': 'redis_error'" in text
    scraped = int(re.search(r"'item_scraped_count': (\d+)", text).group(1))  # type: ignore[union-attr]
    assert sum(feed_pages(feed).values()) == scraped  # the batches were written


def wait_for_pages(process: subprocess.Popen[str], feed: Path, count: int) -> None:
    while sum(feed_pages(feed).values()) < count:
        assert process.poll() is None, "the crawl ended first"
        try:
            process.wait(timeout=0.01)
        except subprocess.TimeoutExpired:
            pass


def run_two_workers(tmp_path: Path, app: web.Application, settings: dict[str, object]) -> Counter[str]:
    """Two worker processes of the pages spider on ``app``: the pages each wrote, together."""
    spider = tmp_path / "pages.py"
    spider.write_text(PAGES_SPIDER)
    with serve_app_in_thread(app) as base:
        workers = []
        for number in (1, 2):
            command = [sys.executable, "-m", "ascrapy", "runspider", str(spider), "-a", f"base={base}",
                       "-o", str(tmp_path / f"w{number}.jsonl"), "-L", "INFO"]
            for name, value in settings.items():
                command += ["-s", f"{name}={value}"]
            workers.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                            text=True, cwd=tmp_path))
        logs = [worker.communicate(timeout=300)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], logs
    each = [feed_pages(tmp_path / f"w{number}.jsonl") for number in (1, 2)]
    assert all(each), "both workers crawled"
    return each[0] + each[1]


def measured_site(pages: int, seconds: float) -> tuple[web.Application, dict[str, Any]]:
    """The link site, each answer held ``seconds``; the dict counts concurrent requests and
    keeps their start times."""
    load: dict[str, Any] = {"in_flight": 0, "most": 0, "starts": []}
    app = make_link_site(pages, 4)

    @web.middleware
    async def measured(request, handler):  # type: ignore[no-untyped-def]
        load["starts"].append(asyncio.get_running_loop().time())
        load["in_flight"] += 1
        load["most"] = max(load["most"], load["in_flight"])
        try:
            await asyncio.sleep(seconds)
            return await handler(request)
        finally:
            load["in_flight"] -= 1

    app.middlewares.append(measured)
    return app, load


def test_shared_slots_hold_the_per_domain_limit_across_workers(tmp_path, redis_url):
    """Each worker may send 2 at a time: with REDIS_SHARED_SLOTS the site sees 2 in all."""
    app, load = measured_site(80, 0.02)
    settings = redis_settings(redis_url, REDIS_SHARED_SLOTS=True, CONCURRENT_REQUESTS_PER_DOMAIN=2,
                              CONCURRENT_REQUESTS=2)
    assert set(run_two_workers(tmp_path, app, settings)) == {str(n) for n in range(80)}
    assert load["most"] == 2


def test_shared_slots_hold_the_download_delay_across_workers(tmp_path, redis_url):
    app, load = measured_site(40, 0.0)
    settings = redis_settings(redis_url, REDIS_SHARED_SLOTS=True, DOWNLOAD_DELAY=0.03, DOWNLOAD_DELAY_JITTER=0,
                              CONCURRENT_REQUESTS=2)
    assert set(run_two_workers(tmp_path, app, settings)) == {str(n) for n in range(40)}
    # Redis grants the starts 30 ms apart; what reaches the server may be closer or further
    # apart (each worker's way from the grant to the request differs, more so on a busy
    # machine). Two workers each keeping the delay on its own would send pairs at once: half
    # the gaps near 0 and the whole crawl in half the time.
    starts = sorted(load["starts"])
    gaps = sorted(later - earlier for earlier, later in zip(starts, starts[1:]))
    assert gaps[len(gaps) // 2] >= 0.025
    assert starts[-1] - starts[0] >= (len(starts) - 1) * 0.03 - 0.01


def test_processes_run_workers_on_one_frontier_each_with_its_feed(tmp_path, redis_url):
    spider = tmp_path / "pages.py"
    spider.write_text(PAGES_SPIDER)
    settings = redis_settings(redis_url, CONCURRENT_REQUESTS=2)
    with serve_app_in_thread(make_link_site(2000, 4)) as base:
        command = [sys.executable, "-m", "ascrapy", "runspider", str(spider), "-a", f"base={base}",
                   "--processes", "2", "-o", str(tmp_path / "items-%(worker)s.jsonl"), "-L", "INFO"]
        for name, value in settings.items():
            command += ["-s", f"{name}={value}"]
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    first, second = feed_pages(tmp_path / "items-1.jsonl"), feed_pages(tmp_path / "items-2.jsonl")
    assert first and second  # both worked
    assert first + second == Counter({str(n): 1 for n in range(2000)})  # every item, exactly once
    assert done.stderr.count("Spider closed (finished)") == 2


def test_processes_need_a_shared_frontier_and_a_feed_per_worker(tmp_path, redis_url):
    spider = tmp_path / "pages.py"
    spider.write_text(PAGES_SPIDER)
    alone = subprocess.run([sys.executable, "-m", "ascrapy", "runspider", str(spider), "--processes", "2"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert alone.returncode == 2 and "needs a frontier its workers share" in alone.stderr
    one_file = subprocess.run(
        [sys.executable, "-m", "ascrapy", "runspider", str(spider), "--processes", "2", "-o", "items.jsonl",
         "-s", "SCHEDULER=ascrapy.redis.Scheduler", "-s", f"REDIS_URL={redis_url}"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert one_file.returncode == 2 and "%(worker)s" in one_file.stderr


async def test_a_bloom_filter_dedupes_in_a_bitmap_of_its_size(aiohttp_server, redis_url, tmp_path):
    from ascrapy.redis.dupefilter import BloomDupeFilter

    server = await aiohttp_server(make_link_site(100, 5))
    feed = tmp_path / "items.jsonl"
    settings = redis_settings(redis_url, DUPEFILTER_CLASS="ascrapy.redis.BloomDupeFilter",
                              DUPEFILTER_BLOOM_CAPACITY=10_000, DUPEFILTER_BLOOM_ERROR_RATE=0.001,
                              SCHEDULER_PERSIST=True, FEEDS={str(feed): {"format": "jsonlines"}})
    crawler = await crawl(Pages, settings, start_urls=[str(server.make_url("/"))])
    assert feed_pages(feed) == Counter({str(n): 1 for n in range(100)})
    assert crawler.stats.get_value("dupefilter/filtered") >= 300  # 500 links, 100 pages
    bloom = BloomDupeFilter(capacity=10_000, error_rate=0.001)
    assert bloom.hashes == 10 and 143_000 < bloom.bits < 144_000  # 1.8 bytes per fingerprint
    client = redis.Redis.from_url(redis_url)
    key = settings["SCHEDULER_DUPEFILTER_KEY"] % {"spider": "pages"}
    assert client.strlen(key) == bloom.size_in_bytes  # made whole at open
    assert client.memory_usage(key) < bloom.size_in_bytes * 1.3  # not grown bit by bit (about 2x)


async def test_a_bloom_filter_refuses_a_key_that_holds_a_set(redis_url):
    import redis.asyncio

    from ascrapy.redis.dupefilter import BloomDupeFilter

    client = redis.asyncio.Redis.from_url(redis_url)
    key = f"{uuid.uuid4().hex[:8]}:pages:dupefilter"
    await client.sadd(key, "0" * 40)
    with pytest.raises(redis.exceptions.ResponseError, match=f"{key} holds a set, not a Bloom filter"):
        await BloomDupeFilter(capacity=1000).prepare(client, key)
    assert await client.scard(key) == 1  # left as it was
    await client.aclose()


def test_the_bloom_filter_keeps_its_false_positive_rate():
    import hashlib

    from ascrapy.redis.dupefilter import BloomDupeFilter

    bloom = BloomDupeFilter(capacity=20_000, error_rate=0.01)
    bits = bytearray((bloom.bits + 7) // 8)

    class Fingerprints:
        def fingerprint(self, request):
            return hashlib.sha1(request.encode()).digest()

    bloom.fingerprinter = Fingerprints()

    def seen(key):
        return all(bits[p >> 3] & (1 << (p & 7)) for p in map(int, bloom.marker(key).split()))

    def seen_and_set(key):
        already = seen(key)
        for p in map(int, bloom.marker(key).split()):
            bits[p >> 3] |= 1 << (p & 7)
        return already

    filling = sum(seen_and_set(f"in-{n}") for n in range(20_000))  # false positives while it fills
    assert filling / 20_000 < 0.01
    assert all(seen(f"in-{n}") for n in range(0, 20_000, 97))  # no false negative
    false_positives = sum(seen(f"out-{n}") for n in range(20_000))
    assert false_positives / 20_000 < 0.02  # the rate it was sized for is 0.01
