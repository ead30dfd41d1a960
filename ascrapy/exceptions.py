"""Exceptions with Scrapy's names and meanings, so user code catches what it expects."""

from __future__ import annotations

from typing import Any


class NotConfigured(Exception):
    """A component declines to load (missing setting, disabled feature)."""


class _InvalidOutput(TypeError):
    """A middleware method returned something it must not."""


class IgnoreRequest(Exception):
    """A downloader middleware or the scheduler dropped a request."""


class DontCloseSpider(Exception):
    """Raised from a spider_idle handler to keep the spider open."""


class CloseSpider(Exception):
    """Raised from a callback to stop the crawl with ``reason``."""

    def __init__(self, reason: str = "cancelled") -> None:
        super().__init__(reason)
        self.reason = reason


class StopDownload(Exception):
    """Raised from a bytes_received/headers_received handler to end a download early."""

    def __init__(self, *, fail: bool = True) -> None:
        super().__init__()
        self.fail = fail


class DropItem(Exception):
    """Raised from an item pipeline to drop the item."""

    def __init__(self, message: str = "", log_level: str | None = None) -> None:
        super().__init__(message)
        self.log_level = log_level


class NotSupported(Exception):
    """A feature or URL scheme is not supported."""


class UsageError(Exception):
    """Wrong command-line usage."""

    def __init__(self, *args: Any, print_help: bool = True) -> None:
        super().__init__(*args)
        self.print_help = print_help


class ScrapyDeprecationWarning(Warning):
    """Warning category for features kept only for older projects."""


class ContractFail(AssertionError):
    """A spider contract was not met."""


# Download errors (Scrapy 2.15+), whatever the handler. Those that a retry may cure are
# DownloadFailedError subclasses (RETRY_EXCEPTIONS lists it); a cancelled download and an
# unsupported scheme are not, as in Scrapy: retrying them can only fail the same way.
class DownloadFailedError(Exception):
    """The download of a request failed."""


class DownloadConnectionRefusedError(DownloadFailedError):
    """The remote end refused the connection."""


class CannotResolveHostError(DownloadFailedError):
    """The host name could not be resolved."""


class DownloadTimeoutError(DownloadFailedError):
    """The download took longer than DOWNLOAD_TIMEOUT."""


class DownloadCancelledError(Exception):
    """The download was cancelled (over a size limit, shutdown): not retried."""


class ResponseDataLossError(DownloadFailedError):
    """The response body ended before its announced length."""


class UnsupportedURLSchemeError(NotSupported):
    """No download handler exists for the URL scheme: not retried."""


class PermanentWriteError(Exception):
    """A batch pipeline's write failed for good (bad data, not a lost connection):
    the items go to the dead-letter file at once instead of being retried."""
