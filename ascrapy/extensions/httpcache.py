"""HTTP cache policies and storages for the HttpCacheMiddleware (scrapy.extensions.httpcache).

A policy decides what may be cached and whether a cached response is still good
(HTTPCACHE_POLICY); a storage keeps responses by request fingerprint
(HTTPCACHE_STORAGE). Both layouts on disk are Scrapy's, so a cache directory written by
one can be read by the other where the response classes resolve.
"""

from __future__ import annotations

import gzip
import logging
import pickle
from datetime import timezone
from email.utils import parsedate_to_datetime
from importlib import import_module
from pathlib import Path
from time import time
from typing import IO, TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from w3lib.http import headers_dict_to_raw, headers_raw_to_dict

from ascrapy.http import Response
from ascrapy.utils.httpobj import urlparse_cached
from ascrapy.utils.project import data_path
from ascrapy.utils.python import to_bytes, to_unicode
from ascrapy.utils.response import response_from_dict

if TYPE_CHECKING:
    from collections.abc import Callable

    from ascrapy.http import Request

logger = logging.getLogger("scrapy.extensions.httpcache")

CacheControl = dict[bytes, bytes | None]


class DummyPolicy:
    """Cache everything (but HTTPCACHE_IGNORE_SCHEMES and HTTPCACHE_IGNORE_HTTP_CODES)
    and serve it forever: for replaying a crawl offline."""

    def __init__(self, settings: Any) -> None:
        self.ignore_schemes: list[str] = settings.getlist("HTTPCACHE_IGNORE_SCHEMES")
        self.ignore_http_codes: list[int] = [int(code) for code in settings.getlist("HTTPCACHE_IGNORE_HTTP_CODES")]

    def should_cache_request(self, request: Request) -> bool:
        return urlparse_cached(request).scheme not in self.ignore_schemes

    def should_cache_response(self, response: Response, request: Request) -> bool:
        return response.status not in self.ignore_http_codes

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        return True

    def is_cached_response_valid(self, cachedresponse: Response, response: Response, request: Request) -> bool:
        return True


