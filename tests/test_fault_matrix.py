"""The fault matrix: each way a server or a URL can hurt a crawl, against the hostile app.

Each test checks four things: the error (its class, and a message naming the URL and the
cause), the retry decision (how often the server saw the URL; RETRY_TIMES is 1 here, so a
retried URL is seen twice), that the crawl goes on (a healthy control page is still
crawled and the crawl finishes), and that what the crawler holds stays bounded (body bytes
received, decompressed or parsed). Item sinks, MongoDB and FTP have their cases in
test_pipelines_batch.py, test_pipeline_mongo.py and test_handler_ftp.py.
"""

from __future__ import annotations

import json
import logging
import socket

import pytest

import ascrapy
from ascrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from tests.crawl_helpers import crawl
from tests.fault_helpers import Hostile, fetch_each
from tests.sites.hostile import make_hostile_app

CHUNK = 65536  # the most the HTTP handler reads at once


@pytest.fixture
async def hostile(aiohttp_server):
    return Hostile(await aiohttp_server(make_hostile_app()))


def retried(outcomes, times=1):
    return outcomes.stats.get("retry/count", 0) == times


# -- bodies -------------------------------------------------------------------------------


async def test_malformed_html_is_parsed_as_far_as_it_goes(hostile):
    url = hostile.url("/malformed")
    found = {}

    def parse(response):
        found[response.url] = (response.css("title::text").get(), response.css("a::attr(href)").getall())

    outcomes = await fetch_each([url], hostile.url("/ok"), callback=parse)
    assert outcomes.responses[url].status == 200
    assert found[url] == ("broken", ["/ok", "/ok?2"])
    assert hostile.hits("/malformed") == 1


async def test_deeply_nested_html_stops_at_the_parser_depth_limit(hostile):
    url = hostile.url("/nested?depth=100000")
    found = {}

    def parse(response):
        found[response.url] = len(response.css("div"))

    outcomes = await fetch_each([url], hostile.url("/ok"), callback=parse)
    assert outcomes.responses[url].status == 200
    # libxml2 gives up below its depth limit: the tree it builds stays small.
    assert 0 < found[url] < 10_000


async def test_charset_conflicts_resolve_as_in_scrapy(hostile):
    header_vs_meta, bom_vs_header = hostile.url("/charset-conflict"), hostile.url("/bom-conflict")
    titles = {}

    def parse(response):
        titles[response.url] = (response.encoding, response.css("title::text").get())

    await fetch_each([header_vs_meta, bom_vs_header], hostile.url("/ok"), callback=parse)
    # The header beats <meta> (the byte that is not UTF-8 is replaced); a BOM beats the header.
    assert titles[header_vs_meta] == ("utf-8", "Caf\ufffd")
    assert titles[bom_vs_header] == ("utf-8", "Café")


@pytest.mark.parametrize("chunked", [False, True])
async def test_body_over_maxsize_is_cancelled_once(hostile, chunked):
    path = f"/sized?bytes=1000000&chunked={int(chunked)}"
    url = hostile.url(path)
    outcomes = await fetch_each([url], hostile.url("/ok"), {"DOWNLOAD_MAXSIZE": 100_000})
    error = outcomes.failure(url)
    assert isinstance(error, DownloadCancelledError)
    assert "larger than download max size (100000)" in str(error) and url in str(error)
    assert hostile.hits(path) == 1 and retried(outcomes, 0)
    assert outcomes.received[url] <= (100_000 + CHUNK if chunked else 0)


async def test_body_over_warnsize_is_delivered_with_a_warning(hostile, caplog):
    url = hostile.url("/sized?bytes=50000&chunked=1")
    outcomes = await fetch_each([url], hostile.url("/ok"), {"DOWNLOAD_WARNSIZE": 10_000})
    assert len(outcomes.responses[url].body) == 50_000
    assert "larger than download warn size (10000)" in caplog.text and url in caplog.text


