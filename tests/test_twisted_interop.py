"""Plugin code that uses Twisted runs on ascrapy's loop, and code that does not never loads it.

A Twisted reactor, once installed, stays bound to one event loop for the life of the
process, and once Twisted's error module is loaded ascrapy's download errors take Twisted's
classes too; so every check runs in a process of its own (a script run with this Python),
and the test process itself never imports Twisted.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.process_helpers import WAIT, child_env, free_port
from tests.sites import make_failure_app, make_link_site, serve_app_in_thread

PAGES = 6


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_app_in_thread(make_link_site(PAGES, 2)) as url:
        yield url


@pytest.fixture(scope="module")
def failure_site() -> Iterator[str]:
    with serve_app_in_thread(make_failure_app()) as url:
        yield url


def run_script(tmp_path: Path, body: str, *args: str) -> dict[str, object]:
    """Run ``body`` (which writes its findings as JSON to sys.argv[1]) in a fresh process."""
    script = tmp_path / "crawl_script.py"
    script.write_text(textwrap.dedent(body))
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, str(script), str(out), *args], cwd=tmp_path, env=child_env(),
                          capture_output=True, text=True, timeout=WAIT * 2)
    assert done.returncode == 0, done.stderr[-4000:]
    return {**json.loads(out.read_text()), "stderr": done.stderr}


NO_TWISTED_CRAWL = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess


class Pipeline:
    async def process_item(self, item):
        return item


class Pages(scrapy.Spider):
    name = "pages"
    custom_settings = {"ITEM_PIPELINES": {Pipeline: 100}, "LOG_LEVEL": "WARNING"}

    def parse(self, response):
        yield {"url": response.url}
        yield from response.follow_all(css="ul.links a")


process = CrawlerProcess()
process.crawl(Pages, start_urls=[sys.argv[2] + "/page/0"])
process.start()
json.dump({"twisted": sorted(m for m in sys.modules if m.split(".")[0] == "twisted")}, open(sys.argv[1], "w"))
"""


def test_a_crawl_that_uses_no_twisted_never_imports_it(tmp_path: Path, site: str) -> None:
    found = run_script(tmp_path, NO_TWISTED_CRAWL, site)
    assert found["twisted"] == []


TWISTED_COMPONENTS = """
import json, sys, threading, warnings
warnings.simplefilter("always")
import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from twisted.internet import defer, task
from twisted.internet.threads import deferToThread

found = {"threads": set(), "ticks": 0}


def later(value, delay=0.01):
    from twisted.internet import reactor  # the first import installs it on ascrapy's loop

    return task.deferLater(reactor, delay, lambda: value)


class Middleware:
    def process_request(self, request):
        return later(None)  # a Deferred of None: go on downloading

    def process_response(self, request, response):
        return later(response.replace(body=response.body + b"<!-- seen -->"))


class Pipeline:
    def open_spider(self):
        found["opened"] = True
        return later(None)

    def process_item(self, item):
        def in_thread():
            found["threads"].add(threading.current_thread().name)
            return {**item, "thread": True}
        return deferToThread(in_thread)


class Ticker:
    @classmethod
    def from_crawler(cls, crawler):
        ext = cls()
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def tick(self):
        found["ticks"] += 1

    def opened(self, spider):
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(0.001)

    def closed(self, spider):
        self.loop.stop()
        d = later("closed")
        d.addCallback(lambda value: found.__setitem__("closed", value))
        return d


class Pages(scrapy.Spider):
    name = "pages"
    custom_settings = {
        "ITEM_PIPELINES": {Pipeline: 100},
        "DOWNLOADER_MIDDLEWARES": {Middleware: 543},
        "EXTENSIONS": {Ticker: 0},
        "LOG_LEVEL": "WARNING",
    }

    def parse(self, response):
        yield {"url": response.url, "seen": response.body.endswith(b"<!-- seen -->")}
        yield from response.follow_all(css="ul.links a")


items = []
process = CrawlerProcess()
crawler = process.create_crawler(Pages)
crawler.signals.connect(lambda item: items.append(item), signal=signals.item_scraped)
process.crawl(crawler, start_urls=[sys.argv[2] + "/page/0"])
process.start()
from twisted.internet import reactor
from twisted.internet.asyncioreactor import AsyncioSelectorReactor
from scrapy.utils.reactor import is_reactor_installed, verify_installed_reactor

verify_installed_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
json.dump({
    "items": items, "opened": found.get("opened"), "closed": found.get("closed"), "ticks": found["ticks"],
    "threads": sorted(found["threads"]), "asyncio_reactor": isinstance(reactor, AsyncioSelectorReactor),
    "installed": is_reactor_installed(),
}, open(sys.argv[1], "w"))
"""


