"""scrapy.downloadermiddlewares.redirect: Scrapy's names, from ascrapy.middleware.downloader.redirect."""

from ascrapy.middleware.downloader.redirect import (
    BaseRedirectMiddleware,
    MetaRefreshMiddleware,
    RedirectMiddleware,
)