async def test_endless_chunked_body_is_cut_at_maxsize_and_not_retried(hostile):
    url = hostile.url("/endless")
    outcomes = await fetch_each([url], hostile.url("/ok"), {"DOWNLOAD_MAXSIZE": 1_000_000})
    error = outcomes.failure(url)
    assert isinstance(error, DownloadCancelledError) and url in str(error)
    assert hostile.hits("/endless") == 1 and retried(outcomes, 0)
    assert outcomes.received[url] <= 1_000_000 + CHUNK


async def test_gzip_bomb_stops_inflating_at_maxsize(hostile):
    url = hostile.url("/gzip-bomb?mib=64")
    outcomes = await fetch_each([url], hostile.url("/ok"), {"DOWNLOAD_MAXSIZE": 1_000_000})
    error = outcomes.failure(url)
    assert isinstance(error, IgnoreRequest)
    assert "exceeded DOWNLOAD_MAXSIZE (1000000 B) during decompression" in str(error) and url in str(error)
    inflated = int(str(error).split(" B decompressed")[0].rsplit(" ", 1)[1])
    assert inflated <= 1_000_000 + CHUNK
    assert hostile.hits("/gzip-bomb?mib=64") == 1 and retried(outcomes, 0)


async def test_lying_content_encoding_fails_the_response_without_retry(hostile):
    url = hostile.url("/lying-encoding")
    outcomes = await fetch_each([url], hostile.url("/ok"))
    error = outcomes.failure(url)
    assert isinstance(error, OSError) and "gzip" in str(error).lower()
    assert hostile.hits("/lying-encoding") == 1 and retried(outcomes, 0)


# -- redirects, statuses, robots.txt ------------------------------------------------------------


async def test_redirect_loop_gives_up_after_the_limit(hostile, caplog):
    url = hostile.url("/redirect-loop")
    with caplog.at_level(logging.DEBUG):
        outcomes = await fetch_each([url], hostile.url("/ok"), {"REDIRECT_MAX_TIMES": 5})
    error = outcomes.failure(url)
    assert isinstance(error, IgnoreRequest)
    assert f"Discarding <GET {url}>: max redirections reached" in caplog.text
    assert hostile.hits("/redirect-loop") == 6 and retried(outcomes, 0)


async def test_5xx_then_success_is_retried_to_the_page(hostile):
    url = hostile.url("/flaky?failures=1&status=503")
    outcomes = await fetch_each([url], hostile.url("/ok"))
    assert outcomes.responses[url].status == 200
    assert hostile.hits("/flaky?failures=1&status=503") == 2
    assert outcomes.stats["retry/reason_count/503 Service Unavailable"] == 1


async def test_429_is_retried_at_once_as_scrapy_does(hostile):
    """Scrapy 2.19 retries 429 (RETRY_HTTP_CODES) and does not read Retry-After; nor does ascrapy."""
    url = hostile.url("/too-many-requests")
    outcomes = await fetch_each([url], hostile.url("/ok"))
    assert outcomes.responses[url].status == 200
    assert hostile.hits("/too-many-requests") == 2
    assert outcomes.stats["retry/reason_count/429 Unknown Status"] == 1  # Scrapy's phrase too


async def test_robots_txt_disallowing_all_stops_every_download(hostile, caplog):
    url = hostile.url("/ok?page")
    failures = []

    class Polite(ascrapy.Spider):
        name = "polite"

        async def start(self):
            yield ascrapy.Request(url, errback=failures.append)

    with caplog.at_level(logging.DEBUG):
        crawler = await crawl(Polite, {"ROBOTSTXT_OBEY": True})
    assert len(failures) == 1 and failures[0].check(IgnoreRequest)
    assert f"Forbidden by robots.txt: <GET {url}>" in caplog.text
    assert hostile.hits("/robots.txt") == 1 and hostile.hits("/ok?page") == 0
    assert crawler.stats.get_value("finish_reason") == "finished"


