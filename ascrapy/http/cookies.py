"""A cookie jar for ascrapy requests and responses (scrapy.http.cookies).

The standard library's http.cookiejar does the RFC work (parsing Set-Cookie, domain and
path rules, expiry); it speaks urllib's request and response interfaces, so
:class:`WrappedRequest` and :class:`WrappedResponse` adapt ascrapy's objects to them.
The jar only looks up the domains a host can match instead of walking every domain it
holds, which keeps the per-request cost flat as the jar grows.
"""

from __future__ import annotations

import re
import time
from http.cookiejar import Cookie, CookiePolicy, DefaultCookiePolicy
from http.cookiejar import CookieJar as _StdlibCookieJar
from typing import TYPE_CHECKING, Any

from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.python import to_unicode

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ascrapy.http import Request, Response

__all__ = ["CookieJar", "WrappedRequest", "WrappedResponse", "potential_domain_matches"]

# A host ending in a dot and digits is an IPv4 address: http.cookiejar matches those
# exactly, never as a parent domain.
IPV4_RE = re.compile(r"\.\d+$", re.ASCII)


class _NoLock:
    """The stdlib jar locks every access for threads; the event loop needs none."""

    def acquire(self) -> None:
        pass

    def release(self) -> None:
        pass


class CookieJar:
    """Cookies of one session: filled from responses, added to requests.

    ``check_expired_frequency``: every that many ``add_cookie_header`` calls, expired
    cookies are dropped (dropping them on every call would walk the whole jar).
    """

    def __init__(self, policy: CookiePolicy | None = None, check_expired_frequency: int = 10000) -> None:
        self.policy: CookiePolicy = policy or DefaultCookiePolicy()
        self.jar: _StdlibCookieJar = _StdlibCookieJar(self.policy)
        self.jar._cookies_lock = _NoLock()  # type: ignore[attr-defined]
        self.check_expired_frequency: int = check_expired_frequency
        self.processed: int = 0

    def extract_cookies(self, response: Response, request: Request) -> None:
        """Store the cookies the policy accepts from ``response``'s Set-Cookie headers."""
        self.jar.extract_cookies(WrappedResponse(response), WrappedRequest(request))  # type: ignore[arg-type]

    def add_cookie_header(self, request: Request) -> None:
        """Add a Cookie header with the cookies that apply to ``request``, if any."""
        host = urlparse_cached(request).hostname
        if not host:
            return
        stored = self.jar._cookies  # type: ignore[attr-defined]
        if stored:
            self._add_matching_cookies(request, host, stored)
        self.processed += 1
        if self.processed % self.check_expired_frequency == 0:
            self.jar.clear_expired_cookies()

    def _add_matching_cookies(self, request: Request, host: str, stored: dict[str, Any]) -> None:
        wrapped = WrappedRequest(request)
        self.policy._now = self.jar._now = int(time.time())  # type: ignore[attr-defined]
        if IPV4_RE.search(host):
            domains = [host, "." + host]
        else:
            domains = potential_domain_matches(host)
            if "." not in host:
                # http.cookiejar stores cookies of a dotless host under HOST.local.
                domains += potential_domain_matches(host + ".local")
        cookies: list[Cookie] = []
        for domain in domains:
            if domain in stored:
                cookies.extend(self.jar._cookies_for_domain(domain, wrapped))  # type: ignore[attr-defined]
        attributes = self.jar._cookie_attrs(cookies)  # type: ignore[attr-defined]
        if attributes and not wrapped.has_header("Cookie"):
            wrapped.add_unredirected_header("Cookie", "; ".join(attributes))

    @property
    def _cookies(self) -> dict[str, dict[str, dict[str, Cookie]]]:
        """domain -> path -> name -> Cookie, as the stdlib jar keeps them."""
        return self.jar._cookies  # type: ignore[attr-defined]

    def clear_session_cookies(self) -> None:
        self.jar.clear_session_cookies()

    def clear(self, domain: str | None = None, path: str | None = None, name: str | None = None) -> None:
        self.jar.clear(domain, path, name)

    def __iter__(self) -> Iterator[Cookie]:
        return iter(self.jar)

    def __len__(self) -> int:
        return len(self.jar)

    def set_policy(self, pol: CookiePolicy) -> None:
        self.policy = pol
        self.jar.set_policy(pol)

    def make_cookies(self, response: Response, request: Request) -> Sequence[Cookie]:
        """The cookies ``response`` sets, without storing them."""
        return self.jar.make_cookies(WrappedResponse(response), WrappedRequest(request))  # type: ignore[arg-type]

    def set_cookie(self, cookie: Cookie) -> None:
        self.jar.set_cookie(cookie)

    def set_cookie_if_ok(self, cookie: Cookie, request: Request) -> None:
        self.jar.set_cookie_if_ok(cookie, WrappedRequest(request))  # type: ignore[arg-type]


def potential_domain_matches(domain: str) -> list[str]:
    """The jar keys a cookie for ``domain`` can be stored under: the host and its parent
    domains (not the bare top-level label), each also with a leading dot.

    >>> potential_domain_matches('www.example.com')
    ['www.example.com', 'example.com', '.www.example.com', '.example.com']
    """
    labels = domain.split(".")
    parents = [".".join(labels[start:]) for start in range(max(len(labels) - 1, 1))]
    return parents + ["." + parent for parent in parents]


class WrappedRequest:
    """An ascrapy Request seen through the urllib.request.Request methods that
    http.cookiejar calls."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def get_full_url(self) -> str:
        return self.request.url

    def get_host(self) -> str:
        return urlparse_cached(self.request).netloc

    def get_type(self) -> str:
        return urlparse_cached(self.request).scheme

    def is_unverifiable(self) -> bool:
        """Always False: a crawler has no notion of a user approving a URL (RFC 2965)."""
        return False

    def get_origin_req_host(self) -> str:
        return urlparse_cached(self.request).hostname  # type: ignore[return-value]

    @property
    def full_url(self) -> str:
        return self.get_full_url()

    @property
    def host(self) -> str:
        return self.get_host()

    @property
    def type(self) -> str:
        return self.get_type()

    @property
    def unverifiable(self) -> bool:
        return self.is_unverifiable()

    @property
    def origin_req_host(self) -> str:
        return self.get_origin_req_host()

    def has_header(self, name: str) -> bool:
        return name in self.request.headers

    def get_header(self, name: str, default: str | None = None) -> str | None:
        value = self.request.headers.get(name, default)
        if value is None:
            return None
        return to_unicode(value, errors="replace")

    def header_items(self) -> list[tuple[str, list[str]]]:
        return [
            (to_unicode(name, errors="replace"), [to_unicode(value, errors="replace") for value in values])
            for name, values in self.request.headers.items()
        ]

    def add_unredirected_header(self, name: str, value: str) -> None:
        self.request.headers.appendlist(name, value)


class WrappedResponse:
    """An ascrapy Response seen through the ``info().get_all()`` that http.cookiejar reads."""

    def __init__(self, response: Response) -> None:
        self.response = response

    def info(self) -> WrappedResponse:
        return self

    def get_all(self, name: str, default: Any = None) -> list[str]:
        return [to_unicode(value, errors="replace") for value in self.response.headers.getlist(name)]
