"""Keep cookies across requests, like a browser session (COOKIES_ENABLED).

One jar per ``cookiejar`` meta value (None by default), so a spider can run several
sessions side by side. Cookies from ``Request.cookies`` and from Set-Cookie headers go
through the same policy; a cookie whose domain is a public suffix (``co.uk``,
``blogspot.com``) is kept only for that exact host, so one site cannot set cookies for
its neighbours. Public suffixes come from tldextract's bundled list when it is
installed; without it only single-label domains (``com``) count as public.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import NotConfigured
from ascrapy.http import Response
from ascrapy.http.cookies import CookieJar
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.python import to_unicode
from ascrapy.http.request.cookies import decoded_cookie, verbose_cookies

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from http.cookiejar import Cookie
    from typing import Self

    from ascrapy.http import Request
    from ascrapy.http.request import VerboseCookie
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.downloadermiddlewares.cookies")

_public_suffix_extractor: Any = None


def _is_public_domain(domain: str) -> bool:
    """True when ``domain`` is a public suffix, where anyone may register names."""
    global _public_suffix_extractor  # noqa: PLW0603
    if _public_suffix_extractor is None:
        try:
            from tldextract import TLDExtract  # noqa: PLC0415
        except ImportError:
            _public_suffix_extractor = False
        else:
            # The list bundled with the package: no download while crawling.
            _public_suffix_extractor = TLDExtract(
                include_psl_private_domains=True, suffix_list_urls=(), cache_dir=None
            )
    if _public_suffix_extractor is False:
        return "." not in domain
    return not _public_suffix_extractor(domain).domain


class CookiesMiddleware:
    """Sends the jar's cookies with each request and stores those each response sets.

    Meta keys: ``cookiejar`` picks the jar, ``dont_merge_cookies`` leaves the request
    and its response alone. COOKIES_DEBUG logs every Cookie and Set-Cookie header.
    """

    crawler: CrawlerProtocol

    def __init__(self, debug: bool = False) -> None:
        self.jars: defaultdict[Any, CookieJar] = defaultdict(CookieJar)
        self.debug: bool = debug

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        settings = crawler.settings
        if not settings.getbool("COOKIES_ENABLED"):
            raise NotConfigured
        middleware = cls(settings.getbool("COOKIES_DEBUG"))
        middleware.crawler = crawler
        return middleware

    def process_request(self, request: Request, spider: Any = None) -> Request | Response | None:
        if spider is not None:
            warn_spider_arg("CookiesMiddleware.process_request")
        meta = request.meta
        if meta.get("dont_merge_cookies", False):
            return None
        jar = self.jars[meta.get("cookiejar")]
        if request.cookies:
            self._process_cookies(self._get_request_cookies(jar, request), jar=jar, request=request)
        # The jar is the only source of truth: a Cookie header set earlier is replaced.
        request.headers.pop("Cookie", None)
        jar.add_cookie_header(request)
        if self.debug:
            self._debug_cookie(request)
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if spider is not None:
            warn_spider_arg("CookiesMiddleware.process_response")
        meta = request.meta
        if meta.get("dont_merge_cookies", False):
            return response
        jar = self.jars[meta.get("cookiejar")]
        if b"Set-Cookie" in response.headers:
            self._process_cookies(jar.make_cookies(response, request), jar=jar, request=request)
            if self.debug:
                self._debug_set_cookie(response)
        return response

    def _process_cookies(self, cookies: Iterable[Cookie], *, jar: CookieJar, request: Request) -> None:
        """Store ``cookies`` the policy accepts; public-suffix domains only for their own host."""
        hostname = urlparse_cached(request).hostname
        if hostname is None:
            return
        request_domain = hostname.lower()
        for cookie in cookies:
            cookie_domain = cookie.domain.removeprefix(".")
            if cookie_domain and _is_public_domain(cookie_domain):
                if cookie_domain != request_domain:
                    continue
                cookie.domain = request_domain
            jar.set_cookie_if_ok(cookie, request)

    def _debug_cookie(self, request: Request) -> None:
        lines = [to_unicode(value, errors="replace") for value in request.headers.getlist("Cookie")]
        if lines:
            cookies = "\n".join(f"Cookie: {line}\n" for line in lines)
            logger.debug(f"Sending cookies to: {request}\n{cookies}", extra={"spider": self.crawler.spider})

    def _debug_set_cookie(self, response: Response) -> None:
        lines = [to_unicode(value, errors="replace") for value in response.headers.getlist("Set-Cookie")]
        if lines:
            cookies = "\n".join(f"Set-Cookie: {line}\n" for line in lines)
            logger.debug(f"Received cookies from: {response}\n{cookies}", extra={"spider": self.crawler.spider})

    def _format_cookie(self, cookie: VerboseCookie, request: Request) -> str | None:
        """``cookie`` (a dict) as a Set-Cookie header value; None when it has no name or value."""
        decoded = decoded_cookie(cookie, request)
        if decoded is None:
            return None
        parts = [f"{decoded.pop('name')}={decoded.pop('value')}"]
        parts.extend(f"{key.capitalize()}={value}" for key, value in decoded.items())
        if cookie.get("secure"):
            parts.append("Secure")
        return "; ".join(parts)

    def _get_request_cookies(self, jar: CookieJar, request: Request) -> Sequence[Cookie]:
        """``Request.cookies`` as Cookie objects, parsed as if the site had set them.

        A cookie without a ``secure`` key is secure on https requests, so it does not
        leak to http after a downgrade.
        """
        secure = urlparse_cached(request).scheme == "https"
        headers = []
        for cookie in verbose_cookies(request.cookies):
            if "secure" not in cookie:
                cookie = {**cookie, "secure": secure}
            formatted = self._format_cookie(cookie, request)
            if formatted is not None:
                headers.append(formatted)
        if not headers:
            return ()
        return jar.make_cookies(Response(request.url, headers={"Set-Cookie": headers}), request)
