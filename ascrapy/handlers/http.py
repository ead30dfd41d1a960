"""HTTP and HTTPS downloads through one aiohttp ClientSession.

The session sends exactly the headers the middlewares set (no automatic User-Agent or
Accept-Encoding), leaves bodies compressed for HttpCompressionMiddleware, keeps no cookies
(CookiesMiddleware does) and does not verify TLS certificates, as Scrapy. Sizes are checked
while the body streams in, so an oversized body is cut off, not buffered.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Awaitable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import aiohttp

from ascrapy import signals
from ascrapy.exceptions import DownloadCancelledError, ResponseDataLossError, StopDownload
from ascrapy.failure import Failure
from ascrapy.handlers.http_errors import HeaderLimits, download_error
from ascrapy.http import Headers
from ascrapy.responsetypes import responsetypes
from ascrapy.utils.ssl import _make_ssl_context

if TYPE_CHECKING:
    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy.core.downloader.handlers.http")

CHUNK_SIZE = 65536


@lru_cache(maxsize=1024)
def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The peer address as an ipaddress object (remembered: a crawl talks to few hosts)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


# What aiohttp would add to a request that lacks them; Scrapy sends only what middlewares set.
_AUTO_HEADERS = ("Accept", "Accept-Encoding", "Content-Type", "User-Agent")


def _has_auto_headers(headers: Headers) -> bool:
    """True when a bodyless request already has every header aiohttp would add to it."""
    return (
        dict.__contains__(headers, b"Accept")
        and dict.__contains__(headers, b"Accept-Encoding")
        and dict.__contains__(headers, b"User-Agent")
    )


def _size_message(size: int, limit: int, request: Any, *, expected: bool, kind: str) -> str:
    prefix = "Expected to receive" if expected else "Received"
    return f"{prefix} {size} bytes which is larger than download {kind} size ({limit}) in request {request}."


class HTTPDownloadHandler:
    """Downloads http:// and https:// URLs with aiohttp."""

    lazy = False

    def __init__(self, crawler: CrawlerProtocol) -> None:
        settings = crawler.settings
        self._crawler = crawler
        self._default_maxsize = settings.getint("DOWNLOAD_MAXSIZE")
        self._default_warnsize = settings.getint("DOWNLOAD_WARNSIZE")
        self._fail_on_dataloss = settings.getbool("DOWNLOAD_FAIL_ON_DATALOSS")
        self._dataloss_warned = False
        self._default_timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
        # One context from the TLS settings (versions, ciphers, SSLKEYLOGFILE, verification:
        # off by default, as in Scrapy), shared by every connection.
        self._ssl_context = _make_ssl_context(settings)
        self._pool_size = settings.getint("CONCURRENT_REQUESTS") * 2
        self._header_limits = HeaderLimits(
            settings.getint("DOWNLOAD_HEADER_MAXSIZE"), settings.getint("DOWNLOAD_MAXHEADERS")
        )
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[float | None, aiohttp.ClientTimeout] = {}

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> HTTPDownloadHandler:
        return cls(crawler)

    def _get_session(self) -> aiohttp.ClientSession:
        session = self._session
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=self._ssl_context, ttl_dns_cache=300)
            session = self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                **self._header_limits.session_arguments(),
            )
        return session

    async def download_request(self, request: Request, spider: Spider | None = None) -> Response:
        meta = request.meta
        timeout = meta.get("download_timeout", self._default_timeout)
        # Proxy-Authorization goes to the proxy only: in the CONNECT request of an https://
        # tunnel (aiohttp's proxy_headers), or with the request itself for http:// URLs,
        # which the proxy receives whole. Without a proxy it is never sent.
        proxy = meta.get("proxy")
        tunnel = bool(proxy) and request.url.startswith("https:")
        keep_proxy_auth = bool(proxy) and not tunnel
        request_headers = request.headers
        headers = [
            (key.decode("latin-1"), value.decode("latin-1"))
            for key, values in request_headers.items()
            if keep_proxy_auth or key.lower() != b"proxy-authorization"
            for value in values
        ]
        body = request.body or None
        # aiohttp adds the headers it would send by default unless told to skip them, and
        # telling it costs a set per request: only when one of them could be added.
        skip = None if body is None and _has_auto_headers(request_headers) else _AUTO_HEADERS
        proxy_headers = None
        if tunnel:
            auth = request.headers.get(b"Proxy-Authorization")
            if auth:
                proxy_headers = {"Proxy-Authorization": auth.decode("latin-1")}
        started = time.monotonic()
        try:
            async with self._get_session().request(
                request.method,
                request.url,
                data=body,
                headers=headers,
                skip_auto_headers=skip,
                timeout=self._client_timeout(timeout or None),
                allow_redirects=False,
                proxy=proxy or None,
                proxy_headers=proxy_headers,
            ) as response:
                meta["download_latency"] = time.monotonic() - started
                return await self._read(response, request)
        except (TimeoutError, asyncio.TimeoutError, aiohttp.ClientError) as error:
            raise download_error(error, request, timeout, self._header_limits) from error

    def _client_timeout(self, total: float | None) -> aiohttp.ClientTimeout:
        """One ClientTimeout per distinct DOWNLOAD_TIMEOUT (they are immutable)."""
        timeout = self._timeouts.get(total)
        if timeout is None:
            timeout = self._timeouts[total] = aiohttp.ClientTimeout(total=total)
        return timeout

    async def _read(self, response: aiohttp.ClientResponse, request: Any) -> Any:
        meta = request.meta
        maxsize = meta.get("download_maxsize", self._default_maxsize)
        warnsize = meta.get("download_warnsize", self._default_warnsize)
        headers = Headers._from_raw(response.raw_headers)
        expected = response.content_length
        if maxsize and expected and expected > maxsize:
            self._cancel(_size_message(expected, maxsize, request, expected=True, kind="max"))
        warned = False
        if warnsize and expected and expected > warnsize:
            warned = True
            logger.warning(_size_message(expected, warnsize, request, expected=True, kind="warn"))
        base = self._response_args(response, request)
        sig = self._crawler.signals
        if sig.has_receivers(signals.headers_received):
            stop = self._stop_download(
                signals.headers_received, request, headers=headers, body_length=expected
            )
            if stop is not None:
                return self._make_response(base, headers, b"", stop)
        chunks: list[bytes] = []
        received = 0
        track_bytes = sig.has_receivers(signals.bytes_received)
        content = response.content
        try:
            while chunk := await content.read(CHUNK_SIZE):  # no iterator objects per response
                chunks.append(chunk)
                received += len(chunk)
                if track_bytes:
                    stop = self._stop_download(signals.bytes_received, request, data=chunk)
                    if stop is not None:
                        return self._make_response(base, headers, b"".join(chunks), stop)
                if maxsize and received > maxsize:
                    chunks.clear()
                    self._cancel(_size_message(received, maxsize, request, expected=False, kind="max"))
                if warnsize and not warned and received > warnsize:
                    warned = True
                    logger.warning(_size_message(received, warnsize, request, expected=False, kind="warn"))
        except aiohttp.ClientPayloadError as error:
            if not meta.get("download_fail_on_dataloss", self._fail_on_dataloss):
                return self._make_response(base, headers, b"".join(chunks), None, flags=["dataloss"])
            if not self._dataloss_warned:
                self._dataloss_warned = True
                logger.warning(
                    f"Got data loss in {request.url}. If you want to process broken responses set "
                    "the setting DOWNLOAD_FAIL_ON_DATALOSS = False -- This message won't be shown in "
                    "further requests"
                )
            raise ResponseDataLossError(f"The response body of {request.url} is incomplete: {error}") from error
        return self._make_response(base, headers, b"".join(chunks), None)

    @staticmethod
    def _cancel(message: str) -> None:
        logger.warning(message)
        raise DownloadCancelledError(message)

    @staticmethod
    def _response_args(response: aiohttp.ClientResponse, request: Any) -> dict[str, Any]:
        version = response.version
        ip_address = None
        connection = response.connection
        transport = connection.transport if connection is not None else None
        if transport is not None:
            peer = transport.get_extra_info("peername")
            if peer:
                ip_address = _ip_address(peer[0])
        return {
            "url": request.url,
            "status": response.status,
            "ip_address": ip_address,
            "protocol": f"HTTP/{version.major}.{version.minor}" if version else "HTTP/1.1",
        }

    def _stop_download(self, signal: Any, request: Any, **kwargs: Any) -> StopDownload | None:
        results = self._crawler.signals.send_catch_log(
            signal, request=request, spider=self._crawler.spider, dont_log=StopDownload, **kwargs
        )
        for handler, result in results:
            if isinstance(result, Failure) and isinstance(result.value, StopDownload):
                logger.debug(f"Download stopped for {request} from signal handler {handler.__qualname__}")
                return result.value
        return None

    @staticmethod
    def _make_response(base: dict[str, Any], headers: Headers, body: bytes, stop: StopDownload | None,
                       flags: list[str] | None = None) -> Any:
        respcls = responsetypes.from_args(headers=headers, url=base["url"], body=body)
        response = respcls(body=body, flags=flags, **base)
        response._headers = headers  # built for this response alone: no copy, as Response() makes
        if stop is not None:
            response.flags.append("download_stopped")
            if stop.fail:
                stop.response = response  # type: ignore[attr-defined]
                raise stop
        return response

    def close(self) -> Awaitable[None] | None:
        """The session's close, to await; None when no session is open."""
        session = self._session
        if session is None or session.closed:
            return None
        return session.close()
