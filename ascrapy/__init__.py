"""ascrapy: a Scrapy-compatible crawler framework on asyncio and aiostream, without Twisted."""

from __future__ import annotations

__version__ = "0.1.0"
version_info = tuple(int(part) for part in __version__.split("."))

from ascrapy.http import (  # noqa: E402
    FormRequest,
    HtmlResponse,
    JsonRequest,
    JsonResponse,
    Request,
    Response,
    TextResponse,
    XmlResponse,
)
from ascrapy.item import Field, Item  # noqa: E402
from ascrapy.selector import Selector  # noqa: E402
from ascrapy.spiders import Spider  # noqa: E402

__all__ = [
    "Field",
    "FormRequest",
    "HtmlResponse",
    "Item",
    "JsonRequest",
    "JsonResponse",
    "Request",
    "Response",
    "Selector",
    "Spider",
    "TextResponse",
    "XmlResponse",
    "__version__",
    "version_info",
]
