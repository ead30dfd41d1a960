"""aiohttp's errors as Scrapy's download errors, each message naming the URL and the cause.

The class decides the retry (RetryMiddleware retries DownloadFailedError and its
subclasses, not DownloadCancelledError or UnsupportedURLSchemeError), so what a retry
cannot cure must not become a DownloadFailedError: a URL without a host, headers beyond
the configured limits. aiohttp's own texts are kept as the cause, minus its connection
key (``ssl:default`` on plain-http URLs).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.http import HttpProcessingError
from aiohttp.http_exceptions import LineTooLong

from ascrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)


class TunnelError(DownloadFailedError):
    """The proxy refused to open a CONNECT tunnel for an https:// request."""


class HeaderLimits:
    """The response header limits a session enforces, to name them when one is exceeded."""

    __slots__ = ("max_count", "max_line")

    def __init__(self, max_line: int, max_count: int) -> None:
        self.max_line = max_line
        self.max_count = max_count

    def session_arguments(self) -> dict[str, Any]:
        """aiohttp.ClientSession's keyword arguments for these limits."""
        return {"max_line_size": self.max_line, "max_field_size": self.max_line, "max_headers": self.max_count}


def _parser_error(error: aiohttp.ClientResponseError) -> BaseException | None:
    """The response parser's own error behind ``error``, when the response could not be read
    (aiohttp reports those as a 400 status, as if the server had sent it)."""
    cause = error.__cause__
    if isinstance(cause, HttpProcessingError):
        return cause.__cause__ or cause
    return None


def _reason(os_error: OSError | None) -> str:
    if os_error is None:
        return "unknown error"
    return os_error.strerror or str(os_error) or type(os_error).__name__


def download_error(error: BaseException, request: Any, timeout: float | None, limits: HeaderLimits) -> BaseException:
    """The exception to raise instead of ``error``, an exception from aiohttp's request."""
    url = request.url
    if isinstance(error, (TimeoutError, asyncio.TimeoutError)):
        return DownloadTimeoutError(f"Getting {url} took longer than {timeout} seconds.")
    if isinstance(error, aiohttp.NonHttpUrlClientError):
        return UnsupportedURLSchemeError(f"Unsupported URL scheme in {url}")
    if isinstance(error, aiohttp.InvalidUrlClientError):
        if not urlsplit(url).hostname:
            return ValueError(f"Invalid URL {url}: it has no host name")
        return ValueError(f"Invalid URL {url}: {error}")
    if isinstance(error, (aiohttp.ClientProxyConnectionError, aiohttp.ClientHttpProxyError)):
        return TunnelError(f"The proxy {request.meta.get('proxy')} could not open a tunnel to {url}: {error}")
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return CannotResolveHostError(f"DNS lookup failed for {error.host} ({url}): {_reason(error.os_error)}")
    if isinstance(error, aiohttp.ClientSSLError):
        return DownloadFailedError(f"TLS with {error.host}:{error.port} failed ({url}): {error.os_error}")
    if isinstance(error, aiohttp.ClientConnectorError):
        where = f"{error.host}:{error.port} ({url})"
        if isinstance(error.os_error, ConnectionRefusedError):
            return DownloadConnectionRefusedError(f"Connection to {where} was refused")
        return DownloadConnectionRefusedError(f"Could not connect to {where}: {_reason(error.os_error)}")
    if isinstance(error, aiohttp.ClientPayloadError):
        return ResponseDataLossError(f"The response body of {url} is incomplete: {error}")
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return DownloadFailedError(f"The server closed the connection before answering {url}")
    if isinstance(error, aiohttp.ClientResponseError):
        parser_error = _parser_error(error)
        if parser_error is not None:
            return _unreadable_response(parser_error, url, limits)
    if isinstance(error, aiohttp.ClientOSError):
        return DownloadFailedError(f"The connection for {url} failed: {_reason(error)}")
    return DownloadFailedError(f"Downloading {url} failed: {error or type(error).__name__}")


def _unreadable_response(parser_error: BaseException, url: str, limits: HeaderLimits) -> BaseException:
    """A response beyond the header limits is cancelled (a retry gets the same headers); a
    malformed one is a failure that a retry may cure, as in Scrapy."""
    message = getattr(parser_error, "message", None) or str(parser_error)
    if isinstance(parser_error, LineTooLong):
        return DownloadCancelledError(
            f"A line of the response head of {url} is longer than {limits.max_line} bytes "
            f"(DOWNLOAD_HEADER_MAXSIZE): {message}"
        )
    if "Too many headers" in message:
        return DownloadCancelledError(
            f"The response of {url} has more than {limits.max_count} headers (DOWNLOAD_MAXHEADERS)"
        )
    return DownloadFailedError(f"Invalid HTTP response from {url}: {message}")
