"""ascrapy: a Scrapy-compatible crawler framework on asyncio and aiostream, without Twisted."""

from __future__ import annotations

from ascrapy.http import (
    FormRequest,
    HtmlResponse,
    JsonRequest,
    JsonResponse,
    Request,
    Response,
    TextResponse,
    XmlResponse,
)
from ascrapy.item import Field, Item
from ascrapy.selector import Selector
from ascrapy.spiders import Spider
from ascrapy.version import __version__, version_info

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
