"""robots.txt parser backends for the RobotsTxtMiddleware (scrapy.robotstxt).

ROBOTSTXT_PARSER names the backend: Protego (the default; Google's rules: wildcards,
longest match wins), the standard library's RobotFileParser, or Rerp
(robotexclusionrulesparser, when installed). Each is built with
``from_crawler(crawler, robotstxt_body)`` and answers ``allowed(url, user_agent)``.
"""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import TYPE_CHECKING, Any
from urllib.robotparser import RobotFileParser

from ascrapy.utils.python import to_unicode

if TYPE_CHECKING:
    from typing import Self

    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.robotstxt")


def decode_robotstxt(robotstxt_body: bytes, spider: Any, to_native_str_type: bool = False) -> str:
    """The text of a robots.txt body.

    By default undecodable bytes are dropped (a stray byte must not hide the rules
    around it) and a UTF-8 BOM is skipped. With ``to_native_str_type`` the body must be
    valid UTF-8; if it is not, it is treated as empty, which allows everything.
    """
    try:
        if to_native_str_type:
            return to_unicode(robotstxt_body)
        return robotstxt_body.decode("utf-8-sig", errors="ignore")
    except UnicodeDecodeError:
        logger.warning(
            "Failure while parsing robots.txt. File either contains garbage or "
            "is in an encoding other than UTF-8, treating it as an empty file.",
            exc_info=True,
            extra={"spider": spider},
        )
        return ""


def _spider_of(crawler: CrawlerProtocol) -> Any:
    return crawler.spider if crawler else None


class RobotParser(metaclass=ABCMeta):
    """What the RobotsTxtMiddleware needs from a robots.txt backend."""

    @classmethod
    @abstractmethod
    def from_crawler(cls, crawler: CrawlerProtocol, robotstxt_body: bytes) -> Self:
        """A new parser for the raw ``robotstxt_body`` of one site."""

    @abstractmethod
    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        """Whether ``user_agent`` may fetch the absolute ``url``."""

    def crawl_delay(self, user_agent: str | bytes) -> float | None:
        """The Crawl-delay for ``user_agent`` in seconds; None if unset or unsupported."""
        return None


class PythonRobotParser(RobotParser):
    """The standard library's urllib.robotparser."""

    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:
        self.spider = spider
        self.rp = RobotFileParser()
        self.rp.parse(decode_robotstxt(robotstxt_body, spider, to_native_str_type=True).splitlines())

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, robotstxt_body: bytes) -> Self:
        return cls(robotstxt_body, _spider_of(crawler))

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return self.rp.can_fetch(to_unicode(user_agent), to_unicode(url))

    def crawl_delay(self, user_agent: str | bytes) -> float | None:
        delay = self.rp.crawl_delay(to_unicode(user_agent))
        return None if delay is None else float(delay)


class RerpRobotParser(RobotParser):
    """robotexclusionrulesparser, an optional package."""

    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:
        from robotexclusionrulesparser import RobotExclusionRulesParser  # noqa: PLC0415

        self.spider = spider
        self.rp = RobotExclusionRulesParser()
        self.rp.parse(decode_robotstxt(robotstxt_body, spider))

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, robotstxt_body: bytes) -> Self:
        return cls(robotstxt_body, _spider_of(crawler))

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return bool(self.rp.is_allowed(to_unicode(user_agent), to_unicode(url)))

    def crawl_delay(self, user_agent: str | bytes) -> float | None:
        delay = self.rp.get_crawl_delay(to_unicode(user_agent))
        return None if delay is None else float(delay)


class ProtegoRobotParser(RobotParser):
    """Protego: Google's robots.txt semantics (wildcards, longest match wins)."""

    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:
        from protego import Protego  # noqa: PLC0415

        self.spider = spider
        self.rp = Protego.parse(decode_robotstxt(robotstxt_body, spider))

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, robotstxt_body: bytes) -> Self:
        return cls(robotstxt_body, _spider_of(crawler))

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return bool(self.rp.can_fetch(to_unicode(url), to_unicode(user_agent)))

    def crawl_delay(self, user_agent: str | bytes) -> float | None:
        delay = self.rp.crawl_delay(to_unicode(user_agent))
        return None if delay is None else float(delay)
