"""scrapy.contracts.default: Scrapy's names, from ascrapy.contracts.default."""

from ascrapy.contracts.default import (
    BodyContract,
    CallbackKeywordArgumentsContract,
    CookieContract,
    HeaderContract,
    MetadataContract,
    MethodContract,
    ReturnsContract,
    ScrapesContract,
    UrlContract,
)
