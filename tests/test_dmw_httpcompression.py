import gzip
import logging
import random
import zlib

import brotli
import pytest
import zstandard

from ascrapy.exceptions import IgnoreRequest, NotConfigured, ScrapyDeprecationWarning
from ascrapy.http import HtmlResponse, Request, Response
from ascrapy.middleware.downloader.httpcompression import (
    ACCEPTED_ENCODINGS,
    HttpCompressionMiddleware,
    _DecompressionMaxSizeExceeded,
)

from .mw_helpers import build, get_crawler, open_spider

LOGGER = "scrapy.downloadermiddlewares.httpcompression"
PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body>" + b"<p>hello</p>" * 20000 + b"</body></html>"


def raw_deflate(data):
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


ENCODERS = {
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


def compressed(encoding, body=PAGE, url="http://example.com/", content_type="text/html"):
    headers = {"Content-Encoding": encoding}
    if content_type:
        headers["Content-Type"] = content_type
    return Response(url, body=ENCODERS[encoding](body), headers=headers)


@pytest.fixture
def mw_crawler():
    return build(HttpCompressionMiddleware)


def test_disabled():
    with pytest.raises(NotConfigured):
        build(HttpCompressionMiddleware, {"COMPRESSION_ENABLED": False})


def test_accept_encoding_set_unless_present(mw_crawler):
    mw, _ = mw_crawler
    request = Request("http://example.com")
    mw.process_request(request)
    assert request.headers["Accept-Encoding"] == b", ".join(ACCEPTED_ENCODINGS) == b"gzip, deflate, br, zstd"
    own = Request("http://example.com", headers={"Accept-Encoding": "identity"})
    mw.process_request(own)
    assert own.headers["Accept-Encoding"] == b"identity"


@pytest.mark.parametrize("encoding", list(ENCODERS))
def test_decodes_each_encoding(mw_crawler, encoding):
    mw, crawler = mw_crawler
    response = compressed(encoding)
    decoded = mw.process_response(Request(response.url), response)
    assert decoded.body == PAGE
    assert isinstance(decoded, HtmlResponse)
    assert "Content-Encoding" not in decoded.headers
    assert crawler.stats.get_value("httpcompression/response_count") == 1
    assert crawler.stats.get_value("httpcompression/response_bytes") == len(PAGE)


def test_raw_deflate(mw_crawler):
    mw, _ = mw_crawler
    response = Response("http://example.com/", body=raw_deflate(PAGE), headers={"Content-Encoding": "deflate"})
    assert mw.process_response(Request(response.url), response).body == PAGE


def test_deflate_with_trailing_bytes_terminates(mw_crawler):
    mw, _ = mw_crawler
    response = Response(
        "http://example.com/", body=zlib.compress(b"a" * 100_000) + b"garbage", headers={"Content-Encoding": "deflate"}
    )
    assert mw.process_response(Request(response.url), response).body == b"a" * 100_000


def test_stacked_encodings_in_one_or_many_headers(mw_crawler):
    mw, _ = mw_crawler
    body = zlib.compress(gzip.compress(PAGE))  # gzip applied first, then deflate
    for header in (["gzip, deflate"], ["gzip", "deflate"]):
        response = Response("http://example.com/", body=body, headers={"Content-Encoding": header})
        decoded = mw.process_response(Request(response.url), response)
        assert decoded.body == PAGE
        assert "Content-Encoding" not in decoded.headers


def test_unsupported_encoding_kept_and_warned(mw_crawler, caplog):
    mw, _ = mw_crawler
    response = Response("http://example.com/", body=zlib.compress(b"x"), headers={"Content-Encoding": "gzip, foo, deflate"})
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        decoded = mw.process_response(Request(response.url), response)
    assert decoded.body == b"x"
    assert decoded.headers.getlist("Content-Encoding") == [b"gzip", b"foo"]
    assert caplog.record_tuples == [
        (
            LOGGER,
            logging.WARNING,
            "HttpCompressionMiddleware cannot decode the response for http://example.com/ "
            "from unsupported encoding(s) 'gzip,foo'.",
        )
    ]
    # The original response is left as it was.
    assert response.headers.getlist("Content-Encoding") == [b"gzip, foo, deflate"]


def test_plain_and_head_responses_untouched(mw_crawler):
    mw, crawler = mw_crawler
    plain = Response("http://example.com", body=b"<!DOCTYPE")
    assert mw.process_response(Request(plain.url), plain) is plain
    head = compressed("gzip")
    assert mw.process_response(Request(head.url, method="HEAD"), head) is head
    assert crawler.stats.get_value("httpcompression/response_count") is None


def test_response_class_and_encoding_picked_from_decoded_body(mw_crawler):
    mw, _ = mw_crawler
    page = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head></html>'
    response = compressed("gzip", body=page, content_type="application/octet-stream")
    decoded = mw.process_response(Request(response.url), response)
    assert isinstance(decoded, HtmlResponse)
    assert decoded.encoding == "gb18030"


def test_gzipped_gz_file_decoded_once(mw_crawler):
    mw, _ = mw_crawler
    inner = gzip.compress(b"<urlset/>")
    response = compressed("gzip", body=inner, content_type="application/gzip")
    assert mw.process_response(Request(response.url), response).body == inner


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_maxsize_applies_to_decoded_size(encoding, caplog):
    mw, _ = build(HttpCompressionMiddleware, {"DOWNLOAD_MAXSIZE": 1_000_000})
    bomb = b"\0" * 5_000_000
    response = compressed(encoding, body=bomb, content_type=None)
    with caplog.at_level(logging.WARNING, logger=LOGGER), pytest.raises(IgnoreRequest) as info:
        mw.process_response(Request(response.url), response)
    cause = info.value.__cause__
    assert isinstance(cause, _DecompressionMaxSizeExceeded)
    assert 1_000_000 < cause.decompressed_size < 1_100_000
    assert str(cause) == (
        f"The number of bytes decompressed so far ({cause.decompressed_size} B) exceeded the specified maximum (1000000 B)."
    )
    assert str(info.value) == (
        f"Ignored response <200 http://example.com/> because its body ({len(response.body)} B compressed, "
        f"{cause.decompressed_size} B decompressed so far) exceeded DOWNLOAD_MAXSIZE (1000000 B) during decompression."
    )
    assert caplog.messages == [str(info.value)]


def test_maxsize_and_warnsize_from_meta(mw_crawler, caplog):
    mw, _ = mw_crawler
    response = compressed("gzip", body=b"a" * 20_000, content_type=None)
    with pytest.raises(IgnoreRequest):
        mw.process_response(Request(response.url, meta={"download_maxsize": 10_000}), response)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        mw.process_response(Request(response.url, meta={"download_warnsize": 10_000}), response)
    assert caplog.messages == [
        "<200 http://example.com/> body size after decompression (20000 B) is larger than the download "
        "warning size (10000 B)."
    ]


def test_deprecated_spider_attributes():
    from ascrapy.spiders import Spider

    class SmallSpider(Spider):
        name = "small"
        download_maxsize = 10_000

    crawler = get_crawler(spidercls=SmallSpider)
    mw = HttpCompressionMiddleware.from_crawler(crawler)
    with pytest.warns(ScrapyDeprecationWarning, match="download_maxsize"):
        open_spider(crawler)
    response = compressed("gzip", body=b"a" * 20_000)
    with pytest.raises(IgnoreRequest):
        mw.process_response(Request(response.url), response)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_truncated_body_keeps_decoded_start(mw_crawler, encoding):
    mw, _ = mw_crawler
    body = random.Random(0).randbytes(200_000)
    response = compressed(encoding, body=body)
    truncated = response.replace(body=response.body[: len(response.body) // 2])
    decoded = mw.process_response(Request(response.url), truncated).body
    assert len(decoded) > 1000
    assert body.startswith(decoded)


def test_truncated_zstd_gives_empty_body(mw_crawler):
    mw, _ = mw_crawler
    response = compressed("zstd", body=bytes(range(256)) * 100)
    truncated = response.replace(body=response.body[: len(response.body) // 2])
    assert mw.process_response(Request(response.url), truncated).body == b""


def test_constructor_without_crawler_is_deprecated():
    with pytest.warns(ScrapyDeprecationWarning, match="HttpCompressionMiddleware"):
        mw = HttpCompressionMiddleware()
    response = Response("http://example.com", body=gzip.compress(b"hello"), headers={"Content-Encoding": "gzip"})
    assert mw.process_response(Request(response.url), response).body == b"hello"


async def test_real_crawl_decodes_gzip(aiohttp_server):
    from aiohttp import web

    import ascrapy

    from .crawl_helpers import crawl

    accept_encodings = []

    async def page(request):
        accept_encodings.append(request.headers.get("Accept-Encoding"))
        return web.Response(
            body=gzip.compress(PAGE), headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}
        )

    app = web.Application()
    app.router.add_get("/", page)
    server = await aiohttp_server(app)
    bodies = []

    class Gzipped(ascrapy.Spider):
        name = "gzipped"

        def parse(self, response):
            bodies.append((type(response).__name__, response.css("title::text").get(), len(response.body)))

    crawler = await crawl(Gzipped, start_urls=[str(server.make_url("/"))])
    assert accept_encodings == ["gzip, deflate, br, zstd"]
    assert bodies == [("HtmlResponse", "t", len(PAGE))]
    assert crawler.stats.get_value("httpcompression/response_bytes") == len(PAGE)