async def test_a_callback_that_always_raises_is_counted_and_the_crawl_goes_on(hostile, caplog):
    urls = [hostile.url(f"/ok?page={n}") for n in range(3)]

    def parse(response):
        if "page" in response.url:
            raise ValueError(f"cannot parse {response.url}")

    outcomes = await fetch_each(urls, hostile.url("/ok"), callback=parse)
    assert outcomes.stats["spider_exceptions/ValueError"] == 3
    for url in urls:
        assert f"Spider error processing <GET {url}>" in caplog.text
    assert retried(outcomes, 0)


# -- connections and time ----------------------------------------------------------------------


async def test_trickling_server_times_out_and_is_retried(hostile):
    url = hostile.url("/trickle")
    outcomes = await fetch_each([url], hostile.url("/ok"), {"DOWNLOAD_TIMEOUT": 0.3})
    error = outcomes.failure(url)
    assert isinstance(error, DownloadTimeoutError)
    assert str(error) == f"Getting {url} took longer than 0.3 seconds."
    assert hostile.hits("/trickle") == 2 and retried(outcomes, 1)
    assert outcomes.received[url] <= hostile.sent("/trickle")


async def test_reset_before_headers_is_retried(hostile):
    url = hostile.url("/reset-before-headers")
    outcomes = await fetch_each([url], hostile.url("/ok"))
    error = outcomes.failure(url)
    assert isinstance(error, DownloadFailedError)
    assert str(error) == f"The server closed the connection before answering {url}"
    # aiohttp sends an idempotent request again once when the connection closes before the
    # answer (RFC 9112, 9.3.1: a kept-alive connection may have timed out); then RetryMiddleware.
    assert hostile.hits("/reset-before-headers") == 4 and retried(outcomes, 1)


async def test_reset_mid_body_is_data_loss_and_retried(hostile):
    url = hostile.url("/reset-mid-body")
    outcomes = await fetch_each([url], hostile.url("/ok"))
    error = outcomes.failure(url)
    assert isinstance(error, ResponseDataLossError)
    assert str(error).startswith(f"The response body of {url} is incomplete")
    assert hostile.hits("/reset-mid-body") == 2 and retried(outcomes, 1)
    assert outcomes.received[url] <= 2 * 1000


