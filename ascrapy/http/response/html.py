"""HtmlResponse: a text response parsed as HTML by its selector."""

from ascrapy.http.response.text import TextResponse


class HtmlResponse(TextResponse):
    """An HTML page; its class tells selectors and middlewares how to read it."""

    __slots__ = ()
