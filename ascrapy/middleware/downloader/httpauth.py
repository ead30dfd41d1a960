"""HTTP Basic authentication from settings, request meta or (deprecated) spider attributes."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from w3lib.http import basic_auth_header

from ascrapy import signals
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.settings import SETTINGS_PRIORITIES
from ascrapy.utils.url import url_is_from_any_domain

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol

class HttpAuthMiddleware:
    """Set the ``Authorization`` header for the configured domain.

    Credentials never go to every host by accident: with HTTPAUTH_USER/HTTPAUTH_PASS set,
    HTTPAUTH_DOMAIN must be set too (to ``None`` to really send them everywhere).
    Per-request ``http_user``/``http_pass``/``http_auth_domain`` meta keys win.
    """

    def __init__(self) -> None:
        self._auth: bytes | None = None
        self._domain: str | None = None

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls()
        settings = crawler.settings
        user = settings.get("HTTPAUTH_USER", "")
        password = settings.get("HTTPAUTH_PASS", "")
        if user or password:
            # Set by the project, not just the default: None then means "every domain".
            if (settings.getpriority("HTTPAUTH_DOMAIN") or 0) <= SETTINGS_PRIORITIES["default"]:
                raise ValueError(
                    "HTTPAUTH_DOMAIN must be set when HTTPAUTH_USER or HTTPAUTH_PASS "
                    "is configured. Set it to a domain (e.g. 'example.com') to restrict "
                    "credentials to that domain, or set it to None to send credentials "
                    "with all requests."
                )
            middleware._auth = basic_auth_header(user, password)
            middleware._domain = settings.get("HTTPAUTH_DOMAIN")
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        user = getattr(spider, "http_user", "")
        password = getattr(spider, "http_pass", "")
        if not (user or password):
            return
        warnings.warn(
            "Use the HTTPAUTH_USER, HTTPAUTH_PASS, and HTTPAUTH_DOMAIN settings "
            "instead of the http_user, http_pass, and http_auth_domain spider "
            "attributes. Support for the spider attributes will be removed in a "
            "future version of Scrapy.",
            category=ScrapyDeprecationWarning,
            stacklevel=2,
        )
        self._auth = basic_auth_header(user, password)
        # A spider giving credentials must say where they go: no default on purpose.
        self._domain = spider.http_auth_domain

    def process_request(self, request: Request, spider: Any = None) -> None:
        if spider is not None:
            warn_spider_arg("HttpAuthMiddleware.process_request")
        if b"Authorization" in request.headers:
            return None
        meta = request.meta
        user = meta.get("http_user", "")
        password = meta.get("http_pass", "")
        if user or password:
            domain = meta.get("http_auth_domain")
            if not domain or url_is_from_any_domain(request.url, [domain]):
                request.headers[b"Authorization"] = basic_auth_header(user, password)
            return None
        if self._auth and (not self._domain or url_is_from_any_domain(request.url, [self._domain])):
            request.headers[b"Authorization"] = self._auth
        return None
