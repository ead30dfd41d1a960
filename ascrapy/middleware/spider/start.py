"""Mark start requests with the ``is_start_request`` meta key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ascrapy.middleware.spider.base import BaseSpiderMiddleware
from ascrapy.middleware.spider_hooks import start_only

if TYPE_CHECKING:
    from ascrapy.http import Request, Response


class StartSpiderMiddleware(BaseSpiderMiddleware):
    """Downloader middlewares can then tell start requests from followed links.

    A value already set in meta is kept; requests from callbacks are not touched.
    """

    @start_only
    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if response is None:
            request.meta.setdefault("is_start_request", True)
        return request
