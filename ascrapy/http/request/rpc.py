"""XmlRpcRequest: a POST whose body is an XML-RPC call built from ``params``."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

from ascrapy.http.request import Request
from ascrapy.utils.python import get_func_args

# Keyword arguments of xmlrpc.client.dumps() that the constructor passes through.
DUMPS_ARGS = get_func_args(xmlrpc.client.dumps)


class XmlRpcRequest(Request):
    """An XML-RPC call: POST, ``text/xml``, never filtered as a duplicate.

    XML-RPC endpoints take every call at the same URL, so the duplicate filter
    would otherwise drop all calls but the first.
    """

    __slots__ = ()

    def __init__(self, *args: Any, encoding: str | None = None, **kwargs: Any):
        if "body" not in kwargs and "params" in kwargs:
            dumps_kwargs = {name: kwargs.pop(name) for name in DUMPS_ARGS if name in kwargs}
            kwargs["body"] = xmlrpc.client.dumps(**dumps_kwargs)
        kwargs.setdefault("method", "POST")
        kwargs.setdefault("dont_filter", True)
        if encoding is not None:
            kwargs["encoding"] = encoding
        super().__init__(*args, **kwargs)
        self.headers.setdefault("Content-Type", "text/xml")
