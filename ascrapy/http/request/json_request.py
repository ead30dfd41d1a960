"""JsonRequest: a request whose body is JSON-serialised ``data``."""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

from ascrapy.http.request import Request


class JsonRequest(Request):
    """A request with JSON headers whose ``data`` becomes the body (and makes it a POST)."""

    __slots__ = ("_dumps_kwargs",)

    attributes: tuple[str, ...] = (*Request.attributes, "dumps_kwargs")

    def __init__(self, *args: Any, dumps_kwargs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        dumps_kwargs = copy.deepcopy(dumps_kwargs) if dumps_kwargs is not None else {}
        dumps_kwargs.setdefault("sort_keys", True)
        self._dumps_kwargs: dict[str, Any] = dumps_kwargs
        if self._body_from_data(kwargs):
            kwargs.setdefault("method", "POST")
        super().__init__(*args, **kwargs)
        headers = self.headers
        headers.setdefault("Content-Type", "application/json")
        headers.setdefault("Accept", "application/json, text/javascript, */*; q=0.01")

    @property
    def dumps_kwargs(self) -> dict[str, Any]:
        return self._dumps_kwargs

    def replace(self, *args: Any, cls: type[Request] | None = None, **kwargs: Any) -> Request:
        """Like :meth:`Request.replace`; ``data=`` re-serialises the body."""
        self._body_from_data(kwargs)
        return super().replace(*args, cls=cls, **kwargs)

    def _body_from_data(self, kwargs: dict[str, Any]) -> bool:
        """Turn ``kwargs``' ``data`` into its ``body``, unless a body is given too (a warning
        then; data is ignored). True if the body now comes from data."""
        data = kwargs.pop("data", None)
        if data is None:
            return False
        if kwargs.get("body") is not None:
            # stacklevel: the caller of __init__() or replace()
            warnings.warn("Both body and data passed. data will be ignored", stacklevel=3)
            return False
        kwargs["body"] = self._dumps(data)
        return True

    def _dumps(self, data: Any) -> str:
        # Looked up on the module each time, so json.dumps can be swapped or patched.
        return json.dumps(data, **self._dumps_kwargs)
