"""XmlRpcRequest: a POST whose body is an XML-RPC call built from ``params``."""

from __future__ import annotations

from typing import Any

from ascrapy.http.request import Request

# Keyword arguments of xmlrpc.client.dumps() that the constructor passes through. Written
# out: importing xmlrpc.client costs every crawl 2 MB, and few ever send an XML-RPC call.
DUMPS_ARGS = ["params", "methodname", "methodresponse", "encoding", "allow_none"]


class XmlRpcRequest(Request):
    """An XML-RPC call: POST, ``text/xml``, never filtered as a duplicate.

    XML-RPC endpoints take every call at the same URL, so the duplicate filter
    would otherwise drop all calls but the first.
    """

    __slots__ = ()

    def __init__(self, *args: Any, encoding: str | None = None, **kwargs: Any):
        if "body" not in kwargs and "params" in kwargs:
            import xmlrpc.client  # noqa: PLC0415

            dumps_kwargs = {name: kwargs.pop(name) for name in DUMPS_ARGS if name in kwargs}
            kwargs["body"] = xmlrpc.client.dumps(**dumps_kwargs)
        kwargs.setdefault("method", "POST")
        kwargs.setdefault("dont_filter", True)
        if encoding is not None:
            kwargs["encoding"] = encoding
        super().__init__(*args, **kwargs)
        self.headers.setdefault("Content-Type", "text/xml")
