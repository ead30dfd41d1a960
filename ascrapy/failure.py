"""A Twisted-free stand-in for ``twisted.python.failure.Failure``.

Errbacks and ``process_spider_exception`` receive one, so spider code written for Scrapy
(``failure.check(HttpError)``, ``failure.value.response``, ``failure.request``) keeps working.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType
from typing import Any


class Failure:
    """An exception captured as a value, with the surface of Twisted's Failure."""

    request: Any = None

    def __init__(
        self,
        exc_value: BaseException | None = None,
        exc_type: type[BaseException] | None = None,
        exc_tb: TracebackType | None = None,
    ) -> None:
        if exc_value is None:
            exc_type, exc_value, exc_tb = sys.exc_info()
            if exc_value is None:
                raise ValueError("Failure() without an exception must be created inside an except block")
        elif isinstance(exc_value, type):
            exc_value = exc_value()
        self.value: BaseException = exc_value
        self.type: type[BaseException] = exc_type or type(exc_value)
        self.tb: TracebackType | None = exc_tb if exc_tb is not None else exc_value.__traceback__

    def check(self, *error_types: type[BaseException] | str) -> type[BaseException] | str | None:
        """Return the first of ``error_types`` the exception is an instance of, else None."""
        for error_type in error_types:
            if isinstance(error_type, str):
                names = {f"{cls.__module__}.{cls.__qualname__}" for cls in self.type.__mro__}
                if error_type in names:
                    return error_type
            elif isinstance(self.value, error_type):
                return error_type
        return None

    def trap(self, *error_types: type[BaseException]) -> type[BaseException] | str:
        """Return the matching type, or re-raise the exception when none matches."""
        matched = self.check(*error_types)
        if matched is None:
            self.raiseException()
        return matched  # type: ignore[return-value]

    def raiseException(self) -> None:  # noqa: N802 - Twisted's name
        raise self.value.with_traceback(self.tb)

    def getErrorMessage(self) -> str:  # noqa: N802 - Twisted's name
        return str(self.value)

    def getTraceback(self, elideFrameworkCode: int = 0, detail: str = "default") -> str:  # noqa: N802,N803
        return "".join(traceback.format_exception(self.type, self.value, self.tb))

    def printTraceback(self, file: Any = None, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        print(self.getTraceback(), file=file or sys.stderr, end="")

    def exc_info(self) -> tuple[type[BaseException], BaseException, TracebackType | None]:
        """The (type, value, traceback) triple that logging's ``exc_info`` expects."""
        return self.type, self.value, self.tb

    def __repr__(self) -> str:
        return f"<Failure {self.type.__module__}.{self.type.__qualname__}: {self.value}>"

    __str__ = __repr__
