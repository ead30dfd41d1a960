"""file:// URLs, read from the local disk."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from w3lib.url import file_uri_to_path

from ascrapy.responsetypes import responsetypes

if TYPE_CHECKING:
    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider


class FileDownloadHandler:
    lazy = False

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> FileDownloadHandler:
        return cls()

    async def download_request(self, request: Request, spider: Spider | None = None) -> Response:
        path = file_uri_to_path(request.url)
        body = await asyncio.to_thread(Path(path).read_bytes)
        respcls = responsetypes.from_args(filename=path, body=body)
        return respcls(url=request.url, body=body)
