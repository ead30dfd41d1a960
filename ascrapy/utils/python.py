"""Small language helpers Scrapy code and user projects import from ``scrapy.utils.python``."""

from __future__ import annotations

import gc
import inspect
import re
import warnings
import weakref
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from functools import partial, wraps
from itertools import chain
from typing import Any, TypeVar

from ascrapy.exceptions import ScrapyDeprecationWarning

T = TypeVar("T")

__all__ = [
    "MutableAsyncChain",
    "MutableChain",
    "WeakKeyCache",
    "binary_is_text",
    "equal_attributes",
    "flatten",
    "garbage_collect",
    "get_func_args",
    "get_func_args_dict",
    "get_spec",
    "global_object_name",
    "iflatten",
    "is_listlike",
    "memoizemethod_noargs",
    "re_rsearch",
    "to_bytes",
    "to_unicode",
    "unique",
    "without_none_values",
]


def to_unicode(text: str | bytes, encoding: str | None = None, errors: str = "strict") -> str:
    """Decode ``text`` (UTF-8 unless told otherwise); a str passes through untouched."""
    if isinstance(text, str):
        return text
    if not isinstance(text, bytes):
        raise TypeError(f"to_unicode must receive a bytes or str object, got {type(text).__name__}")
    return text.decode(encoding or "utf-8", errors)


def to_bytes(text: str | bytes, encoding: str | None = None, errors: str = "strict") -> bytes:
    """Encode ``text`` (UTF-8 unless told otherwise); bytes pass through untouched."""
    if isinstance(text, bytes):
        return text
    if not isinstance(text, str):
        raise TypeError(f"to_bytes must receive a str or bytes object, got {type(text).__name__}")
    return text.encode(encoding or "utf-8", errors)


def is_listlike(x: Any) -> bool:
    """True for iterables that are not strings: lists, tuples, sets, dicts, generators."""
    return hasattr(x, "__iter__") and not isinstance(x, (str, bytes))


def unique(list_: Iterable[T], key: Callable[[T], Any] = lambda x: x) -> list[T]:
    """Drop repeated items (by ``key``), keeping the first of each, in order."""
    seen: set[Any] = set()
    kept: list[T] = []
    for item in list_:
        marker = key(item)
        if marker not in seen:
            seen.add(marker)
            kept.append(item)
    return kept


def flatten(x: Iterable[Any]) -> list[Any]:
    """Flatten nested iterables (strings stay whole) into one list."""
    return list(iflatten(x))


def iflatten(x: Iterable[Any]) -> Iterator[Any]:
    """Lazy :func:`flatten`."""
    for element in x:
        if is_listlike(element):
            yield from iflatten(element)
        else:
            yield element


def _chunks_from_end(text: str, chunk_size: int) -> Iterator[tuple[str, int]]:
    """Ever longer tail slices of ``text``, each with its offset, ending with the whole text."""
    step = chunk_size * 1024
    offset = len(text) - step
    while offset > 0:
        yield text[offset:], offset
        offset -= step
    yield text, 0


def re_rsearch(pattern: str | re.Pattern[str], text: str, chunk_size: int = 1024) -> tuple[int, int] | None:
    """Span of the last match of ``pattern`` in ``text``, searched from the end in chunks."""
    warnings.warn(
        "re_rsearch() is deprecated and will be removed in a future Scrapy version.",
        category=ScrapyDeprecationWarning,
        stacklevel=2,
    )
    compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
    for chunk, offset in _chunks_from_end(text, chunk_size):
        matches = list(compiled.finditer(chunk))
        if matches:
            start, end = matches[-1].span()
            return offset + start, offset + end
    return None


