"""The HTTP object model: requests, responses and headers, with Scrapy's names."""

from ascrapy.http.headers import Headers
from ascrapy.http.request import Request
from ascrapy.http.request.form import FormRequest
from ascrapy.http.request.json_request import JsonRequest
from ascrapy.http.request.rpc import XmlRpcRequest
from ascrapy.http.response import Response
from ascrapy.http.response.html import HtmlResponse
from ascrapy.http.response.json import JsonResponse
from ascrapy.http.response.text import TextResponse
from ascrapy.http.response.xml import XmlResponse

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
