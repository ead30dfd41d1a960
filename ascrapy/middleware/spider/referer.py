"""Set the Referer header of followed requests by a W3C referrer policy.

The policy comes, first match wins, from the request's ``referrer_policy`` meta key,
the source response's ``Referrer-Policy`` header, or the REFERRER_POLICY setting.
See https://www.w3.org/TR/referrer-policy/.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ascrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from ascrapy.http import Response
from ascrapy.middleware.spider.base import BaseSpiderMiddleware
from ascrapy.utils.misc import load_object
from ascrapy.utils.python import _looks_like_import_path, to_unicode
from ascrapy.utils.url import strip_url

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol

LOCAL_SCHEMES: tuple[str, ...] = ("about", "blob", "data", "filesystem")

POLICY_NO_REFERRER = "no-referrer"
POLICY_NO_REFERRER_WHEN_DOWNGRADE = "no-referrer-when-downgrade"
POLICY_SAME_ORIGIN = "same-origin"
POLICY_ORIGIN = "origin"
POLICY_STRICT_ORIGIN = "strict-origin"
POLICY_ORIGIN_WHEN_CROSS_ORIGIN = "origin-when-cross-origin"
POLICY_STRICT_ORIGIN_WHEN_CROSS_ORIGIN = "strict-origin-when-cross-origin"
POLICY_UNSAFE_URL = "unsafe-url"
POLICY_SCRAPY_DEFAULT = "scrapy-default"


class ReferrerPolicy(ABC):
    """A policy maps (page URL, link URL) to the Referer value, or None for no header."""

    NOREFERRER_SCHEMES: tuple[str, ...] = LOCAL_SCHEMES
    name: str

    @abstractmethod
    def referrer(self, response_url: str, request_url: str) -> str | None:
        raise NotImplementedError

    def stripped_referrer(self, url: str) -> str | None:
        """The full URL without credentials and fragment; None for local schemes."""
        if urlparse(url).scheme in self.NOREFERRER_SCHEMES:
            return None
        return self.strip_url(url)

    def origin_referrer(self, url: str) -> str | None:
        """Only scheme, host and port; None for local schemes."""
        if urlparse(url).scheme in self.NOREFERRER_SCHEMES:
            return None
        return self.origin(url)

    def strip_url(self, url: str, origin_only: bool = False) -> str | None:
        """The W3C "strip url" algorithm: no credentials, no fragment, maybe origin only."""
        if not url:
            return None
        return strip_url(
            url,
            strip_credentials=True,
            strip_fragment=True,
            strip_default_port=True,
            origin_only=origin_only,
        )

    def origin(self, url: str) -> str | None:
        """The serialized origin (scheme, host, port) of ``url``."""
        return self.strip_url(url, origin_only=True)

    def potentially_trustworthy(self, url: str) -> bool:
        # A simplification of the secure-contexts definition: TLS URLs only.
        if urlparse(url).scheme == "data":
            return False
        return self.tls_protected(url)

    def tls_protected(self, url: str) -> bool:
        return urlparse(url).scheme in ("https", "ftps")

    def _downgrades(self, response_url: str, request_url: str) -> bool:
        """True when going from a TLS page to a URL that is not potentially trustworthy."""
        return self.tls_protected(response_url) and not self.potentially_trustworthy(request_url)


class NoReferrerPolicy(ReferrerPolicy):
    """Never send a Referer header."""

    name: str = POLICY_NO_REFERRER

    def referrer(self, response_url: str, request_url: str) -> str | None:
        return None


class NoReferrerWhenDowngradePolicy(ReferrerPolicy):
    """Send the full URL, except from a TLS page to a non-TLS URL (browsers' old default)."""

    name: str = POLICY_NO_REFERRER_WHEN_DOWNGRADE

    def referrer(self, response_url: str, request_url: str) -> str | None:
        if self.tls_protected(response_url) and not self.tls_protected(request_url):
            return None
        return self.stripped_referrer(response_url)


class SameOriginPolicy(ReferrerPolicy):
    """Send the full URL to the same origin only; nothing cross-origin."""

    name: str = POLICY_SAME_ORIGIN

    def referrer(self, response_url: str, request_url: str) -> str | None:
        if self.origin(response_url) != self.origin(request_url):
            return None
        return self.stripped_referrer(response_url)


class OriginPolicy(ReferrerPolicy):
    """Send only the origin, to every URL, downgrades included."""

    name: str = POLICY_ORIGIN

    def referrer(self, response_url: str, request_url: str) -> str | None:
        return self.origin_referrer(response_url)


class StrictOriginPolicy(ReferrerPolicy):
    """Send only the origin, except on a TLS downgrade."""

    name: str = POLICY_STRICT_ORIGIN

    def referrer(self, response_url: str, request_url: str) -> str | None:
        if self._downgrades(response_url, request_url):
            return None
        return self.origin_referrer(response_url)


class OriginWhenCrossOriginPolicy(ReferrerPolicy):
    """Send the full URL within the origin, only the origin elsewhere."""

    name: str = POLICY_ORIGIN_WHEN_CROSS_ORIGIN

    def referrer(self, response_url: str, request_url: str) -> str | None:
        origin = self.origin(response_url)
        if origin == self.origin(request_url):
            return self.stripped_referrer(response_url)
        return origin


class StrictOriginWhenCrossOriginPolicy(ReferrerPolicy):
    """Full URL within the origin, the origin elsewhere, nothing on a TLS downgrade."""

    name: str = POLICY_STRICT_ORIGIN_WHEN_CROSS_ORIGIN

    def referrer(self, response_url: str, request_url: str) -> str | None:
        if self.origin(response_url) == self.origin(request_url):
            return self.stripped_referrer(response_url)
        if self._downgrades(response_url, request_url):
            return None
        return self.origin_referrer(response_url)


class UnsafeUrlPolicy(ReferrerPolicy):
    """Send the full URL everywhere, even from TLS pages to plain HTTP (leaks paths)."""

    name: str = POLICY_UNSAFE_URL

    def referrer(self, response_url: str, request_url: str) -> str | None:
        return self.stripped_referrer(response_url)


class DefaultReferrerPolicy(NoReferrerWhenDowngradePolicy):
    """Scrapy's default: no-referrer-when-downgrade, and nothing from file:// or s3:// pages."""

    NOREFERRER_SCHEMES: tuple[str, ...] = (*LOCAL_SCHEMES, "file", "s3")
    name: str = POLICY_SCRAPY_DEFAULT


_STANDARD_POLICIES: tuple[type[ReferrerPolicy], ...] = (
    NoReferrerPolicy,
    NoReferrerWhenDowngradePolicy,
    SameOriginPolicy,
    OriginPolicy,
    StrictOriginPolicy,
    OriginWhenCrossOriginPolicy,
    StrictOriginWhenCrossOriginPolicy,
    UnsafeUrlPolicy,
    DefaultReferrerPolicy,
)

# The policies whose referrer depends on the target URL's origin only (see get_processed_request).
_STANDARD_POLICY_TYPES = frozenset(_STANDARD_POLICIES)
_UNKNOWN: Any = object()


class RefererMiddleware(BaseSpiderMiddleware):
    """Apply the referrer policy to every request a callback yields.

    REFERRER_POLICIES maps more policy names to classes (or removes names with None).
    Import paths are accepted from settings and meta, never from response headers.
    """

    _referrer_cache: tuple[Response, ReferrerPolicy, dict[str, str | None] | None] | None = None

    def __init__(self, settings: Any = None) -> None:  # no crawler kept, as in Scrapy
        self.default_policy: type[ReferrerPolicy] = DefaultReferrerPolicy
        self.policies: dict[str, type[ReferrerPolicy]] = {policy.name: policy for policy in _STANDARD_POLICIES}
        # An empty Referrer-Policy header means the browser default.
        self.policies[""] = NoReferrerWhenDowngradePolicy
        if settings is None:
            warnings.warn(
                "Instantiating RefererMiddleware without a 'settings' argument is deprecated.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
            return
        for name, path in settings.getdict("REFERRER_POLICIES").items():
            if path is None:
                self.policies.pop(name, None)
            else:
                self.policies[name] = load_object(path)
        policy = self._load_policy_class(settings.get("REFERRER_POLICY"), allow_import_path=True)
        assert policy is not None
        self.default_policy = policy

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        if not crawler.settings.getbool("REFERER_ENABLED"):
            raise NotConfigured
        return cls(crawler.settings)

    def policy(
        self,
        response: Response | str | None = None,
        request: Request | None = None,
        **kwargs: Any,
    ) -> ReferrerPolicy:
        """The policy for ``request`` followed from ``response``.

        A valid ``referrer_policy`` meta value wins; an invalid one falls back to the
        settings' policy (the response header is not consulted then). Without meta, a
        valid Referrer-Policy response header wins, else the settings' policy.
        """
        if "resp_or_url" in kwargs:
            if response is not None:
                raise TypeError("Cannot pass both 'response' and 'resp_or_url'")
            response = kwargs.pop("resp_or_url")
            warnings.warn(
                "Passing 'resp_or_url' is deprecated, use 'response' instead.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
        if response is None:
            raise TypeError("Missing required argument: 'response'")
        if request is None:
            raise TypeError("Missing required argument: 'request'")
        if isinstance(response, str):
            warnings.warn(
                "Passing a response URL to RefererMiddleware.policy() instead of a Response object is deprecated.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
        allow_import_path = True
        policy_name = request.meta.get("referrer_policy")
        if policy_name is None and isinstance(response, Response):
            header = response.headers.get("Referrer-Policy")
            if header is not None:
                policy_name = to_unicode(header, encoding="latin1")
                allow_import_path = False
        if policy_name is None:
            return self.default_policy()
        policy_class = self._load_policy_class(policy_name, warning_only=True, allow_import_path=allow_import_path)
        return policy_class() if policy_class else self.default_policy()

    def _load_policy_class(
        self,
        policy: Any,
        warning_only: bool = False,
        *,
        allow_import_path: bool = False,
    ) -> type[ReferrerPolicy] | None:
        """Resolve a policy name, comma-separated names (the last known wins, as in the
        header syntax) or, if allowed, a class or its import path.

        Unknown policies raise RuntimeError, or warn and return None with ``warning_only``.
        """
        if allow_import_path:
            try:
                return load_object(policy)
            except ValueError:
                pass
        for name in reversed([token.strip() for token in policy.lower().split(",")]):
            if name in self.policies:
                return self.policies[name]
        message = f"Could not load referrer policy {policy!r}"
        if not allow_import_path and _looks_like_import_path(policy):
            message += " (import paths from the response Referrer-Policy header are not allowed)"
        if not warning_only:
            raise RuntimeError(message)
        warnings.warn(message, RuntimeWarning, stacklevel=2)
        return None

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if response is None:
            return request
        meta = request.meta_or_none
        if meta and "referrer_policy" in meta:
            referrer = self.policy(response, request).referrer(response.url, request.url)
        else:
            # The standard policies look at the target URL only through its origin, and a
            # callback yields tens of requests per response, most to the same origin: the
            # referrer is computed once per response and target origin.
            cache = self._referrer_cache
            if cache is None or cache[0] is not response:
                policy = self.policy(response, request)
                memo: dict[str, str | None] | None = {} if type(policy) in _STANDARD_POLICY_TYPES else None
                cache = self._referrer_cache = (response, policy, memo)
            memo = cache[2]
            url = request.url
            if memo is None:
                referrer = cache[1].referrer(response.url, url)
            else:
                authority_end = url.find("/", url.find("//") + 2)
                origin = url if authority_end < 0 else url[:authority_end]
                referrer = memo.get(origin, _UNKNOWN)
                if referrer is _UNKNOWN:
                    referrer = memo[origin] = cache[1].referrer(response.url, url)
        if referrer is not None:
            request._setdefault_header(b"Referer", referrer)
        return request