def test_deferreds_from_components_are_awaited_on_ascrapys_loop(tmp_path: Path, site: str) -> None:
    found = run_script(tmp_path, TWISTED_COMPONENTS, site)
    assert found["asyncio_reactor"] and found["installed"]
    items = found["items"]
    assert len({item["url"] for item in items}) == PAGES  # every page, each through the Deferred-returning components
    assert all(item["seen"] and item["thread"] for item in items)
    assert found["threads"] and all(name.startswith("PoolThread-twisted.internet.reactor") for name in found["threads"])
    assert found["opened"] is True and found["closed"] == "closed"  # the signal handler's Deferred was awaited
    assert found["ticks"] > 0  # LoopingCall ran on the reactor during the crawl
    deprecated = set(re.findall(r"\.(\w+) returned a Deferred, this is deprecated", str(found["stderr"])))
    assert deprecated >= {"process_request", "process_response", "process_item", "open_spider", "closed"}


EARLY_REACTOR = """
import json, sys
import scrapy
from twisted.internet import reactor  # before any loop runs: installed on the loop the crawl will use
from scrapy.crawler import CrawlerProcess

fired = []


class Pages(scrapy.Spider):
    name = "pages"
    custom_settings = {"LOG_LEVEL": "WARNING"}

    async def parse(self, response):
        from twisted.internet import task
        await task.deferLater(reactor, 0.01, fired.append, response.url).asFuture(__import__("asyncio").get_running_loop())


process = CrawlerProcess()
process.crawl(Pages, start_urls=[sys.argv[2] + "/page/0"])
process.start()
json.dump({"fired": fired}, open(sys.argv[1], "w"))
"""


def test_a_reactor_imported_before_the_crawl_runs_on_the_crawls_loop(tmp_path: Path, site: str) -> None:
    found = run_script(tmp_path, EARLY_REACTOR, site)
    assert found["fired"] == [f"{site}/page/0"]


ERRORS_SEEN = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess
from twisted.internet import error

seen = {}


class Classifier:
    def process_exception(self, request, exception):
        seen[request.meta["case"]] = {
            name: isinstance(exception, getattr(error, name))
            for name in ("TimeoutError", "TCPTimedOutError", "DNSLookupError", "ConnectionRefusedError", "ConnectError")
        }
        seen[request.meta["case"]]["class"] = f"{type(exception).__module__}.{type(exception).__name__}"


class Failing(scrapy.Spider):
    name = "failing"
    custom_settings = {"DOWNLOADER_MIDDLEWARES": {Classifier: 600}, "RETRY_ENABLED": False,
                       "DOWNLOAD_TIMEOUT": 0.5, "LOG_LEVEL": "CRITICAL"}

    async def start(self):
        base, port = sys.argv[2], sys.argv[3]
        yield scrapy.Request(base + "/slow?seconds=30", meta={"case": "timeout"}, errback=self.failed)
        yield scrapy.Request(f"http://127.0.0.1:{port}/", meta={"case": "refused"}, errback=self.failed)
        yield scrapy.Request("http://ascrapy-test-host.invalid/", meta={"case": "dns"}, errback=self.failed)

    def failed(self, failure):
        seen[failure.request.meta["case"]]["errback_sees_twisted"] = isinstance(
            failure.value, (error.TimeoutError, error.ConnectionRefusedError, error.DNSLookupError))


