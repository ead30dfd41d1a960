"""JsonResponse: a text response with a JSON content type."""

from ascrapy.http.response.text import TextResponse


class JsonResponse(TextResponse):
    """A JSON document; its selector is a JSON selector (jmespath)."""

    __slots__ = ()
