"""Attributes that get their value only once a crawl starts (Crawler.engine, .stats, ...).

Reading one too early is a bug in the caller (a component's ``__init__`` reaching for the
engine, say), and None would only fail later and further away; so it raises an error that
says when the value is set. The error is both a RuntimeError (what Scrapy raises) and an
AttributeError, so ``getattr(crawler, "stats", None)`` and ``hasattr`` still probe safely.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

_T = TypeVar("_T")


class LateAttributeError(RuntimeError, AttributeError):
    """An attribute read before the crawl set it."""


class LateAttribute(Generic[_T]):
    """A descriptor whose value lives in ``_<name>`` on the instance (None until set).

    Code that runs before the value is set and can do without it reads ``_<name>``.
    """

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name
        self.storage = f"_{name}"
        self.owner_name = owner.__name__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> LateAttribute[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type[Any]) -> _T: ...

    def __get__(self, instance: object | None, owner: type[Any]) -> LateAttribute[_T] | _T:
        if instance is None:
            return self
        value = getattr(instance, self.storage, None)
        if value is None:
            raise LateAttributeError(
                f"{self.owner_name}.{self.name} is not set yet: it is set when the crawl starts, "
                "so use it from then on (from the spider_opened signal, say), not earlier"
            )
        return value

    def __set__(self, instance: object, value: _T | None) -> None:
        setattr(instance, self.storage, value)