process = CrawlerProcess()
process.crawl(Failing)
process.start()
json.dump(seen, open(sys.argv[1], "w"))
"""


def test_download_failures_are_seen_as_twisted_errors_by_a_plugin_that_checks(tmp_path: Path, failure_site: str) -> None:
    found = run_script(tmp_path, ERRORS_SEEN, failure_site, str(free_port()))
    timeout, refused, dns = found["timeout"], found["refused"], found["dns"]
    assert timeout["TimeoutError"] and timeout["TCPTimedOutError"] and not timeout["DNSLookupError"]
    assert timeout["class"] == "ascrapy.exceptions.DownloadTimeoutError"  # names (and stats keys) unchanged
    assert refused["ConnectionRefusedError"] and refused["ConnectError"] and not refused["TimeoutError"]
    assert dns["DNSLookupError"] and not dns["ConnectionRefusedError"]
    assert all(case["errback_sees_twisted"] for case in (timeout, refused, dns))


# -- without a reactor -------------------------------------------------------------------------

ERROR_CLASSES = """
import json, pickle, sys
from twisted.internet import defer, error
from ascrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError
from ascrapy.utils.twisted_errors import seen_by_twisted

timeout = seen_by_twisted(DownloadTimeoutError("slow"))
refused = seen_by_twisted(DownloadConnectionRefusedError("x"))
json.dump({
    "timeout": [isinstance(timeout, c) for c in (DownloadTimeoutError, error.TimeoutError, error.TCPTimedOutError,
                                                 defer.TimeoutError, error.DNSLookupError)],
    "timeout_name": [type(timeout).__name__, type(timeout).__module__, str(timeout)],
    "dns": isinstance(seen_by_twisted(CannotResolveHostError("x")), error.DNSLookupError),
    "refused": [isinstance(refused, error.ConnectionRefusedError), isinstance(refused, error.TimeoutError)],
    "other_untouched": type(seen_by_twisted(ValueError("x"))) is ValueError,
    "one_class": type(seen_by_twisted(DownloadTimeoutError("again"))) is type(timeout),
    "reactor": "twisted.internet.reactor" in sys.modules,
}, open(sys.argv[1], "w"))
"""


def test_an_error_becomes_twisted_only_where_twisted_has_a_counterpart(tmp_path: Path) -> None:
    found = run_script(tmp_path, ERROR_CLASSES)
    assert found["timeout"] == [True, True, True, True, False]
    assert found["timeout_name"] == ["DownloadTimeoutError", "ascrapy.exceptions", "slow"]
    assert found["dns"] is True
    assert found["refused"] == [True, False]
    assert found["other_untouched"] and found["one_class"]
    assert found["reactor"] is False  # classifying errors needs no reactor


DEFER_HELPERS = """
import asyncio, json, sys
from twisted.internet import defer
from scrapy.utils.defer import deferred_from_coro, deferred_to_future, maybe_deferred_to_future


async def main():
    loop = asyncio.get_running_loop()
    found = {}
    d = defer.Deferred()
    future = maybe_deferred_to_future(d)
    found["is_future"] = asyncio.isfuture(future)
    loop.call_soon(d.callback, "fired")
    found["fired"] = await future
    failing = defer.Deferred()
    loop.call_soon(failing.errback, ValueError("bad"))
    try:
        await deferred_to_future(failing)
    except ValueError as exc:
        found["error"] = str(exc)
    found["passes_through"] = deferred_from_coro(d) is d

    async def coro():
        return "coro"

    found["coro"] = await deferred_from_coro(coro())
    found["reactor"] = "twisted.internet.reactor" in sys.modules
    return found


json.dump(asyncio.run(main()), open(sys.argv[1], "w"))
"""


def test_scrapy_defer_helpers_take_real_deferreds(tmp_path: Path) -> None:
    found = run_script(tmp_path, DEFER_HELPERS)
    assert found["is_future"] and found["fired"] == "fired" and found["error"] == "bad"
    assert found["passes_through"] and found["coro"] == "coro"
    assert found["reactor"] is False
