"""file:// URLs, read from the local disk."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from w3lib.url import file_uri_to_path

from ascrapy.responsetypes import responsetypes

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class FileDownloadHandler:
    lazy = False

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> FileDownloadHandler:
        return cls()

    async def download_request(self, request: Any, spider: Any = None) -> Any:
        path = file_uri_to_path(request.url)
        body = await asyncio.to_thread(Path(path).read_bytes)
        respcls = responsetypes.from_args(filename=path, body=body)
        return respcls(url=request.url, body=body)
