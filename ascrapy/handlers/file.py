"""file:// URLs, read from the local disk."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from w3lib.url import file_uri_to_path

from ascrapy.responsetypes import responsetypes


class FileDownloadHandler:
    lazy = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> FileDownloadHandler:
        return cls()

    async def download_request(self, request: Any, spider: Any = None) -> Any:
        path = file_uri_to_path(request.url)
        body = await asyncio.to_thread(Path(path).read_bytes)
        respcls = responsetypes.from_args(filename=path, body=body)
        return respcls(url=request.url, body=body)
