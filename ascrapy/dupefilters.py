"""Duplicate request filters (scrapy.dupefilters): BaseDupeFilter and RFPDupeFilter."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ascrapy.utils.misc import load_object

logger = logging.getLogger("scrapy.dupefilters")


class BaseDupeFilter:
    """Lets every request through."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> BaseDupeFilter:
        return cls()

    def request_seen(self, request: Any) -> bool:
        return False

    def open(self) -> None:
        pass

    def close(self, reason: str) -> None:
        pass

    def log(self, request: Any, spider: Any) -> None:
        pass


class RFPDupeFilter(BaseDupeFilter):
    """Drops requests whose fingerprint was seen; with JOBDIR the fingerprints outlive the run."""

    def __init__(
        self,
        path: str | None = None,
        debug: bool = False,
        *,
        fingerprinter: Any = None,
    ) -> None:
        if fingerprinter is None:
            from ascrapy.fingerprint import RequestFingerprinter

            fingerprinter = RequestFingerprinter()
        self.fingerprinter = fingerprinter
        self._fingerprint = fingerprinter.fingerprint
        self.debug = debug
        self.logdupes = True
        self.file = None
        self._seen: set[bytes] = set()
        self._seen_hex: set[str] | None = None
        if path:
            seen_path = Path(path, "requests.seen")
            seen_path.parent.mkdir(parents=True, exist_ok=True)
            self.file = seen_path.open("a+", encoding="utf-8")
            self.file.seek(0)
            self._seen.update(bytes.fromhex(line.strip()) for line in self.file if line.strip())

    @classmethod
    def from_crawler(cls, crawler: Any) -> RFPDupeFilter:
        from ascrapy.utils.job import job_dir

        return cls(
            job_dir(crawler.settings),
            crawler.settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
        )

    @classmethod
    def from_settings(cls, settings: Any, *, fingerprinter: Any = None) -> RFPDupeFilter:
        from ascrapy.utils.job import job_dir

        return cls(job_dir(settings), settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=fingerprinter)

    @property
    def fingerprints(self) -> set[str]:
        """Hex fingerprints seen so far (Scrapy stores hex strings; ascrapy keeps the digests)."""
        return {fp.hex() for fp in self._seen}

    def request_fingerprint(self, request: Any) -> str:
        return self._fingerprint(request).hex()

    def request_seen(self, request: Any) -> bool:
        fp = self._fingerprint(request)
        seen = self._seen
        if fp in seen:
            return True
        seen.add(fp)
        if self.file is not None:
            self.file.write(fp.hex() + "\n")
        return False

    def close(self, reason: str) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def log(self, request: Any, spider: Any) -> None:
        if self.debug:
            referer = request.headers.get(b"Referer")
            logger.debug(
                "Filtered duplicate request: %(request)s (referer: %(referer)s)",
                {"request": request, "referer": referer.decode() if referer else None},
                extra={"spider": spider},
            )
        elif self.logdupes:
            logger.debug(
                "Filtered duplicate request: %(request)s - no more duplicates will be shown"
                " (see DUPEFILTER_DEBUG to show all duplicates)",
                {"request": request},
                extra={"spider": spider},
            )
            self.logdupes = False
        crawler = getattr(spider, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value("dupefilter/filtered")


def dupefilter_class(settings: Any) -> type[BaseDupeFilter]:
    return load_object(settings["DUPEFILTER_CLASS"])
