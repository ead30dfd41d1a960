"""Spider contracts (scrapy.contracts): callbacks tested by lines of their docstrings.

A docstring line ``@name args...`` names a :class:`Contract`. From the contracts of one
callback the :class:`ContractsManager` builds a sample request; the contracts shape its
arguments (URL, meta, cb_kwargs, ...), and their ``pre_process`` / ``post_process`` hooks
check the response and the callback's output. Every check lands in a ``unittest``
TestResult, which is how ``check`` reports them.
"""

from __future__ import annotations

import inspect
import re
import sys
import warnings
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any
from unittest import TestCase, TestResult

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Request
from ascrapy.utils.misc import arg_to_iter
from ascrapy.utils.python import get_spec

if TYPE_CHECKING:
    from ascrapy.failure import Failure
    from ascrapy.spiders import Spider

__all__ = ["Contract", "ContractsManager"]

# a docstring line that starts a contract: "@name", then its whitespace-separated arguments
_CONTRACT_LINE = re.compile(r"@(\w+)\s*(.*)")
_HAS_CONTRACT = re.compile(r"^\s*@", re.MULTILINE)


def _is_async(callback: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(callback) or inspect.isasyncgenfunction(callback)


def _as_list(output: Any) -> list[Any]:
    """The output of a plain callback as a list; async output needs an ``async def`` callback."""
    if inspect.iscoroutine(output) or inspect.isasyncgen(output):
        if inspect.iscoroutine(output):
            output.close()  # never awaited: close it so Python does not warn about that
        raise TypeError(
            "Callbacks that return a coroutine or an asynchronous generator "
            "must be defined with async def to be supported by contracts."
        )
    return list(arg_to_iter(output))


async def _as_list_async(output: Any) -> list[Any]:
    """The output of an ``async def`` callback (coroutine or async generator) as a list."""
    if inspect.isasyncgen(output):
        return [element async for element in output]
    if inspect.iscoroutine(output):
        return await _as_list_async(await output)
    return list(arg_to_iter(output))


def _record_check(check: Callable[[Any], Any], value: Any, testcase: TestCase, results: TestResult) -> None:
    """Run one contract check as a test: an AssertionError fails it, another error errs it.

    BaseExceptions (KeyboardInterrupt, SystemExit) are not test outcomes and propagate.
    """
    results.startTest(testcase)
    try:
        check(value)
    except AssertionError:
        results.addFailure(testcase, sys.exc_info())
    except Exception:
        results.addError(testcase, sys.exc_info())
    else:
        results.addSuccess(testcase)
    finally:
        results.stopTest(testcase)


def _hooked_callback(
    callback: Callable[..., Any],
    before: Callable[[Any], None] | None = None,
    after: Callable[[list[Any]], None] | None = None,
) -> Callable[..., Any]:
    """Wrap ``callback`` to call ``before(response)`` first and ``after(output)`` last.

    The wrapper returns the callback's output as a list, so that checks and the next
    wrapper see the same objects; it is ``async def`` exactly when the callback is.
    """
    if _is_async(callback):

        @wraps(callback)
        async def hooked_async(response: Any, **cb_kwargs: Any) -> list[Any]:
            if before is not None:
                before(response)
            output = await _as_list_async(callback(response, **cb_kwargs))
            if after is not None:
                after(output)
            return output

        return hooked_async

    @wraps(callback)
    def hooked(response: Any, **cb_kwargs: Any) -> list[Any]:
        if before is not None:
            before(response)
        output = _as_list(callback(response, **cb_kwargs))
        if after is not None:
            after(output)
        return output

    return hooked


class Contract:
    """One ``@name args`` line of a callback's docstring.

    ``method`` is the (bound) callback, ``args`` the words after the name. Subclasses set
    ``name`` and may override :meth:`adjust_request_args` and define ``pre_process(response)``
    and/or ``post_process(output)``, which fail by raising AssertionError (ContractFail).
    """

    request_cls: type[Request] | None = None
    name: str

    def __init__(self, method: Callable[..., Any], *args: Any):
        self.testcase_pre = _create_testcase(method, f"@{self.name} pre-hook")
        self.testcase_post = _create_testcase(method, f"@{self.name} post-hook")
        self.args: tuple[Any, ...] = args

    def add_pre_hook(self, request: Request, results: TestResult) -> Request:
        """Make the request's callback run ``pre_process`` on the response first."""
        pre_process = getattr(self, "pre_process", None)
        if pre_process is not None:
            assert request.callback is not None
            testcase = self.testcase_pre

            def before(response: Any) -> None:
                _record_check(pre_process, response, testcase, results)

            request.callback = _hooked_callback(request.callback, before=before)
        return request

    def add_post_hook(self, request: Request, results: TestResult) -> Request:
        """Make the request's callback run ``post_process`` on its output, as a list."""
        post_process = getattr(self, "post_process", None)
        if post_process is not None:
            assert request.callback is not None
            testcase = self.testcase_post

            def after(output: list[Any]) -> None:
                _record_check(post_process, output, testcase, results)

            request.callback = _hooked_callback(request.callback, after=after)
        return request

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        """Return the keyword arguments of the sample request, changed or not.

        The request is built from ``request_cls`` (Request by default; when several
        contracts set it, the last one wins).
        """
        return args


class ContractsManager:
    """Finds the contracts of a spider's callbacks and turns them into sample requests."""

    contracts: dict[str, type[Contract]]

    def __init__(self, contracts: Iterable[type[Contract]]):
        self.contracts = {}
        for contract in contracts:
            if (
                contract.add_pre_hook is not Contract.add_pre_hook
                or contract.add_post_hook is not Contract.add_post_hook
            ):
                warnings.warn(
                    f"{contract.__module__}.{contract.__qualname__} overrides "
                    "Contract.add_pre_hook() or Contract.add_post_hook(), which is deprecated: "
                    "define pre_process() or post_process() instead. Contracts that override "
                    "those methods do not support asynchronous callbacks.",
                    ScrapyDeprecationWarning,
                    stacklevel=2,
                )
            self.contracts[contract.name] = contract

    def tested_methods_from_spidercls(self, spidercls: type[Spider]) -> list[str]:
        """Names of the callables of ``spidercls`` whose docstring has a contract line."""
        return [
            name
            for name, value in inspect.getmembers(spidercls)
            if callable(value) and value.__doc__ and _HAS_CONTRACT.search(value.__doc__)
        ]

    def extract_contracts(self, method: Callable[..., Any]) -> list[Contract]:
        """The contracts of ``method``'s docstring, in order; unknown names raise KeyError."""
        assert method.__doc__ is not None
        contracts: list[Contract] = []
        for raw_line in method.__doc__.splitlines():
            line = raw_line.strip()
            if not line.startswith("@"):
                continue
            match = _CONTRACT_LINE.match(line)
            if match is None:  # "@ some prose", not a contract
                continue
            name, rest = match.groups()
            contracts.append(self.contracts[name](method, *re.split(r"\s+", rest)))
        return contracts

    def from_spider(self, spider: Spider, results: TestResult) -> list[Request | None]:
        """A sample request per tested callback (None where one cannot be built).

        A callback whose contracts cannot even be read or applied is recorded as an error.
        """
        requests: list[Request | None] = []
        for name in self.tested_methods_from_spidercls(type(spider)):
            method = getattr(spider, name)
            try:
                requests.append(self.from_method(method, results))
            except Exception:
                results.addError(_create_testcase(method, "contract"), sys.exc_info())
        return requests

    def from_method(self, method: Callable[..., Any], results: TestResult) -> Request | None:
        """The sample request for ``method``, or None without contracts or a required argument (a URL)."""
        contracts = self.extract_contracts(method)
        if not contracts:
            return None
        request_cls: type[Request] = Request
        for contract in contracts:
            if contract.request_cls is not None:
                request_cls = contract.request_cls

        required, kwargs = get_spec(request_cls.__init__)
        # the same URL may be the sample of several callbacks: never drop it as a duplicate
        kwargs["dont_filter"] = True
        kwargs["callback"] = method
        for contract in contracts:
            kwargs = contract.adjust_request_args(kwargs)
        if not all(arg in kwargs for arg in required if arg != "self"):
            return None

        request = request_cls(**kwargs)
        # wrapped innermost-last, so the pre hooks run in docstring order
        for contract in reversed(contracts):
            request = contract.add_pre_hook(request, results)
        for contract in contracts:
            request = contract.add_post_hook(request, results)
        self._clean_req(request, method, results)
        return request

    def _clean_req(self, request: Request, method: Callable[..., Any], results: TestResult) -> None:
        """Make the request produce nothing, and record callback and errback errors."""
        callback = request.callback
        assert callback is not None

        def record_error(desc: str, exc_info: Any) -> None:
            results.addError(_create_testcase(method, desc), exc_info)

        if _is_async(callback):

            @wraps(callback)
            async def checked_async(response: Any, **cb_kwargs: Any) -> None:
                try:
                    await _as_list_async(callback(response, **cb_kwargs))
                except Exception:
                    record_error("callback", sys.exc_info())

            request.callback = checked_async
        else:

            @wraps(callback)
            def checked(response: Any, **cb_kwargs: Any) -> None:
                try:
                    _as_list(callback(response, **cb_kwargs))
                except Exception:
                    record_error("callback", sys.exc_info())

            request.callback = checked

        def errback(failure: Failure) -> None:
            record_error("errback", failure.exc_info())

        request.errback = errback


def _create_testcase(method: Callable[..., Any], desc: str) -> TestCase:
    """A TestCase that stands for one check of ``method``: ``[spider] method (desc)``."""
    spider_name = method.__self__.name  # type: ignore[attr-defined]
    label = f"[{spider_name}] {method.__name__} ({desc})"
    test_name = f"{spider_name}_{method.__name__}"

    class ContractTestCase(TestCase):
        def __str__(self) -> str:
            return label

    setattr(ContractTestCase, test_name, lambda self: None)
    return ContractTestCase(test_name)
