"""ftp:// downloads on aioftp (the ``ascrapy[ftp]`` extra), with Scrapy's FTP semantics.

The credentials come from the ``ftp_user`` / ``ftp_password`` meta keys, else FTP_USER /
FTP_PASSWORD. With ``ftp_local_filename`` the file goes to that local path and the body is
the path (big files then never sit in memory); otherwise the body is the file, held to
DOWNLOAD_MAXSIZE like an HTTP body. A server's refusal is a response, as in Scrapy: 550
(no such file) becomes a 404, any other code a 503, the server's reply as the body. Both
successful responses carry ``Local Filename`` and ``Size`` headers.

aioftp opens data connections in passive mode only: FTP_PASSIVE_MODE = False (or meta
``ftp_passive``) is warned about once and passive mode is used.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote

from ascrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    NotConfigured,
)
from ascrapy.http import Response
from ascrapy.responsetypes import responsetypes
from ascrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy.core.downloader.handlers.ftp")

_BLOCK_SIZE = 65536


class FTPDownloadHandler:
    """Downloads ftp:// URLs with aioftp; declines to load (NotConfigured) without it."""

    lazy = True
    CODE_MAPPING: ClassVar[dict[str, int]] = {"550": 404, "default": 503}

    def __init__(self, crawler: CrawlerProtocol) -> None:
        try:
            import aioftp
        except ImportError:
            raise NotConfigured("ftp:// downloads need aioftp: pip install 'ascrapy[ftp]'") from None
        self._aioftp = aioftp
        settings = crawler.settings
        self.default_user: str = settings["FTP_USER"]
        self.default_password: str = settings["FTP_PASSWORD"]
        self.passive_mode: bool = settings.getbool("FTP_PASSIVE_MODE")
        self._default_timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
        self._default_maxsize = settings.getint("DOWNLOAD_MAXSIZE")
        self._warned_active = False

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> FTPDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request, spider: Spider | None = None) -> Response:
        meta = request.meta
        if not meta.get("ftp_passive", self.passive_mode):
            self._warn_active_mode()
        timeout = meta.get("download_timeout", self._default_timeout)
        try:
            async with asyncio.timeout(timeout or None):
                return await self._download(request)
        except TimeoutError as error:
            raise DownloadTimeoutError(f"Getting {request.url} took longer than {timeout} seconds.") from error
        except self._aioftp.StatusCodeError as error:
            return self._refusal(request, error)
        except socket.gaierror as error:
            host = urlparse_cached(request).hostname
            raise CannotResolveHostError(f"DNS lookup failed for {host} ({request.url}): {error.strerror}") from error
        except ConnectionRefusedError as error:
            raise DownloadConnectionRefusedError(f"Connection to {request.url} was refused") from error
        except (OSError, ConnectionError, self._aioftp.AIOFTPException) as error:
            raise DownloadFailedError(f"Downloading {request.url} failed: {error or type(error).__name__}") from error

    async def _download(self, request: Any) -> Response:
        parsed = urlparse_cached(request)
        meta = request.meta
        local_name = meta.get("ftp_local_filename")
        if isinstance(local_name, bytes):
            local_name = local_name.decode()
        client = self._aioftp.Client()
        await client.connect(parsed.hostname or "", parsed.port or 21)
        try:
            await client.login(meta.get("ftp_user", self.default_user), meta.get("ftp_password", self.default_password))
            with ExitStack() as files:
                local = files.enter_context(Path(local_name).open("wb")) if local_name else None
                size, body = await self._receive(client, unquote(parsed.path), request, local)
        finally:
            client.close()
        headers = {"Local Filename": local_name or "", "Size": str(size)}
        if local_name:
            body = local_name.encode()
        respcls = responsetypes.from_args(url=request.url, body=body)
        return respcls(url=request.url, status=200, body=body, headers=headers)

    async def _receive(self, client: Any, path: str, request: Any, local: IO[bytes] | None) -> tuple[int, bytes]:
        """The file's size, and its bytes unless they went to ``local``."""
        maxsize = request.meta.get("download_maxsize", self._default_maxsize)
        chunks: list[bytes] = []
        size = 0
        async with client.download_stream(path) as stream:
            async for block in stream.iter_by_block(_BLOCK_SIZE):
                size += len(block)
                if local is not None:
                    local.write(block)
                    continue
                chunks.append(block)
                if maxsize and size > maxsize:
                    message = (f"Received {size} bytes which is larger than download max size ({maxsize}) "
                               f"in request {request}.")
                    logger.warning(message)
                    raise DownloadCancelledError(message)
        return size, b"".join(chunks)

    def _refusal(self, request: Any, error: Any) -> Response:
        """The server's refusal as a response: 404 for 550, 503 for any other code."""
        codes = [str(code) for code in error.received_codes]
        reply = " ".join([*codes, *(str(line) for line in error.info)]).strip()
        status = next((self.CODE_MAPPING[code] for code in codes if code in self.CODE_MAPPING),
                      self.CODE_MAPPING["default"])
        return Response(url=request.url, status=status, body=reply.encode())

    def _warn_active_mode(self) -> None:
        if not self._warned_active:
            self._warned_active = True
            logger.warning("FTP active mode (FTP_PASSIVE_MODE = False) is not supported by aioftp; "
                           "ascrapy downloads ftp:// URLs in passive mode")