class RFC2616Policy:
    """Cache as a browser does: Cache-Control, Expires, validators and revalidation.

    Freshness follows Firefox's heuristics where the RFC leaves room (a tenth of the
    time since Last-Modified; a year for permanent redirects).
    """

    MAXAGE = 3600 * 24 * 365

    def __init__(self, settings: Any) -> None:
        self.always_store: bool = settings.getbool("HTTPCACHE_ALWAYS_STORE")
        self.ignore_schemes: list[str] = settings.getlist("HTTPCACHE_IGNORE_SCHEMES")
        self._cc_parsed: WeakKeyDictionary[Request | Response, CacheControl] = WeakKeyDictionary()
        self.ignore_response_cache_controls: list[bytes] = [
            to_bytes(directive) for directive in settings.getlist("HTTPCACHE_IGNORE_RESPONSE_CACHE_CONTROLS")
        ]

    def _parse_cachecontrol(self, r: Request | Response) -> CacheControl:
        try:
            return self._cc_parsed[r]
        except KeyError:
            pass
        parsed = parse_cachecontrol(r.headers.get(b"Cache-Control", b"") or b"")
        if isinstance(r, Response):
            for directive in self.ignore_response_cache_controls:
                parsed.pop(directive, None)
        self._cc_parsed[r] = parsed
        return parsed

    def should_cache_request(self, request: Request) -> bool:
        if urlparse_cached(request).scheme in self.ignore_schemes:
            return False
        return b"no-store" not in self._parse_cachecontrol(request)

    def should_cache_response(self, response: Response, request: Request) -> bool:
        # RFC 2616 13.4 and 14.9.1. 206 is left out: partial bodies cannot be served.
        cc = self._parse_cachecontrol(response)
        status = response.status
        if b"no-store" in cc or status == 304:
            return False
        if self.always_store:
            return True
        headers = response.headers
        if b"max-age" in cc or b"Expires" in headers:
            return True
        if status in (300, 301, 308):
            return True
        if status in (200, 203, 401):
            # No expiry given: worth keeping only if it can be revalidated.
            return b"Last-Modified" in headers or b"ETag" in headers
        return False

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        cc = self._parse_cachecontrol(cachedresponse)
        ccreq = self._parse_cachecontrol(request)
        if b"no-cache" in cc or b"no-cache" in ccreq:
            return False
        now = time()
        lifetime = self._compute_freshness_lifetime(cachedresponse, request, now)
        age = self._compute_current_age(cachedresponse, request, now)
        request_max_age = self._get_max_age(ccreq)
        if request_max_age is not None:
            lifetime = min(lifetime, request_max_age)
        if age < lifetime:
            return True
        if b"max-stale" in ccreq and b"must-revalidate" not in cc:
            # The client accepts stale responses: of any age, or up to max-stale seconds.
            max_stale = ccreq[b"max-stale"]
            if max_stale is None:
                return True
            try:
                if age < lifetime + max(0, int(max_stale)):
                    return True
            except ValueError:
                pass
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(self, cachedresponse: Response, response: Response, request: Request) -> bool:
        # A server error does not replace a good copy, unless that copy insists on
        # being revalidated.
        if response.status >= 500 and b"must-revalidate" not in self._parse_cachecontrol(cachedresponse):
            return True
        return response.status == 304

    def _set_conditional_validators(self, request: Request, cachedresponse: Response) -> None:
        cached_headers = cachedresponse.headers
        if b"Last-Modified" in cached_headers:
            request.headers[b"If-Modified-Since"] = cached_headers[b"Last-Modified"]
        if b"ETag" in cached_headers:
            request.headers[b"If-None-Match"] = cached_headers[b"ETag"]

    def _get_max_age(self, cc: CacheControl) -> int | None:
        try:
            return max(0, int(cc[b"max-age"]))  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError):
            return None

    def _compute_freshness_lifetime(self, response: Response, request: Request, now: float) -> float:
        max_age = self._get_max_age(self._parse_cachecontrol(response))
        if max_age is not None:
            return max_age
        headers = response.headers
        date = rfc1123_to_epoch(headers.get(b"Date")) or now
        if b"Expires" in headers:
            expires = rfc1123_to_epoch(headers[b"Expires"])
            # An unparseable Expires means already expired (RFC 2616 14.21).
            return max(0, expires - date) if expires else 0
        last_modified = rfc1123_to_epoch(headers.get(b"Last-Modified"))
        if last_modified and last_modified <= date:
            return (date - last_modified) / 10
        if response.status in (300, 301, 308):
            return self.MAXAGE
        return 0

    def _compute_current_age(self, response: Response, request: Request, now: float) -> float:
        headers = response.headers
        # Without a Date header, assume the response is brand new.
        date = rfc1123_to_epoch(headers.get(b"Date")) or now
        age: float = now - date if now > date else 0
        if b"Age" in headers:
            try:
                age = max(age, int(headers[b"Age"]))  # type: ignore[arg-type]
            except ValueError:
                pass
        return age


class DbmCacheStorage:
    """Responses pickled into one DBM database per spider (HTTPCACHE_DBM_MODULE)."""

    def __init__(self, settings: Any) -> None:
        self.cachedir: str = data_path(settings["HTTPCACHE_DIR"], createdir=True)
        self.expiration_secs: int = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.dbmodule: Any = import_module(settings["HTTPCACHE_DBM_MODULE"])
        self.db: Any = None

    def open_spider(self, spider: Any) -> None:
        dbpath = Path(self.cachedir, f"{spider.name}.db")
        self.db = self.dbmodule.open(str(dbpath), "c")
        logger.debug("Using DBM cache storage in %(cachepath)s", {"cachepath": dbpath}, extra={"spider": spider})
        self._fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider: Any) -> None:
        self.db.close()

    def retrieve_response(self, spider: Any, request: Request) -> Response | None:
        found = self._read_data(spider, request)
        if found is None:
            return None
        data, timestamp = found
        request.meta["cache_timestamp"] = timestamp
        return response_from_dict(data)

    def store_response(self, spider: Any, request: Request, response: Response) -> None:
        key = self._fingerprinter.fingerprint(request).hex()
        self.db[f"{key}_data"] = pickle.dumps(response.to_dict(), protocol=4)
        self.db[f"{key}_time"] = str(time())

    def _read_data(self, spider: Any, request: Request) -> tuple[dict[str, Any], float] | None:
        key = self._fingerprinter.fingerprint(request).hex()
        db = self.db
        time_key = f"{key}_time"
        if time_key not in db:
            return None
        timestamp = float(db[time_key])
        if 0 < self.expiration_secs < time() - timestamp:
            return None
        data: dict[str, Any] = pickle.loads(db[f"{key}_data"])  # noqa: S301
        return data, timestamp