async def test_dns_failure_is_retried_and_names_the_host(hostile, monkeypatch):
    """No resolver is asked: the loop's getaddrinfo fails for *.invalid here, as one would."""
    import asyncio

    loop = asyncio.get_running_loop()
    real_getaddrinfo = loop.getaddrinfo

    async def getaddrinfo(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return await real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
    url = "http://nowhere.invalid/page"
    outcomes = await fetch_each([url], hostile.url("/ok"))
    error = outcomes.failure(url)
    assert isinstance(error, CannotResolveHostError)
    assert str(error) == f"DNS lookup failed for nowhere.invalid ({url}): Name or service not known"
    assert retried(outcomes, 1)


async def test_connection_refused_names_the_url_without_tls_noise(hostile):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    outcomes = await fetch_each([url], hostile.url("/ok"))
    error = outcomes.failure(url)
    assert str(error) == f"Connection to 127.0.0.1:{port} ({url}) was refused"
    assert retried(outcomes, 1)


# -- URLs and schemes ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://", "http:///x"])
async def test_url_without_host_fails_once_naming_it(hostile, url):
    outcomes = await fetch_each([url], hostile.url("/ok"))
    error = outcomes.failure(url)
    assert type(error) is ValueError
    assert str(error) == f"Invalid URL {url}: it has no host name"
    assert retried(outcomes, 0)


@pytest.mark.parametrize(
    ("url", "scheme"), [("ht!tp://x", ""), ("gopher://127.0.0.1/", "gopher"), ("s3://bucket/key", "s3")]
)
async def test_unsupported_schemes_fail_once(hostile, url, scheme):
    outcomes = await fetch_each([url], hostile.url("/ok"))
    error = outcomes.failure(url)
    assert isinstance(error, UnsupportedURLSchemeError)
    assert str(error).startswith(f"Unsupported URL scheme '{scheme}'")
    assert retried(outcomes, 0)


async def test_a_start_request_that_cannot_be_built_finishes_as_start_error(caplog):
    class Unbuildable(ascrapy.Spider):
        name = "unbuildable"

        async def start(self):
            yield ascrapy.Request("noscheme")

    crawler = await crawl(Unbuildable)
    assert crawler.stats.get_value("finish_reason") == "start_error"
    assert "Missing scheme in request url: noscheme" in caplog.text


# -- headers ------------------------------------------------------------------------------------


async def test_long_header_lines_and_many_headers_are_read(hostile):
    """A 12 KB header line and 200 headers: aiohttp's defaults (8,190 bytes, 128) refuse both."""
    huge, many = hostile.url("/huge-header?bytes=12000"), hostile.url("/many-headers?count=200")
    outcomes = await fetch_each([huge, many], hostile.url("/ok"))
    assert len(outcomes.responses[huge].headers[b"X-Huge"]) == 12_000
    assert outcomes.responses[many].headers[b"X-Header-199"] == b"v"


async def test_a_header_line_beyond_the_limit_is_cancelled_naming_the_limit(hostile):
    url = hostile.url("/huge-header?bytes=12000")
    outcomes = await fetch_each([url], hostile.url("/ok"), {"DOWNLOAD_HEADER_MAXSIZE": 4096})
    error = outcomes.failure(url)
    assert isinstance(error, DownloadCancelledError)
    assert str(error).startswith(
        f"A line of the response head of {url} is longer than 4096 bytes (DOWNLOAD_HEADER_MAXSIZE)"
    )
    assert "400" not in str(error).split(":")[0]
    assert hostile.hits("/huge-header?bytes=12000") == 1 and retried(outcomes, 0)


async def test_too_many_headers_are_cancelled_naming_the_limit(hostile, caplog):
    url = hostile.url("/many-headers?count=200")
    with caplog.at_level(logging.DEBUG, logger="scrapy.downloadermiddlewares.retry"):
        outcomes = await fetch_each([url], hostile.url("/ok"), {"DOWNLOAD_MAXHEADERS": 50})
    error = outcomes.failure(url)
    assert isinstance(error, DownloadCancelledError)
    assert str(error) == f"The response of {url} has more than 50 headers (DOWNLOAD_MAXHEADERS)"
    assert hostile.hits("/many-headers?count=200") == 1 and retried(outcomes, 0)
    assert "scrapy.exceptions.DownloadCancelledError is not a transient error" in caplog.text


# -- item sinks ---------------------------------------------------------------------------------


async def test_a_feed_on_a_full_disk_dead_letters_its_items_and_the_crawl_goes_on(tmp_path, caplog):
    class Items(ascrapy.Spider):
        name = "items"

        async def start(self):
            for n in range(250):
                yield {"n": n, "text": "x" * 100}

    dead = tmp_path / "dead.jsonl"
    crawler = await crawl(Items, {
        "FEEDS": {"/dev/full": {"format": "jsonlines"}}, "BATCH_RETRY_TIMES": 1, "BATCH_RETRY_BACKOFF": 0.01,
        "DEAD_LETTER_PATH": str(dead),
    })
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "finished"
    records = [json.loads(line) for line in dead.read_text().splitlines()]
    assert sorted(record["item"]["n"] for record in records) == list(range(250))
    assert {record["error"] for record in records} == {"OSError: [Errno 28] No space left on device"}
    # Retried once (a full disk may be freed), then dead-lettered; at most a batch at a time.
    assert stats["batch/FeedExporter/failed_batches"] == 3 and stats["batch/FeedExporter/retries"] == 3
    assert "FeedExporter could not write a batch of 100 items after 2 attempt(s)" in caplog.text
