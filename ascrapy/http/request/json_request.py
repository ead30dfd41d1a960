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
        data = kwargs.pop("data", None)
        if data is not None:
            if kwargs.get("body") is not None:
                warnings.warn("Both body and data passed. data will be ignored", stacklevel=2)
            else:
                kwargs["body"] = self._dumps(data)
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
        data = kwargs.pop("data", None)
        if data is not None:
            if kwargs.get("body") is not None:
                warnings.warn("Both body and data passed. data will be ignored", stacklevel=2)
            else:
                kwargs["body"] = self._dumps(data)
        return super().replace(*args, cls=cls, **kwargs)

    def _dumps(self, data: Any) -> str:
        # Looked up on the module each time, so json.dumps can be swapped or patched.
        return json.dumps(data, **self._dumps_kwargs)
