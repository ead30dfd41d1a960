"""s3:// URLs: not supported by ascrapy yet; requests for them fail with a clear error."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from ascrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol


class S3DownloadHandler:
    """Declines to load, so a s3:// request fails with "Unsupported URL scheme"."""

    lazy = True

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> NoReturn:
        raise NotConfigured("s3:// downloads are not supported by ascrapy")
