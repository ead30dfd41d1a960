"""data: URLs (RFC 2397), answered without any I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from w3lib.url import parse_data_uri

from ascrapy.http import TextResponse
from ascrapy.responsetypes import responsetypes

if TYPE_CHECKING:
    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.spiders import Spider


class DataURIDownloadHandler:
    lazy = False

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> DataURIDownloadHandler:
        return cls()

    async def download_request(self, request: Request, spider: Spider | None = None) -> Response:
        uri = parse_data_uri(request.url)
        respcls = responsetypes.from_mimetype(uri.media_type)
        kwargs: dict[str, Any] = {}
        if issubclass(respcls, TextResponse) and uri.media_type.split("/")[0] == "text":
            kwargs["encoding"] = uri.media_type_parameters.get("charset")
        return respcls(url=request.url, body=uri.data, **kwargs)
