"""Duplicate filters kept in Redis, shared by every worker of a spider.

- RFPDupeFilter: the hex fingerprints in a set (scrapy-redis's key and layout), about 100
  bytes of Redis memory each.
- BloomDupeFilter: a Bloom filter on a plain Redis bitmap (no Redis module): DUPEFILTER_
  BLOOM_CAPACITY fingerprints at a DUPEFILTER_BLOOM_ERROR_RATE false-positive rate, about
  1.8 bytes each at 0.1%. A false positive drops a request that was never crawled: choose the
  capacity above the pages the crawl may see.

Under the Redis frontier the check runs inside the script that stores a page's new requests
(one round trip for all of them); ``marker`` says what the script checks. Used as the
DUPEFILTER_CLASS of another scheduler, ``request_seen`` asks Redis itself, one blocking
round trip per request, as scrapy-redis's filter does.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any, ClassVar, Self

from ascrapy.fingerprint import RequestFingerprinter
from ascrapy.redis import defaults, scripts

if TYPE_CHECKING:
    from ascrapy.http import Request
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.settings import BaseSettings
    from ascrapy.spiders import Spider

logger = logging.getLogger("scrapy_redis.dupefilter")

DEFAULT_KEY = defaults.SCHEDULER_DUPEFILTER_KEY
_MAX_BITS = 1 << 32  # a Redis string holds at most 512 MB


class RFPDupeFilter:
    """Fingerprints in a Redis set (SCHEDULER_DUPEFILTER_KEY, default ``<spider>:dupefilter``)."""

    dedupe: ClassVar[str] = "set"

    def __init__(self, key: str = DEFAULT_KEY, debug: bool = False, *, fingerprinter: Any = None,
                 settings: Any = None) -> None:
        self.key = key
        self.debug = debug
        self.logdupes = True
        self.fingerprinter = fingerprinter or RequestFingerprinter()
        self._settings = settings
        self._server: Any = None

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> Self:
        settings = crawler.settings
        return cls(
            settings.get("SCHEDULER_DUPEFILTER_KEY") or DEFAULT_KEY,
            settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
            settings=settings,
            **cls.options_from(settings),
        )

    @classmethod
    def options_from(cls, settings: BaseSettings) -> dict[str, Any]:
        """The keyword arguments of a subclass's own settings (none for the set)."""
        return {}

    def key_for(self, spider: Spider) -> str:
        return self.key % {"spider": spider.name}

    def marker(self, request: Request) -> str:
        """What the frontier's script looks up (and adds) for ``request``."""
        return self.marker_of(self.fingerprinter.fingerprint(request))

    def marker_of(self, fingerprint: bytes) -> str:
        """The marker of a request with this fingerprint (what subclasses change)."""
        return fingerprint.hex()

    async def prepare(self, client: Any, key: str) -> None:
        """Make ``key`` ready before the frontier's scripts use it (a set needs nothing)."""

    # -- Scrapy's dupefilter API, for use under another scheduler -----------------------

    def _sync_server(self) -> Any:
        if self._server is None:
            import redis

            from ascrapy.redis.connection import redis_url

            self._server = redis.Redis.from_url(redis_url(self._settings) if self._settings else
                                                "redis://127.0.0.1:6379/0")
        return self._server

    def request_seen(self, request: Request) -> bool:
        return self._seen(request, self.marker(request))

    def _seen(self, request: Request, marker: str) -> bool:
        return self._sync_server().sadd(self.key % {"spider": "scrapy"}, marker) == 0

    def log(self, request: Request, spider: Spider | None) -> None:
        if self.debug:
            logger.debug("Filtered duplicate request: %(request)s", {"request": request}, extra={"spider": spider})
        elif self.logdupes:
            logger.debug(
                "Filtered duplicate request %(request)s - no more duplicates will be shown"
                " (see DUPEFILTER_DEBUG to show all duplicates)",
                {"request": request}, extra={"spider": spider},
            )
            self.logdupes = False
        crawler = getattr(spider, "crawler", None)
        if crawler is not None:
            crawler.stats.inc_value("dupefilter/filtered")


class BloomDupeFilter(RFPDupeFilter):
    """A Bloom filter in a Redis bitmap (see the module docstring)."""

    dedupe: ClassVar[str] = "bloom"

    def __init__(self, key: str = DEFAULT_KEY, debug: bool = False, *, fingerprinter: Any = None,
                 settings: Any = None, capacity: int = 100_000_000, error_rate: float = 0.001) -> None:
        super().__init__(key, debug, fingerprinter=fingerprinter, settings=settings)
        if capacity <= 0 or not 0 < error_rate < 1:
            raise ValueError("DUPEFILTER_BLOOM_CAPACITY must be positive, DUPEFILTER_BLOOM_ERROR_RATE in (0, 1)")
        bits = math.ceil(-capacity * math.log(error_rate) / math.log(2) ** 2)
        if bits > _MAX_BITS:
            raise ValueError(
                f"a Bloom filter for {capacity:,} fingerprints at {error_rate} needs {bits:,} bits; "
                f"a Redis bitmap holds {_MAX_BITS:,}: lower DUPEFILTER_BLOOM_CAPACITY or raise the error rate"
            )
        self.bits = bits
        self.hashes = max(1, round(bits / capacity * math.log(2)))
        self._created = False

    async def prepare(self, client: Any, key: str) -> None:
        """Create the whole bitmap at once (scripts.CREATE_BLOOM says why)."""
        await client.eval(scripts.CREATE_BLOOM, 1, key, self.size_in_bytes)

    @property
    def size_in_bytes(self) -> int:
        return (self.bits + 7) // 8

    @classmethod
    def options_from(cls, settings: BaseSettings) -> dict[str, Any]:
        return {"capacity": settings.getint("DUPEFILTER_BLOOM_CAPACITY", 100_000_000),
                "error_rate": settings.getfloat("DUPEFILTER_BLOOM_ERROR_RATE", 0.001)}

    def marker_of(self, fingerprint: bytes) -> str:
        """The filter's bit positions for a fingerprint (double hashing)."""
        first = int.from_bytes(fingerprint[:8], "big")
        step = int.from_bytes(fingerprint[8:16], "big") | 1
        bits = self.bits
        return " ".join(str((first + i * step) % bits) for i in range(self.hashes))

    def _seen(self, request: Request, marker: str) -> bool:
        server = self._sync_server()
        key = self.key % {"spider": "scrapy"}
        if not self._created:
            server.eval(scripts.CREATE_BLOOM, 1, key, self.size_in_bytes)
            self._created = True
        pipe = server.pipeline()
        for position in marker.split():
            pipe.setbit(key, int(position), 1)
        return all(pipe.execute())
