"""XmlResponse: a text response parsed as XML by its selector."""

from ascrapy.http.response.text import TextResponse


class XmlResponse(TextResponse):
    """An XML document (feeds, sitemaps); its selector uses the XML parser."""

    __slots__ = ()
