"""When the per-page and per-item DEBUG lines may be skipped without building them.

Scrapy's logging leaves the root logger at NOTSET and filters with the handlers' levels,
so a logger says yes to DEBUG even at LOG_LEVEL=INFO; the lines are skipped only when no
handler or filter on their way would see them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import ascrapy
from ascrapy.logformatter import LogFormatter, debug_line_is_off

from .crawl_helpers import crawl


class Collect(logging.Handler):
    def __init__(self, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def root_as_scrapy_leaves_it(*handlers: logging.Handler) -> Iterator[None]:
    """The root logger at NOTSET with only ``handlers`` (pytest's own are set aside), as
    Scrapy's configure_logging leaves it; restored afterwards."""
    saved = logging.root.handlers[:], logging.root.level
    logging.root.handlers[:] = list(handlers)
    logging.root.setLevel(logging.NOTSET)
    try:
        yield
    finally:
        logging.root.handlers[:] = saved[0]
        logging.root.setLevel(saved[1])


@pytest.fixture
def hierarchy() -> Iterator[tuple[logging.Logger, logging.Logger]]:
    """A parent and a child logger of their own, under a root at NOTSET with an INFO handler
    (set up here, in the test's call: pytest adds its own handlers around it)."""
    parent = logging.getLogger("ascrapy-test-parent")
    child = logging.getLogger("ascrapy-test-parent.child")
    yield parent, child
    for logger in (parent, child):
        logger.handlers.clear()
        logger.filters.clear()
        logger.propagate = True


def test_skipped_when_every_handler_is_above_debug(hierarchy):
    _, child = hierarchy
    with root_as_scrapy_leaves_it(Collect(logging.INFO)):
        assert child.isEnabledFor(logging.DEBUG)  # what the logger alone says
        assert debug_line_is_off(LogFormatter(), "crawled", child)


def test_kept_for_a_debug_handler_on_the_way(hierarchy):
    parent, child = hierarchy
    with root_as_scrapy_leaves_it(Collect(logging.INFO)):
        parent.addHandler(Collect(logging.DEBUG))
        assert not debug_line_is_off(LogFormatter(), "crawled", child)


def test_kept_for_a_filter_on_the_logger(hierarchy):
    _, child = hierarchy
    with root_as_scrapy_leaves_it(Collect(logging.INFO)):
        child.addFilter(lambda record: True)
        assert not debug_line_is_off(LogFormatter(), "scraped", child)


def test_handlers_past_a_non_propagating_logger_do_not_count(hierarchy):
    parent, child = hierarchy
    with root_as_scrapy_leaves_it(Collect(logging.INFO)):
        logging.root.handlers[:] = [Collect(logging.DEBUG)]
        child.propagate = False
        child.addHandler(Collect(logging.WARNING))
        assert debug_line_is_off(LogFormatter(), "crawled", child)
        parent.addHandler(Collect(logging.DEBUG))  # not reached either
        assert debug_line_is_off(LogFormatter(), "crawled", child)


def test_no_handler_at_all_means_the_last_resort_decides(hierarchy, monkeypatch):
    _, child = hierarchy
    with root_as_scrapy_leaves_it(Collect(logging.INFO)):
        logging.root.handlers[:] = []
        assert debug_line_is_off(LogFormatter(), "crawled", child)  # lastResort is WARNING
        monkeypatch.setattr(logging, "lastResort", None)
        assert not debug_line_is_off(LogFormatter(), "crawled", child)


def test_never_skipped_for_a_formatter_of_its_own(hierarchy):
    _, child = hierarchy

    class Mine(LogFormatter):
        def crawled(self, request, response, spider=None):
            return {"level": logging.WARNING, "msg": "got %(url)s", "args": {"url": response.url}}

    with root_as_scrapy_leaves_it(Collect(logging.INFO)):
        assert not debug_line_is_off(Mine(), "crawled", child)
        assert debug_line_is_off(Mine(), "scraped", child)


async def test_a_debug_handler_on_the_engine_logger_still_gets_crawled_lines(aiohttp_server, monkeypatch):
    from aiohttp import web

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<p>hi</p>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    server = await aiohttp_server(app)

    class One(ascrapy.Spider):
        name = "one"
        start_urls = [str(server.make_url("/"))]

        def parse(self, response):
            yield {"url": response.url}

    made: list[logging.LogRecord] = []
    factory = logging.getLogRecordFactory()

    def counting_factory(*args, **kwargs):
        record = factory(*args, **kwargs)
        made.append(record)
        return record

    monkeypatch.setattr(logging, "_logRecordFactory", counting_factory)
    engine_logger = logging.getLogger("scrapy.core.engine")
    handler = Collect(logging.DEBUG)
    engine_logger.addHandler(handler)
    try:
        with root_as_scrapy_leaves_it(Collect(logging.INFO)):
            await crawl(One, {"LOG_LEVEL": "INFO"})
    finally:
        engine_logger.removeHandler(handler)
    crawled = [record.getMessage() for record in handler.records if record.levelno == logging.DEBUG]
    assert crawled == [f"Crawled (200) <GET {server.make_url('/')}> (referer: None)"]
    # Nothing listens at DEBUG to the scraper's logger: its "Scraped from" line is not built.
    assert not [record for record in made if record.name == "scrapy.core.scraper"]
