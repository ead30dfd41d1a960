"""The built-in contracts (scrapy.contracts.default), enabled by SPIDER_CONTRACTS_BASE.

Request contracts shape the sample request (``@url``, ``@cb_kwargs``, ``@meta``,
``@method``, ``@body``, ``@header``, ``@cookie``); output contracts check what the callback
returned (``@returns``, ``@scrapes``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from itemadapter import ItemAdapter, is_item

from ascrapy.contracts import Contract
from ascrapy.exceptions import ContractFail
from ascrapy.http import Request

__all__ = [
    "BodyContract",
    "CallbackKeywordArgumentsContract",
    "CookieContract",
    "HeaderContract",
    "MetadataContract",
    "MethodContract",
    "ReturnsContract",
    "ScrapesContract",
    "UrlContract",
]


class UrlContract(Contract):
    """``@url URL``: the sample request's URL. Callbacks without it are not checked."""

    name = "url"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["url"] = self.args[0]
        return args


class CallbackKeywordArgumentsContract(Contract):
    """``@cb_kwargs {JSON object}``: the sample request's cb_kwargs."""

    name = "cb_kwargs"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["cb_kwargs"] = json.loads(" ".join(self.args))
        return args


class MetadataContract(Contract):
    """``@meta {JSON object}``: the sample request's meta."""

    name = "meta"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["meta"] = json.loads(" ".join(self.args))
        return args


class MethodContract(Contract):
    """``@method POST``: the sample request's HTTP method."""

    name = "method"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["method"] = self.args[0]
        return args


class BodyContract(Contract):
    """``@body text``: the sample request's body (the rest of the line, as written)."""

    name = "body"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["body"] = " ".join(self.args)
        return args


class HeaderContract(Contract):
    """``@header Name value...``: one header of the sample request; one line per header."""

    name = "header"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["headers"] = {**(args.get("headers") or {}), self.args[0]: " ".join(self.args[1:])}
        return args


class CookieContract(Contract):
    """``@cookie name value...``: one cookie of the sample request; one line per cookie."""

    name = "cookie"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["cookies"] = {**(args.get("cookies") or {}), self.args[0]: " ".join(self.args[1:])}
        return args


def _is_request(value: Any) -> bool:
    return isinstance(value, Request)


class ReturnsContract(Contract):
    """``@returns item(s)|request(s) [min [max]]``: how many of them the callback returns.

    ``min`` defaults to 1 and ``max`` to no limit; other kinds of output are not counted.
    """

    name = "returns"
    object_type_verifiers: ClassVar[dict[str | None, Callable[[Any], bool]]] = {
        "request": _is_request,
        "requests": _is_request,
        "item": is_item,
        "items": is_item,
    }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if len(self.args) not in (1, 2, 3):
            raise ValueError(f"Incorrect argument quantity: expected 1, 2 or 3, got {len(self.args)}")
        self.obj_name: str | None = self.args[0] or None
        self.obj_type_verifier = self.object_type_verifiers[self.obj_name]
        self.min_bound: float = int(self.args[1]) if len(self.args) > 1 else 1
        self.max_bound: float = int(self.args[2]) if len(self.args) > 2 else float("inf")

    def post_process(self, output: list[Any]) -> None:
        count = sum(1 for element in output if self.obj_type_verifier(element))
        if self.min_bound <= count <= self.max_bound:
            return
        if self.min_bound == self.max_bound:
            expected = str(self.min_bound)
        else:
            expected = f"{self.min_bound}..{self.max_bound}"
        raise ContractFail(f"Returned {count} {self.obj_name}, expected {expected}")


class ScrapesContract(Contract):
    """``@scrapes field ...``: every item the callback returns has these fields."""

    name = "scrapes"

    def post_process(self, output: list[Any]) -> None:
        for element in output:
            if not is_item(element):
                continue
            adapter = ItemAdapter(element)
            missing = [field for field in self.args if field not in adapter]
            if missing:
                raise ContractFail(f"Missing fields: {', '.join(missing)}")
