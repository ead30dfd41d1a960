"""Request fingerprints, byte for byte the same as Scrapy's.

The fingerprint is the SHA1 of a JSON document holding the method, the canonical
URL, the body (hex) and any chosen headers (hex), keys sorted. Keeping Scrapy's
exact digest lets ascrapy share HTTP caches, job directories and Redis dedupe sets
with Scrapy projects. Each request's fingerprints are cached while it lives.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from json.encoder import encode_basestring_ascii as _json_str
from typing import TYPE_CHECKING, Any, Protocol
from weakref import WeakKeyDictionary

from w3lib.url import canonicalize_url

from ascrapy.utils._fasturl import memoize_url_function
from ascrapy.utils.memo import ClearingMemo

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol

__all__ = ["RequestFingerprinter", "RequestFingerprinterProtocol", "fingerprint"]

_CacheKey = tuple[tuple[bytes, ...] | None, bool, bool]
_fingerprint_cache: WeakKeyDictionary[Request, dict[_CacheKey, bytes]] = WeakKeyDictionary()
_MISSING: Any = object()


def _canonicalize(url: str, keep_fragments: bool) -> str:
    return canonicalize_url(url, keep_fragments=keep_fragments)


# w3lib's canonical form, remembered: crawls fingerprint the same links again and again.
_canonical_url = memoize_url_function(_canonicalize)


def _is_verbatim(request: Request) -> bool:
    """Whether ``meta["verbatim_url"]`` is set, without creating an empty meta dict."""
    meta = getattr(request, "meta_or_none", _MISSING)  # a request of another class has only meta
    if meta is _MISSING:
        meta = request.meta
    return bool(meta and meta.get("verbatim_url"))


def fingerprint(
    request: Request,
    *,
    include_headers: Iterable[bytes | str] | None = None,
    keep_fragments: bool = False,
) -> bytes:
    """The 20-byte SHA1 that identifies the resource a request points to.

    Query argument order and the fragment do not count (unless ``keep_fragments``);
    headers count only when named in ``include_headers``. A request with
    ``meta["verbatim_url"]`` is identified by its URL exactly as given.
    """
    header_names: tuple[bytes, ...] | None = None
    if include_headers:
        header_names = tuple(
            (name.lower() if isinstance(name, bytes) else name.lower().encode())
            for name in sorted(include_headers)
        )
    verbatim = _is_verbatim(request)
    keep_fragments = keep_fragments and not verbatim
    key = (header_names, keep_fragments, verbatim)
    cache = _fingerprint_cache.get(request)
    if cache is None:
        cache = _fingerprint_cache[request] = {}
    else:
        cached = cache.get(key)
        if cached is not None:
            return cached
    if header_names is None and not request.body:
        digest = _plain_fingerprint(request, keep_fragments)
    else:
        digest = _compute(request, header_names, keep_fragments, verbatim)
    cache[key] = digest
    return digest


_plain_memo: ClearingMemo[tuple[str, str, bool, bool], bytes] = ClearingMemo(8192)


def _plain_fingerprint(request: Request, keep_fragments: bool) -> bytes:
    """The fingerprint of a request without body, remembered by method and URL: links
    repeat (navigation, popular pages), so most are answered without canonicalizing or
    hashing again."""
    try:
        meta = request.meta_or_none  # _is_verbatim(), written out: every request a crawl yields comes here
    except AttributeError:
        meta = request.meta
    verbatim = bool(meta and meta.get("verbatim_url"))
    key = (request.method, request.url, keep_fragments and not verbatim, verbatim)
    digest = _plain_memo.get(key)
    if digest is None:
        digest = _plain_memo.keep(key, _compute(request, None, key[2], verbatim))
    return digest


def _compute(
    request: Request,
    header_names: tuple[bytes, ...] | None,
    keep_fragments: bool,
    verbatim: bool,
) -> bytes:
    headers: dict[str, list[str]] = {}
    if header_names:
        request_headers = request.headers
        for name in header_names:
            if name in request_headers:
                headers[name.hex()] = [value.hex() for value in request_headers.getlist(name)]
    method = request.method
    url = request.url if verbatim else _canonical_url(request.url, keep_fragments)
    # Byte for byte what json.dumps({...}, sort_keys=True) gives for the
    # method/url/body/headers document, written out to save its cost per request.
    document = (
        f'{{"body": "{(request.body or b"").hex()}", '
        f'"headers": {json.dumps(headers, sort_keys=True) if headers else "{}"}, '
        f'"method": {_json_str(method if isinstance(method, str) else method.decode())}, '
        f'"url": {_json_str(url)}}}'
    )
    return hashlib.sha1(document.encode()).digest()  # noqa: S324


class RequestFingerprinterProtocol(Protocol):
    """What REQUEST_FINGERPRINTER_CLASS objects provide."""

    def fingerprint(self, request: Request) -> bytes: ...


class RequestFingerprinter:
    """The default REQUEST_FINGERPRINTER_CLASS: :func:`fingerprint` with no options."""

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> RequestFingerprinter:
        return cls(crawler)

    def __init__(self, crawler: CrawlerProtocol | None = None):
        """``crawler`` is taken for Scrapy's signature; nothing here is configurable."""

    def fingerprint(self, request: Request) -> bytes:
        """As :func:`fingerprint`. Bodyless requests (most of a crawl's, and most of them
        duplicates the dupefilter drops at once) skip the per-request cache entry, which
        would only die with the request."""
        if not request.body:
            return _plain_fingerprint(request, False)
        return fingerprint(request)
