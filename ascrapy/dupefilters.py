"""Duplicate request filters (scrapy.dupefilters): BaseDupeFilter and RFPDupeFilter."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.fingerprint_set import FingerprintSet

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.dupefilters")

_LENGTH_BYTES = 2  # requests.seen: each fingerprint is its 2-byte big-endian length, then itself


def _read_fingerprints(data: bytes) -> Iterator[bytes]:
    """Fingerprints stored in a requests.seen file; a last record cut short is ignored."""
    position = 0
    while position + _LENGTH_BYTES <= len(data):
        size = int.from_bytes(data[position:position + _LENGTH_BYTES], "big")
        position += _LENGTH_BYTES
        fingerprint = data[position:position + size]
        if len(fingerprint) < size:
            return
        yield fingerprint
        position += size


class BaseDupeFilter:
    """Lets every request through."""

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> BaseDupeFilter:
        return cls()

    def request_seen(self, request: Any) -> bool:
        return False

    def open(self) -> Awaitable[None] | None:  # the scheduler returns it to the engine, which awaits it
        pass

    def close(self, reason: str) -> Awaitable[None] | None:
        pass

    def log(self, request: Any, spider: Any) -> None:
        warnings.warn("Calling BaseDupeFilter.log() is deprecated.", ScrapyDeprecationWarning, stacklevel=2)


class RFPDupeFilter(BaseDupeFilter):
    """Drops requests whose fingerprint was seen. With JOBDIR the fingerprints are kept in
    requests.seen, in the same format as Scrapy 2.19, so either can resume the other's job.

    A durable frontier calls ``write_on_commit``: new fingerprints then reach the file only
    at its ``commit``, after the requests they stand for are stored. Written earlier, a
    crash could leave a fingerprint marked seen whose request was never stored: lost.
    """

    def __init__(self, path: str | None = None, debug: bool = False, *, fingerprinter: Any = None) -> None:
        if fingerprinter is None:
            from ascrapy.fingerprint import RequestFingerprinter

            fingerprinter = RequestFingerprinter()
        self.fingerprinter = fingerprinter
        self.debug = debug
        self.logdupes = True
        self.logger = logger
        self.file = None
        self._unwritten: list[bytes] | None = None  # with write_on_commit: records for the next commit
        self._fingerprints = FingerprintSet()
        self._legacy_fingerprint = type(self).request_fingerprint is not RFPDupeFilter.request_fingerprint
        if self._legacy_fingerprint:
            warnings.warn(
                "Overriding RFPDupeFilter.request_fingerprint() is deprecated, set the "
                "REQUEST_FINGERPRINTER_CLASS setting instead.",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
            self._fingerprint = lambda request: bytes.fromhex(self.request_fingerprint(request))
        else:
            self._fingerprint = fingerprinter.fingerprint
        if path:
            self.file = Path(path, "requests.seen").open("a+b")
            self.file.seek(0)
            self._fingerprints.update(_read_fingerprints(self.file.read()))

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> RFPDupeFilter:
        from ascrapy.utils.job import job_dir

        return cls(
            job_dir(crawler.settings),
            crawler.settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
        )

    @property
    def fingerprints(self) -> frozenset[str]:
        warnings.warn("RFPDupeFilter.fingerprints is deprecated.", ScrapyDeprecationWarning, stacklevel=2)
        return frozenset(fp.hex() for fp in self._fingerprints)

    def request_fingerprint(self, request: Any) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def request_seen(self, request: Any) -> bool:
        fp = self._fingerprint(request)
        seen = self._fingerprints
        if fp in seen:
            return True
        seen.add_unseen(fp)
        if self.file is not None:
            record = len(fp).to_bytes(_LENGTH_BYTES, "big") + fp
            if self._unwritten is None:
                self.file.write(record)
            else:
                self._unwritten.append(record)
        return False

    def write_on_commit(self) -> None:
        """Keep new fingerprints back until ``commit`` (see the class docstring)."""
        if self._unwritten is None:
            self._unwritten = []

    def commit(self) -> None:
        """Write the fingerprints kept back, and flush the file."""
        if self.file is None:
            return
        if self._unwritten:
            self.file.write(b"".join(self._unwritten))
            self._unwritten.clear()
        self.file.flush()

    def close(self, reason: str) -> None:
        if self.file is not None:
            self.commit()
            self.file.close()
            self.file = None

    def log(self, request: Any, spider: Any) -> None:
        if self.debug:
            referer = request.headers.get(b"Referer")
            self.logger.debug(
                "Filtered duplicate request: %(request)s (referer: %(referer)s)",
                {"request": request, "referer": referer.decode("utf-8", "replace") if referer else None},
                extra={"spider": spider},
            )
        elif self.logdupes:
            self.logger.debug(
                "Filtered duplicate request: %(request)s - no more duplicates will be shown"
                " (see DUPEFILTER_DEBUG to show all duplicates)",
                {"request": request},
                extra={"spider": spider},
            )
            self.logdupes = False
        stats = getattr(getattr(spider, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value("dupefilter/filtered")