class FilesystemCacheStorage:
    """One directory per request: ``HTTPCACHE_DIR/<spider>/<fp[:2]>/<fp>/``, with the
    response's headers and body as plain files (gzipped with HTTPCACHE_GZIP)."""

    def __init__(self, settings: Any) -> None:
        self.cachedir: str = data_path(settings["HTTPCACHE_DIR"])
        self.expiration_secs: int = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.use_gzip: bool = settings.getbool("HTTPCACHE_GZIP")
        self._open: Callable[..., IO[bytes]] = gzip.open if self.use_gzip else open  # type: ignore[assignment]

    def open_spider(self, spider: Any) -> None:
        logger.debug(
            "Using filesystem cache storage in %(cachedir)s", {"cachedir": self.cachedir}, extra={"spider": spider}
        )
        self._fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider: Any) -> None:
        pass

    def retrieve_response(self, spider: Any, request: Request) -> Response | None:
        """The cached response for ``request``, or None when missing or expired."""
        metadata = self._read_meta(spider, request)
        if metadata is None:
            return None
        path = Path(self._get_request_path(spider, request))
        data: dict[str, Any] = {
            "url": metadata["response_url"],
            "status": metadata["status"],
            "headers": headers_raw_to_dict(self._read(path / "response_headers")),
            "body": self._read(path / "response_body"),
        }
        extra_path = path / "response_data"
        # Entries written before response_data existed lack it; the class is then guessed.
        if extra_path.exists():
            with self._open(extra_path, "rb") as f:
                data.update(pickle.load(f))  # noqa: S301
        request.meta["cache_timestamp"] = metadata["timestamp"]
        return response_from_dict(data)

    def store_response(self, spider: Any, request: Request, response: Response) -> None:
        path = Path(self._get_request_path(spider, request))
        path.mkdir(parents=True, exist_ok=True)
        metadata = {
            "url": request.url,
            "method": request.method,
            "status": response.status,
            "response_url": response.url,
            "timestamp": time(),
        }
        self._write(path / "meta", to_bytes(repr(metadata)))
        with self._open(path / "pickled_meta", "wb") as f:
            pickle.dump(metadata, f, protocol=4)
        self._write(path / "response_headers", headers_dict_to_raw(response.headers))
        self._write(path / "response_body", response.body)
        extra = {
            name: value
            for name, value in response.to_dict().items()
            if name not in ("url", "status", "headers", "body")
        }
        with self._open(path / "response_data", "wb") as f:
            pickle.dump(extra, f, protocol=4)
        self._write(path / "request_headers", headers_dict_to_raw(request.headers))
        self._write(path / "request_body", request.body)

    def _read(self, path: Path) -> bytes:
        with self._open(path, "rb") as f:
            return f.read()

    def _write(self, path: Path, content: bytes | None) -> None:
        with self._open(path, "wb") as f:
            f.write(content or b"")

    def _get_request_path(self, spider: Any, request: Request) -> str:
        key = self._fingerprinter.fingerprint(request).hex()
        return str(Path(self.cachedir, spider.name, key[0:2], key))

    def _read_meta(self, spider: Any, request: Request) -> dict[str, Any] | None:
        meta_path = Path(self._get_request_path(spider, request), "pickled_meta")
        if not meta_path.exists():
            return None
        if 0 < self.expiration_secs < time() - meta_path.stat().st_mtime:
            return None
        with self._open(meta_path, "rb") as f:
            metadata: dict[str, Any] = pickle.load(f)  # noqa: S301
        return metadata


def parse_cachecontrol(header: bytes) -> CacheControl:
    """Cache-Control directives by lower-cased name; None for directives without a value.

    >>> parse_cachecontrol(b'public, max-age=3600') == {b'public': None, b'max-age': b'3600'}
    True
    """
    directives: CacheControl = {}
    for directive in header.split(b","):
        name, has_value, value = directive.strip().partition(b"=")
        if name:
            directives[name.lower()] = value if has_value else None
    return directives


def rfc1123_to_epoch(date_str: str | bytes | None) -> int | None:
    """Seconds since the epoch of an HTTP date (RFC 1123, RFC 850 or asctime); None if
    it cannot be parsed. Dates without a zone are UTC."""
    if date_str is None:
        return None
    try:
        date = parsedate_to_datetime(to_unicode(date_str, encoding="ascii"))
        if date.tzinfo is None:
            date = date.replace(tzinfo=timezone.utc)
        return int(date.timestamp())
    except Exception:  # noqa: BLE001 - any malformed header is just "no date"
        return None
