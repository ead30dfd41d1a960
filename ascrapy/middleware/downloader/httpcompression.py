"""Ask for compressed responses and decode them: gzip, deflate (zlib or raw), br, zstd.

Decoding happens in chunks so that DOWNLOAD_MAXSIZE bounds the decompressed size: a
small compressed body (a "bomb") cannot inflate into gigabytes before it is stopped.
"""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING, Any

from ascrapy import signals
from ascrapy.exceptions import IgnoreRequest, NotConfigured, ScrapyDeprecationWarning
from ascrapy.http import TextResponse
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.deprecate import warn_on_deprecated_spider_attribute
from ascrapy.responsetypes import responsetypes
from ascrapy.utils._compression import _DecompressionMaxSizeExceeded, _inflate, _unbrotli, _unzstd
from ascrapy.utils.gz import gunzip as _gunzip

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.downloadermiddlewares.httpcompression")

ACCEPTED_ENCODINGS: list[bytes] = [b"gzip", b"deflate", b"br", b"zstd"]
_ACCEPT_ENCODING = b", ".join(ACCEPTED_ENCODINGS)
_DECODABLE = frozenset({*ACCEPTED_ENCODINGS, b"x-gzip"})

_DECODERS: dict[bytes, Callable[..., bytes]] = {
    b"gzip": _gunzip,
    b"x-gzip": _gunzip,
    b"deflate": _inflate,
    b"br": _unbrotli,
    b"zstd": _unzstd,
}


def _split_encodings(content_encoding: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """Split the codings into those to decode (last applied first) and those to keep.

    Decoding stops at the first coding, from the end, that is not supported: the ones
    applied before it cannot be reached.
    """
    to_keep = [coding.strip().lower() for value in content_encoding for coding in value.split(b",")]
    to_decode: list[bytes] = []
    while to_keep and to_keep[-1] in _DECODABLE:
        to_decode.append(to_keep.pop())
    return to_decode, to_keep


class HttpCompressionMiddleware:
    """Set ``Accept-Encoding`` and decode responses by their ``Content-Encoding``.

    The decoded response gets its class picked again from the decoded body (an HTML
    page sent as ``application/octet-stream`` gzip becomes an HtmlResponse). Stats:
    ``httpcompression/response_count`` and ``httpcompression/response_bytes``.
    """

    def __init__(self, stats: Any = None, *, crawler: CrawlerProtocol | None = None) -> None:
        if crawler is None:
            warnings.warn(
                "Instantiating HttpCompressionMiddleware without a 'crawler' argument is deprecated.",
                category=ScrapyDeprecationWarning,
                stacklevel=2,
            )
            self.stats = stats
            self._max_size = 1024 * 1024 * 1024
            self._warn_size = 32 * 1024 * 1024
            return
        self.stats = crawler.stats
        self._max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self._warn_size = crawler.settings.getint("DOWNLOAD_WARNSIZE")
        crawler.signals.connect(self.open_spider, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        if not crawler.settings.getbool("COMPRESSION_ENABLED"):
            raise NotConfigured
        return cls(crawler=crawler)

    def open_spider(self, spider: Any) -> None:
        if hasattr(spider, "download_maxsize"):
            warn_on_deprecated_spider_attribute("download_maxsize", "DOWNLOAD_MAXSIZE")
            self._max_size = spider.download_maxsize
        if hasattr(spider, "download_warnsize"):
            warn_on_deprecated_spider_attribute("download_warnsize", "DOWNLOAD_WARNSIZE")
            self._warn_size = spider.download_warnsize

    def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("HttpCompressionMiddleware.process_request")
        request.headers.setdefault("Accept-Encoding", _ACCEPT_ENCODING)
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if spider is not None:
            warn_spider_arg("HttpCompressionMiddleware.process_response")
        if request.method == "HEAD":
            return response
        content_encoding = response.headers.getlist("Content-Encoding")
        if not content_encoding:
            return response
        meta = request.meta
        max_size = meta.get("download_maxsize", self._max_size)
        warn_size = meta.get("download_warnsize", self._warn_size)
        to_decode, to_keep = _split_encodings(content_encoding)
        body = response.body
        try:
            for coding in to_decode:
                body = _DECODERS[coding](body, max_size=max_size)
        except _DecompressionMaxSizeExceeded as error:
            message = (
                f"Ignored response {response} because its body "
                f"({len(response.body)} B compressed, {error.decompressed_size} B "
                f"decompressed so far) exceeded DOWNLOAD_MAXSIZE ({max_size} B) during "
                "decompression."
            )
            logger.warning(message)
            raise IgnoreRequest(message) from error
        if len(response.body) < warn_size <= len(body):
            logger.warning(
                f"{response} body size after decompression ({len(body)} B) is larger "
                f"than the download warning size ({warn_size} B)."
            )
        if to_keep:
            logger.warning(
                f"{type(self).__name__} cannot decode the response for {response.url} "
                f"from unsupported encoding(s) '{b','.join(to_keep).decode()}'."
            )
        if self.stats:
            self.stats.inc_value("httpcompression/response_bytes", len(body))
            self.stats.inc_value("httpcompression/response_count")
        response_class = responsetypes.from_args(headers=response.headers, url=response.url, body=body)
        kwargs: dict[str, Any] = {"body": body}
        if issubclass(response_class, TextResponse):
            # The declared encoding may have been guessed from the compressed bytes.
            kwargs["encoding"] = None
        decoded = response.replace(cls=response_class, **kwargs)
        if to_keep:
            decoded.headers[b"Content-Encoding"] = to_keep
        else:
            del decoded.headers[b"Content-Encoding"]
        return decoded
