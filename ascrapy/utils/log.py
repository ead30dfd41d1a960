"""Logging setup with Scrapy's settings and line shape.

A line reads ``2026-11-22 10:00:00 [ascrapy.engine.engine] INFO: message``: LOG_FORMAT
and LOG_DATEFORMAT keep Scrapy's defaults, so tools that parse Scrapy logs keep working.
LOG_JSON writes one JSON object per record instead (ascrapy.utils.jsonlog).
"""

from __future__ import annotations

import logging
import os
import platform
import pprint
import re
import sys
import warnings
from collections.abc import MutableMapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.settings import defaults as _default_settings

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol
    from ascrapy.settings import Settings

logger = logging.getLogger("scrapy.utils.log")

# Logger names whose children LOG_SHORT_NAMES folds into the top name.
_OWN_LOGGERS = ["ascrapy", "scrapy"]

DEFAULT_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {
        "ascrapy": {"level": "DEBUG"},
        "scrapy": {"level": "DEBUG"},
        "aiohttp": {"level": "WARNING"},
        "filelock": {"level": "ERROR"},
        "parso": {"level": "ERROR"},
    },
}

# What `version -v` reports; LOG_VERSIONS decides what the start of a crawl logs.
DEFAULT_VERSIONS_SOFTWARE: list[str] = list(_default_settings.LOG_VERSIONS)


def failure_to_exc_info(
    failure: Any,
) -> tuple[type[BaseException], BaseException, TracebackType | None] | None:
    """The (type, value, traceback) triple of a Failure, for ``logger.error(exc_info=...)``."""
    from ascrapy.failure import Failure

    if not isinstance(failure, Failure):
        return None
    return failure.exc_info()


class TopLevelFormatter(logging.Filter):
    """Shortens ``scrapy.core.engine`` to ``scrapy`` for the listed top-level loggers.

    It is a filter on the root handler, since a filter on a logger does not apply to
    records of its children.
    """

    def __init__(self, loggers: list[str] | None = None) -> None:
        super().__init__()
        self.loggers: list[str] = loggers or []

    def filter(self, record: logging.LogRecord) -> bool:
        for name in self.loggers:
            if record.name.startswith(name + "."):
                record.name = name
                break
        return True


def configure_logging(
    settings: Settings | dict[str, Any] | None = None,
    install_root_handler: bool | None = None,
) -> None:
    """Route warnings into logging, set library log levels, and install the root handler.

    ``install_root_handler`` is deprecated (as in Scrapy 2.19); when it is None the
    LOG_INSTALL_ROOT_HANDLER setting decides.
    """
    settings = _as_settings(settings)
    if install_root_handler is None:
        install_root_handler = settings.getbool("LOG_INSTALL_ROOT_HANDLER", True)
    else:
        warnings.warn(
            "The install_root_handler parameter is deprecated. Set the "
            "LOG_INSTALL_ROOT_HANDLER setting instead.",
            ScrapyDeprecationWarning,
            stacklevel=2,
        )
    if not sys.warnoptions:
        logging.captureWarnings(True)
    from logging.config import dictConfig  # noqa: PLC0415 - loaded only when logging is set up

    dictConfig(DEFAULT_LOGGING)
    if settings.getbool("LOG_STDOUT"):
        sys.stdout = StreamLogger(logging.getLogger("stdout"))
    if install_root_handler:
        install_scrapy_root_handler(settings)


def _as_settings(settings: Settings | dict[str, Any] | None) -> Settings:
    if settings is None or isinstance(settings, dict):
        from ascrapy.settings import Settings

        return Settings(settings)
    return settings


_scrapy_root_handler: logging.Handler | None = None


def install_scrapy_root_handler(settings: Settings) -> None:
    """Replace the handler this module installed earlier (if any) with one for ``settings``."""
    global _scrapy_root_handler
    _uninstall_scrapy_root_handler()
    logging.root.setLevel(logging.NOTSET)
    _scrapy_root_handler = _get_handler(settings)
    logging.root.addHandler(_scrapy_root_handler)