def memoizemethod_noargs(method: Callable[..., T]) -> Callable[..., T]:
    """Cache a no-argument method's result per instance, without keeping the instance alive."""
    results: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()

    @wraps(method)
    def cached(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return results[self]
        except KeyError:
            value = results[self] = method(self, *args, **kwargs)
            return value

    return cached


# Control characters that do not appear in text (NUL, tab, LF and CR do).
_BINARY_BYTES = frozenset(set(range(32)) - {0, 9, 10, 13})
_BINARY_BYTES_TABLE = bytes(_BINARY_BYTES)


def binary_is_text(data: bytes) -> bool:
    """True if ``data`` holds no control characters other than NUL, tab, LF and CR."""
    if not isinstance(data, bytes):
        raise TypeError(f"data must be bytes, got '{type(data).__name__}'")
    # translate() deleting the binary bytes keeps the length only if none were there.
    return len(data.translate(None, _BINARY_BYTES_TABLE)) == len(data)


def get_func_args_dict(func: Callable[..., Any], stripself: bool = False) -> Mapping[str, inspect.Parameter]:
    """Parameters of a callable by name; keywords bound by a partial are left out."""
    if not callable(func):
        raise TypeError(f"func must be callable, got '{type(func).__name__}'")
    try:
        signature = inspect.signature(func)
    except ValueError:
        return {}
    params: Mapping[str, inspect.Parameter] = signature.parameters
    if isinstance(func, partial) and func.keywords:
        params = {n: p for n, p in params.items() if n not in func.keywords}
    if stripself and "self" in params:
        params = {n: p for n, p in params.items() if n != "self"}
    return params


def get_func_args(func: Callable[..., Any], stripself: bool = False) -> list[str]:
    """Names of the parameters of a callable."""
    return list(get_func_args_dict(func, stripself=stripself))


def get_spec(func: Callable[..., Any]) -> tuple[list[str], dict[str, Any]]:
    """(positional names without default, {name: default}) of a function or callable object."""
    if inspect.isfunction(func) or inspect.ismethod(func):
        spec = inspect.getfullargspec(func)
    elif hasattr(func, "__call__"):  # noqa: B004
        spec = inspect.getfullargspec(func.__call__)
    else:
        raise TypeError(f"{type(func)} is not callable")
    defaults = spec.defaults or ()
    split = len(spec.args) - len(defaults)
    return spec.args[:split], dict(zip(spec.args[split:], defaults, strict=True))


def without_none_values(iterable: Mapping[Any, Any] | Iterable[Any]) -> Any:
    """A copy without the ``None`` values (mappings: without the pairs whose value is None)."""
    if isinstance(iterable, Mapping):
        return {k: v for k, v in iterable.items() if v is not None}
    return type(iterable)(v for v in iterable if v is not None)  # type: ignore[call-arg]


def global_object_name(obj: Any) -> str:
    """``module.QualifiedName`` of a class or function."""
    return f"{obj.__module__}.{obj.__qualname__}"


def equal_attributes(obj1: Any, obj2: Any, attributes: Iterable[str | Callable[[Any], Any]] | None) -> bool:
    """Compare two objects by the listed attribute names or key functions."""
    if not attributes:
        return False
    for attr in attributes:
        if callable(attr):
            if attr(obj1) != attr(obj2):
                return False
        elif getattr(obj1, attr, None) != getattr(obj2, attr, None):
            return False
    return True


class WeakKeyCache:
    """Compute ``default_factory(key)`` once per live key."""

    def __init__(self, default_factory: Callable[[Any], Any]):
        warnings.warn("The WeakKeyCache class is deprecated", category=ScrapyDeprecationWarning, stacklevel=2)
        self.default_factory = default_factory
        self._weakdict: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()

    def __getitem__(self, key: Any) -> Any:
        if key not in self._weakdict:
            self._weakdict[key] = self.default_factory(key)
        return self._weakdict[key]


def garbage_collect() -> None:
    """Run a full collection, so weak references to dead objects are gone."""
    gc.collect()


class MutableChain(Iterator[T]):
    """An iterator over several iterables that can be extended while being consumed."""

    def __init__(self, *args: Iterable[T]):
        warnings.warn(
            "MutableChain is deprecated and will be removed in a future Scrapy version.",
            category=ScrapyDeprecationWarning,
            stacklevel=2,
        )
        self.data: Iterator[T] = chain.from_iterable(args)

    def extend(self, *iterables: Iterable[T]) -> None:
        self.data = chain(self.data, chain.from_iterable(iterables))

    def __iter__(self) -> MutableChain[T]:
        return self

    def __next__(self) -> T:
        return next(self.data)


async def _chain_async(*iterables: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    for iterable in iterables:
        if isinstance(iterable, AsyncIterable):
            async for value in iterable:
                yield value
        else:
            for value in iterable:
                yield value


class MutableAsyncChain(AsyncIterator[T]):
    """An async iterator over sync or async iterables that can be extended while consumed."""

    def __init__(self, *args: Iterable[T] | AsyncIterable[T]):
        self.data: AsyncIterator[T] = _chain_async(*args)

    def extend(self, *iterables: Iterable[T] | AsyncIterable[T]) -> None:
        self.data = _chain_async(self.data, _chain_async(*iterables))

    def __aiter__(self) -> MutableAsyncChain[T]:
        return self

    async def __anext__(self) -> T:
        return await anext(self.data)


_IMPORT_PATH_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def _looks_like_import_path(value: str) -> bool:
    """True for dotted Python names such as ``package.module.Name``."""
    return bool(value) and value.isascii() and _IMPORT_PATH_RE.fullmatch(value) is not None
