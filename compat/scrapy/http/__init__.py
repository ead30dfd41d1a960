"""scrapy.http: Scrapy's names, from ascrapy.http."""

from ascrapy.http import (
    FormRequest,
    Headers,
    HtmlResponse,
    JsonRequest,
    JsonResponse,
    Request,
    Response,
    TextResponse,
    XmlResponse,
    XmlRpcRequest,
)

__all__ = [
    "FormRequest",
    "Headers",
    "HtmlResponse",
    "JsonRequest",
    "JsonResponse",
    "Request",
    "Response",
    "TextResponse",
    "XmlResponse",
    "XmlRpcRequest",
]
