"""Send requests through HTTP proxies (HTTPPROXY_ENABLED).

The proxy comes from the ``proxy`` meta key, else from the environment
(``http_proxy``, ``https_proxy``, ... honouring ``no_proxy``). Credentials in the proxy
URL are moved into a Proxy-Authorization header and removed from ``meta['proxy']``, so
they never appear in logs or reach the target site. ``meta['proxy'] = None`` turns
proxying off for a request.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlunparse
from urllib.request import _parse_proxy, getproxies, proxy_bypass  # type: ignore[attr-defined]

from ascrapy.exceptions import NotConfigured
from ascrapy.middleware._compat import warn_spider_arg
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.python import to_bytes

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request, Response
    from ascrapy.protocols import CrawlerProtocol

_PROXY_AUTHORIZATION = b"Proxy-Authorization"


class HttpProxyMiddleware:
    """Sets ``meta['proxy']`` and the Proxy-Authorization header of each request.

    Meta keys it keeps for itself: ``_auth_proxy`` (the proxy the header was made for,
    so the header is dropped when the proxy changes) and ``_scheme_proxy`` (the proxy
    came from the environment for the URL's scheme; a redirect to another scheme picks
    again).
    """

    def __init__(self, auth_encoding: str | None = "latin-1") -> None:
        self.auth_encoding: str | None = auth_encoding
        # scheme -> (encoded credentials or None, proxy URL without credentials)
        self.proxies: dict[str, tuple[bytes | None, str]] = {}
        for scheme, url in getproxies().items():
            try:
                self.proxies[scheme] = self._get_proxy(url, scheme)
            except ValueError:
                # Values such as no_proxy=/var/run/docker.sock are no proxy URL.
                continue

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        settings = crawler.settings
        if not settings.getbool("HTTPPROXY_ENABLED"):
            raise NotConfigured
        return cls(settings.get("HTTPPROXY_AUTH_ENCODING"))

    def _basic_auth_header(self, username: str, password: str) -> bytes:
        """base64 of ``user:password`` (percent-decoded) in HTTPPROXY_AUTH_ENCODING."""
        user_pass = to_bytes(f"{unquote(username)}:{unquote(password or '')}", encoding=self.auth_encoding)
        return base64.b64encode(user_pass)

    def _get_proxy(self, url: str, orig_type: str) -> tuple[bytes | None, str]:
        """The credentials and the bare proxy URL of ``url``; ``orig_type`` is the scheme
        to use when ``url`` has none (``proxy:3128``)."""
        proxy_type, user, password, hostport = _parse_proxy(url)
        proxy_url = urlunparse((proxy_type or orig_type, hostport, "", "", "", ""))
        credentials = self._basic_auth_header(user, password) if user else None
        return credentials, proxy_url

    def process_request(self, request: Request, spider: Any = None) -> Request | Response | None:
        if spider is not None:
            warn_spider_arg("HttpProxyMiddleware.process_request")
        meta = request.meta
        credentials: bytes | None = None
        proxy_url: str | None = None
        scheme: str | None = None
        if "proxy" in meta:
            if meta["proxy"] is not None:
                credentials, proxy_url = self._get_proxy(meta["proxy"], "")
        elif self.proxies:
            parsed = urlparse_cached(request)
            url_scheme = parsed.scheme
            if url_scheme in self.proxies and (
                # no_proxy only applies to http(s) URLs.
                url_scheme not in ("http", "https") or (parsed.hostname and not proxy_bypass(parsed.hostname))
            ):
                scheme = url_scheme
                credentials, proxy_url = self.proxies[url_scheme]
        self._set_proxy_and_creds(request, proxy_url, credentials, scheme)
        return None

    def _set_proxy_and_creds(
        self, request: Request, proxy_url: str | None, creds: bytes | None, scheme: str | None
    ) -> None:
        meta = request.meta
        headers = request.headers
        if scheme:
            meta["_scheme_proxy"] = True
        if proxy_url:
            meta["proxy"] = proxy_url
        elif meta.get("proxy") is not None:
            # An unparseable proxy URL: go direct rather than send garbage.
            meta["proxy"] = None
        if creds:
            headers[_PROXY_AUTHORIZATION] = b"Basic " + creds
            meta["_auth_proxy"] = proxy_url
        elif "_auth_proxy" in meta:
            # Credentials set earlier are only good for the proxy they were set for.
            if proxy_url != meta["_auth_proxy"]:
                headers.pop(_PROXY_AUTHORIZATION, None)
                del meta["_auth_proxy"]
        elif _PROXY_AUTHORIZATION in headers:
            # A header the user set: bind it to this proxy, or drop it without one.
            if proxy_url:
                meta["_auth_proxy"] = proxy_url
            else:
                del headers[_PROXY_AUTHORIZATION]