def _uninstall_scrapy_root_handler() -> None:
    global _scrapy_root_handler
    if _scrapy_root_handler is None:
        return
    if _scrapy_root_handler in logging.root.handlers:
        logging.root.removeHandler(_scrapy_root_handler)
    _scrapy_root_handler.close()
    _scrapy_root_handler = None


def get_scrapy_root_handler() -> logging.Handler | None:
    """The root handler installed by configure_logging, if any."""
    return _scrapy_root_handler


def _get_handler(settings: Settings) -> logging.Handler:
    """A file, stderr or null handler as LOG_FILE and LOG_ENABLED say."""
    filename = settings.get("LOG_FILE")
    handler: logging.Handler
    if filename:
        mode = "a" if settings.getbool("LOG_FILE_APPEND", True) else "w"
        encoding = settings.get("LOG_ENCODING") or "utf-8"
        handler = logging.FileHandler(filename, mode=mode, encoding=encoding)
    elif settings.getbool("LOG_ENABLED", True):
        handler = logging.StreamHandler()
    else:
        handler = logging.NullHandler()
    handler.setFormatter(_get_formatter(handler, settings))
    handler.setLevel(_level(settings.get("LOG_LEVEL") or "DEBUG"))
    if settings.getbool("LOG_SHORT_NAMES"):
        handler.addFilter(TopLevelFormatter(list(_OWN_LOGGERS)))
    return handler


def _level(value: Any) -> int | str:
    return value.upper() if isinstance(value, str) else int(value)


_DEFAULT_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
_DEFAULT_DATEFORMAT = "%Y-%m-%d %H:%M:%S"


def _tty_supports_color() -> bool:
    """Whether the terminal understands ANSI colours (not a dumb one, not old Windows)."""
    if os.environ.get("TERM") == "dumb":
        return False
    if sys.platform != "win32":
        return True
    return "ANSICON" in os.environ or "WT_SESSION" in os.environ


def _get_formatter(handler: logging.Handler, settings: Settings) -> logging.Formatter:
    """One JSON object per record with LOG_JSON; else the plain formatter, or a colorlog
    one for a colour terminal when LOG_COLOR allows."""
    if settings.getbool("LOG_JSON"):
        from ascrapy.utils.jsonlog import JsonLogFormatter  # noqa: PLC0415 - only when asked for

        return JsonLogFormatter()
    fmt = settings.get("LOG_FORMAT") or _DEFAULT_FORMAT
    datefmt = settings.get("LOG_DATEFORMAT") or _DEFAULT_DATEFORMAT
    to_terminal = (
        isinstance(handler, logging.StreamHandler)
        and not isinstance(handler, logging.FileHandler)
        and settings.getbool("LOG_COLOR", True)
        and getattr(handler.stream, "isatty", lambda: False)()
        and _tty_supports_color()
    )
    if to_terminal:
        try:
            from colorlog import ColoredFormatter
        except ImportError:
            pass
        else:
            return ColoredFormatter(fmt=f"%(log_color)s{fmt}", datefmt=datefmt)
    return logging.Formatter(fmt=fmt, datefmt=datefmt)


def ascrapy_version() -> str:
    """The installed ascrapy version."""
    from ascrapy.version import __version__

    return __version__ or _distribution_version("ascrapy", "unknown")


def scrapy_api_version() -> str:
    """What ``scrapy version`` reports for Scrapy: the release ascrapy emulates, marked so."""
    from ascrapy.version import SCRAPY_VERSION

    return f"{SCRAPY_VERSION} (the Scrapy API, on ascrapy)"


