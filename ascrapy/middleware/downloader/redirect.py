"""Follow HTTP 3xx redirects and HTML meta refresh, the way browsers and Scrapy do.

A redirect is a new request built from the old one: it keeps meta (adding
``redirect_times``, ``redirect_ttl``, ``redirect_urls``, ``redirect_reasons``), drops
credentials that must not cross origins and proxy settings that must not cross schemes,
and gets its Referer header from the RefererMiddleware in use.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlparse

from w3lib.url import safe_url_string

from ascrapy import signals
from ascrapy.exceptions import IgnoreRequest, NotConfigured
from ascrapy.http import HtmlResponse
from ascrapy.middleware._compat import scrapy_object_name, warn_spider_arg
from ascrapy.middleware.spider.referer import RefererMiddleware
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.response import get_meta_refresh

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.downloadermiddlewares.redirect")

_HTTP_SCHEMES = frozenset({"http", "https"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Headers that describe a body; a redirect that turns into a GET has none.
_BODY_HEADERS = ("Content-Type", "Content-Length", "Content-Encoding", "Content-Language", "Content-Location")


def _origin(parsed: Any) -> tuple[str, str | None, int | None]:
    return parsed.scheme, parsed.hostname, parsed.port or _DEFAULT_PORTS.get(parsed.scheme)


class BaseRedirectMiddleware:
    """Shared by the status and meta-refresh redirect middlewares: limits, meta, headers."""

    crawler: CrawlerProtocol
    enabled_setting: str = "REDIRECT_ENABLED"

    def __init__(self, settings: Any) -> None:
        if not settings.getbool(self.enabled_setting):
            raise NotConfigured
        self.max_redirect_times: int = settings.getint("REDIRECT_MAX_TIMES")
        self.priority_adjust: int = settings.getint("REDIRECT_PRIORITY_ADJUST")
        self._referer_spider_middleware: RefererMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        crawler.signals.connect(middleware._engine_started, signal=signals.engine_started)
        return middleware

    def handle_referer(self, request: Request, response: Response) -> None:
        """Set the Referer header of the redirect ``request`` from the ``response``.

        The enabled RefererMiddleware (or subclass) decides, so its policy applies to
        redirects too; without one, the header is removed. Override to decide otherwise.
        """
        request.headers.pop("Referer", None)
        if self._referer_spider_middleware is not None:
            self._referer_spider_middleware.get_processed_request(request, response)

    def _engine_started(self) -> None:
        get_spider_middleware = getattr(self.crawler, "get_spider_middleware", None)
        if get_spider_middleware is not None:
            self._referer_spider_middleware = get_spider_middleware(RefererMiddleware)
        if self._referer_spider_middleware:
            return
        redirect_name = scrapy_object_name(type(self))
        referer_name = scrapy_object_name(RefererMiddleware)
        if type(self) in (RedirectMiddleware, MetaRefreshMiddleware):
            replacement = f"replace {redirect_name} with a subclass that overrides the handle_referer() method"
        else:
            replacement = (
                f"or edit {redirect_name} (if defined in your code base) to override the "
                f"handle_referer() method, or replace {redirect_name} with a subclass that "
                "overrides the handle_referer() method."
            )
        logger.warning(
            f"{redirect_name} found no {referer_name} instance to handle Referer header "
            "handling, so the Referer header will be removed on redirects. To set a "
            f"Referer header on redirects, enable {referer_name} (or a subclass), or "
            f"{replacement}."
        )

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        """Return ``redirected`` with the redirect bookkeeping, or raise when over a limit."""
        source_meta = request.meta
        ttl = source_meta.setdefault("redirect_ttl", self.max_redirect_times)
        redirects = source_meta.get("redirect_times", 0) + 1
        if ttl and redirects <= self.max_redirect_times:
            meta = redirected.meta
            meta["redirect_times"] = redirects
            meta["redirect_ttl"] = ttl - 1
            meta["redirect_urls"] = [*source_meta.get("redirect_urls", ()), request.url]
            meta["redirect_reasons"] = [*source_meta.get("redirect_reasons", ()), reason]
            redirected.dont_filter = request.dont_filter
            redirected.priority = request.priority + self.priority_adjust
            logger.debug(
                "Redirecting (%(reason)s) to %(redirected)s from %(request)s",
                {"reason": reason, "redirected": redirected, "request": request},
                extra={"spider": self.crawler.spider},
            )
            return redirected
        logger.debug(
            "Discarding %(request)s: max redirections reached",
            {"request": request},
            extra={"spider": self.crawler.spider},
        )
        raise IgnoreRequest("max redirections reached")

    def _build_redirect_request(self, source_request: Request, response: Response, *, url: str, **kwargs: Any) -> Request:
        # cookies=None: the cookies middleware re-adds whatever applies to the new URL.
        redirect_request = source_request.replace(url=url, **kwargs, cls=None, cookies=None)
        source = urlparse_cached(source_request)
        target = urlparse_cached(redirect_request)
        if "_scheme_proxy" in redirect_request.meta and source.scheme != target.scheme:
            # The proxy was chosen for the old scheme; the proxy middleware picks again.
            meta = redirect_request.meta
            meta.pop("_scheme_proxy")
            meta.pop("proxy", None)
            meta.pop("_auth_proxy", None)
            redirect_request.headers.pop(b"Proxy-Authorization", None)
        headers = redirect_request.headers
        has_cookie = "Cookie" in headers
        has_authorization = "Authorization" in headers
        if has_cookie or has_authorization:
            source_origin = _origin(source)
            target_origin = _origin(target)
            # A Cookie header may hold secure cookies: keep it on the same host, and
            # never downgrade it from https.
            if has_cookie and (
                target_origin[0] not in {source_origin[0], "https"} or source_origin[1] != target_origin[1]
            ):
                del headers["Cookie"]
            # Authorization stays within the origin (fetch standard).
            if has_authorization and source_origin != target_origin:
                del headers["Authorization"]
        self.handle_referer(redirect_request, response)
        return redirect_request

    def _redirect_request_using_get(self, request: Request, response: Response, redirect_url: str) -> Request:
        redirect_request = self._build_redirect_request(request, response, url=redirect_url, method="GET", body="")
        headers = redirect_request.headers
        for name in _BODY_HEADERS:
            headers.pop(name, None)
        return redirect_request


class RedirectMiddleware(BaseRedirectMiddleware):
    """Follow 301, 302, 303, 307 and 308 responses that carry a Location header.

    Skipped for ``dont_redirect`` requests and for statuses the request or spider
    handles (``handle_httpstatus_list``, ``handle_httpstatus_all``). POST becomes GET
    on 301/302, and any method but GET/HEAD becomes GET on 303, as browsers do.
    """

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if spider is not None:
            warn_spider_arg("RedirectMiddleware.process_response")
        status = response.status
        if status not in _REDIRECT_STATUSES:
            return response
        meta = request.meta
        if (
            meta.get("dont_redirect", False)
            or status in getattr(self.crawler.spider, "handle_httpstatus_list", ())
            or status in meta.get("handle_httpstatus_list", ())
            or meta.get("handle_httpstatus_all", False)
        ):
            return response
        raw_location = response.headers.get("Location")
        if raw_location is None:
            return response
        location = safe_url_string(raw_location)
        if raw_location.startswith(b"//"):
            # Scheme-relative, possibly with extra slashes: keep the request's scheme.
            location = f"{urlparse_cached(request).scheme}://{location.lstrip('/')}"
        redirected_url = urljoin(request.url, location)
        if not urlparse(redirected_url).fragment:
            fragment = urlparse_cached(request).fragment
            if fragment:
                redirected_url = urljoin(redirected_url, f"#{fragment}")
        redirected = self._build_redirect_request(request, response, url=redirected_url)
        if urlparse_cached(redirected).scheme not in _HTTP_SCHEMES:
            return response
        method = request.method
        if (status in (301, 302) and method == "POST") or (status == 303 and method not in ("GET", "HEAD")):
            redirected = self._redirect_request_using_get(request, response, redirected_url)
        return self._redirect(redirected, request, status)


class MetaRefreshMiddleware(BaseRedirectMiddleware):
    """Follow ``<meta http-equiv="refresh">`` in HTML responses, with a GET request.

    Refreshes inside METAREFRESH_IGNORE_TAGS, or with a delay of METAREFRESH_MAXDELAY
    seconds or more, are left alone.
    """

    enabled_setting = "METAREFRESH_ENABLED"

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self._ignore_tags: list[str] = settings.getlist("METAREFRESH_IGNORE_TAGS")
        self._maxdelay: int = settings.getint("METAREFRESH_MAXDELAY")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if spider is not None:
            warn_spider_arg("MetaRefreshMiddleware.process_response")
        if (
            not isinstance(response, HtmlResponse)
            or request.method == "HEAD"
            or request.meta.get("dont_redirect", False)
            or urlparse_cached(request).scheme not in _HTTP_SCHEMES
        ):
            return response
        interval, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
        if not url:
            return response
        redirected = self._redirect_request_using_get(request, response, url)
        if urlparse_cached(redirected).scheme not in _HTTP_SCHEMES:
            return response
        if interval < self._maxdelay:  # type: ignore[operator]  # w3lib gives a URL with its interval
            return self._redirect(redirected, request, "meta refresh")
        return response
