"""scrapy.exceptions: Scrapy's names, from ascrapy.exceptions."""

from ascrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    ContractFail,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    DropItem,
    IgnoreRequest,
    NotConfigured,
    NotSupported,
    ResponseDataLossError,
    ScrapyDeprecationWarning,
    StopDownload,
    UnsupportedURLSchemeError,
    UsageError,
    _InvalidOutput,
)
