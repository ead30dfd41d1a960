"""ftp:// URLs: not supported by ascrapy yet; requests for them fail with a clear error."""

from __future__ import annotations

from typing import Any

from ascrapy.exceptions import NotConfigured


class FTPDownloadHandler:
    """Declines to load, so a ftp:// request fails with "Unsupported URL scheme"."""

    lazy = True

    @classmethod
    def from_crawler(cls, crawler: Any) -> FTPDownloadHandler:
        raise NotConfigured("ftp:// downloads are not supported by ascrapy")