def _software_version(name: str) -> str:
    lowered = name.lower()
    if lowered == "ascrapy":
        return ascrapy_version()
    if lowered == "scrapy":
        return scrapy_api_version()
    if lowered == "libxml2":
        import lxml.etree

        return ".".join(map(str, lxml.etree.LIBXML_VERSION))
    if lowered == "platform":
        return platform.platform()
    if lowered == "python":
        return sys.version.replace("\n", "- ")
    return _distribution_version(name, "not installed")


def _distribution_version(name: str, missing: str) -> str:
    from importlib import metadata  # noqa: PLC0415 - scans site-packages: only when asked

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return missing


def get_versions(software: list[str] | None = None) -> list[tuple[str, str]]:
    """(name, version) pairs; by default ascrapy first, the Scrapy API level, then the main
    dependencies."""
    names = software or ["ascrapy", "Scrapy", *DEFAULT_VERSIONS_SOFTWARE]
    return [(name, _software_version(name)) for name in names]


def log_scrapy_info(settings: Settings) -> None:
    """Log the start line and the versions of the software in use."""
    logger.info(
        "ascrapy %(version)s started (bot: %(bot)s)",
        {"version": ascrapy_version(), "bot": settings.get("BOT_NAME")},
    )
    software = settings.getlist("LOG_VERSIONS")
    if not software:
        return
    versions = pprint.pformat(dict(get_versions(software)), sort_dicts=False)
    logger.info("Versions:\n%s", versions)


def log_reactor_info() -> None:
    """Log the asyncio event loop in use (ascrapy has no Twisted reactor)."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    logger.debug("Using asyncio event loop: %s.%s", type(loop).__module__, type(loop).__name__)


class StreamLogger:
    """A write-only file object that sends each written line to a logger (LOG_STDOUT)."""

    def __init__(self, logger: logging.Logger, log_level: int = logging.INFO) -> None:
        self.logger: logging.Logger = logger
        self.log_level: int = log_level
        self.linebuf: str = ""

    def write(self, buf: str) -> None:
        for line in buf.rstrip().splitlines():
            self.logger.log(self.log_level, line.rstrip())

    def flush(self) -> None:
        for handler in self.logger.handlers:
            handler.flush()


class LogCounterHandler(logging.Handler):
    """Counts records per level into the crawler's stats (``log_count/ERROR`` ...)."""

    def __init__(self, crawler: CrawlerProtocol, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crawler = crawler

    def emit(self, record: logging.LogRecord) -> None:
        self.crawler.stats.inc_value(f"log_count/{record.levelname}")


_MAPPING_PLACEHOLDER = re.compile(r"%\(\w+\)")


def logformatter_adapter(logkws: MutableMapping[str, Any]) -> tuple[Any, ...]:
    """Turn a LogFormatter result dict into positional arguments for ``logger.log``.

    Empty args are dropped (logging would %-format the message otherwise); a tuple
    becomes one argument per element, a dict stays one argument.
    """
    level = logkws.get("level", logging.INFO)
    message = logkws.get("msg") or ""
    args = logkws.get("args")
    if not args:
        if _MAPPING_PLACEHOLDER.search(message):
            warnings.warn(
                f"A log formatter method returned msg {message!r} with %(name)s "
                "placeholders and no args. Interpolating msg with the returned dict "
                "is deprecated, return those values under args instead.",
                ScrapyDeprecationWarning,
                stacklevel=1,
            )
            return (level, message, logkws)
        return (level, message)
    if isinstance(args, tuple):
        return (level, message, *args)
    return (level, message, args)


class SpiderLoggerAdapter(logging.LoggerAdapter):
    """Adds the adapter's ``extra`` (the spider) to every record, over the caller's."""

    def process(self, msg: str, kwargs: MutableMapping[str, Any]) -> tuple[str, MutableMapping[str, Any]]:
        extra = kwargs.get("extra")
        if isinstance(extra, MutableMapping):
            extra.update(self.extra or {})
        else:
            kwargs["extra"] = self.extra
        return msg, kwargs
