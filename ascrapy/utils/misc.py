"""Loading objects by path and building components the way Scrapy does."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import os
import pkgutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.item import Item

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def load_object(path: str | Any) -> Any:
    """Return the object at dotted ``path``; non-strings (classes, functions) pass through."""
    if not isinstance(path, str):
        if callable(path):
            return path
        raise TypeError(f"Unexpected argument type, expected string or object, got: {type(path)}")
    if path.startswith("scrapy_redis."):  # a scrapy-redis project's settings (ascrapy.redis.plugin)
        from ascrapy.redis.plugin import substitute

        path = substitute(path, caller=sys._getframe(1).f_globals.get("__name__", ""))
    module_name, _, name = path.rpartition(".")
    if not module_name:
        raise ValueError(f"Error loading object '{path}': not a full path")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, name)
    except AttributeError:
        raise NameError(f"Module '{module_name}' doesn't define any object named '{name}'") from None


def lazy_attributes(
    package: str, submodules: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's module ``__getattr__`` and ``__dir__`` for names that live in its
    submodules (``submodules``: name -> submodule): each is imported on first access and
    kept in the package's ``namespace``, so a crawl loads only the submodules it uses.

        __getattr__, __dir__ = lazy_attributes(__name__, _LAZY_SUBMODULES, globals())
    """

    def __getattr__(name: str) -> Any:
        submodule = submodules.get(name)
        if submodule is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(importlib.import_module(f"{package}.{submodule}"), name)
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *submodules})

    return __getattr__, __dir__


class LazyObjects(Mapping[str, Any]):
    """A mapping of names to objects given by import path, each imported on first access
    (FEED_EXPORTERS: a crawl that writes one format loads one exporter)."""

    def __init__(self, paths: Mapping[str, Any]) -> None:
        self._paths = dict(paths)
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self._loaded:
            return self._loaded[key]
        obj = self._loaded[key] = load_object(self._paths[key])
        return obj

    def __contains__(self, key: object) -> bool:
        return key in self._paths  # Mapping's own would load the object to find out

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._paths!r})"


def walk_modules_iter(path: str) -> Iterator[ModuleType]:
    """Import the module at ``path`` and every module below it, one at a time, in order.

    Nothing is imported before the first ``next()``; an import error surfaces there.
    """
    module = importlib.import_module(path)
    yield module
    if hasattr(module, "__path__"):
        for info in pkgutil.iter_modules(module.__path__):
            full = f"{path}.{info.name}"
            if info.ispkg:
                yield from walk_modules_iter(full)
            else:
                yield importlib.import_module(full)


def walk_modules(path: str) -> list[ModuleType]:
    """Import the module at ``path`` and every module below it, in order (deprecated, as in
    Scrapy 2.19: walk_modules_iter imports them one at a time)."""
    warnings.warn(
        "The scrapy.utils.misc.walk_modules function is deprecated and will be removed in a "
        "future version of Scrapy. Use scrapy.utils.misc.walk_modules_iter instead.",
        ScrapyDeprecationWarning,
        stacklevel=2,
    )
    return list(walk_modules_iter(path))


def arg_to_iter(arg: Any) -> Iterable[Any]:
    """Turn None, a single value or an iterable into an iterable (dicts, Items and strings
    are single values, though they can be iterated)."""
    if arg is None:
        return []
    if not isinstance(arg, (dict, Item, str, bytes)) and hasattr(arg, "__iter__"):
        return arg
    return [arg]


def rel_has_nofollow(rel: str | None) -> bool:
    """True when a link's rel attribute includes nofollow."""
    return rel is not None and "nofollow" in rel.lower().replace(",", " ").split()


class SupportsFromCrawler(Protocol[T_co]):
    """A class that builds its instances from a crawler (what build_from_crawler calls)."""

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol, /, *args: Any, **kwargs: Any) -> T_co: ...


def build_from_crawler(objcls: type[T], crawler: CrawlerProtocol, /, *args: Any, **kwargs: Any) -> T:
    """Build ``objcls`` through from_crawler, then from_settings, then its constructor."""
    if hasattr(objcls, "from_crawler"):
        return _checked(objcls, "from_crawler", objcls.from_crawler(crawler, *args, **kwargs))  # type: ignore[attr-defined]  # hasattr above
    return build_from_settings(objcls, crawler.settings, *args, **kwargs)


def build_from_settings(objcls: type[T], settings: Any, /, *args: Any, **kwargs: Any) -> T:
    """Build ``objcls`` through from_settings or its constructor (no crawler at hand)."""
    if hasattr(objcls, "from_settings"):
        return _checked(objcls, "from_settings", objcls.from_settings(settings, *args, **kwargs))  # type: ignore[attr-defined]  # hasattr above
    return _checked(objcls, "__new__", objcls(*args, **kwargs))


def _checked(objcls: type[Any], method: str, instance: Any) -> Any:
    """A factory that returns None is a bug in the component: say which one."""
    if instance is None:
        raise TypeError(f"{objcls.__qualname__}.{method} returned None")
    return instance


def is_generator_with_return_value(callable_: Any) -> bool:
    """True when a generator function has a ``return value`` (its value would be lost).

    Only the function's own body counts: a ``return value`` inside a function defined in
    it (a helper, a key function) returns from that function and is fine, as in Scrapy.
    """
    while isinstance(callable_, partial):
        callable_ = callable_.func
    if not inspect.isgeneratorfunction(callable_):
        return False
    try:
        source = inspect.getsource(callable_)
    except (OSError, TypeError):
        return False
    tree = _parse_function_source(source)
    if tree is None:
        return False
    return any(
        isinstance(node, ast.Return) and not _returns_none(node) for node in _own_body_nodes(tree)
    )


def warn_on_generator_with_return_value(spider: Any, callable: Callable[..., Any]) -> None:  # noqa: A002
    """Warn (UserWarning) that a callback's ``return value`` is lost, since it is a generator.

    Off with the WARN_ON_GENERATOR_RETURN_VALUE setting. A callback whose source cannot
    be parsed gets a warning of its own instead: the check could not be made.
    """
    if not spider.settings.getbool("WARN_ON_GENERATOR_RETURN_VALUE"):
        return
    name = f"{type(spider).__name__}.{getattr(callable, '__name__', callable)}"
    try:
        returns_value = is_generator_with_return_value(callable)
    except IndentationError:
        warnings.warn(
            f'Unable to determine whether or not "{name}" is a generator with a return value. '
            "It will work all the same; only this check of its source could not be made.",
            stacklevel=2,
        )
        return
    if returns_value:
        warnings.warn(
            f'The "{name}" method is a generator and includes a "return" statement with a value '
            "different than None. The returned value is lost: yield it instead "
            "(see https://docs.python.org/3/reference/simple_stmts.html#the-return-statement).",
            stacklevel=2,
        )


def _parse_function_source(source: str) -> ast.AST | None:
    """The syntax tree of a function's source, however indented.

    Dedenting fails when a multi-line string in the body starts its lines left of the
    ``def``; the source then parses as the body of an ``if`` block, which any indentation
    of its first line opens.
    """
    for text in (textwrap.dedent(source), "if True:\n" + source):
        try:
            return ast.parse(text)
        except SyntaxError:
            continue
    return None


def _own_body_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes of the first function in ``tree``, without those of functions (or classes)
    defined inside it."""
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    outer = next((node for node in ast.walk(tree) if isinstance(node, nested[:2])), None)
    if outer is None:
        return
    todo = list(ast.iter_child_nodes(outer))
    while todo:
        node = todo.pop()
        if isinstance(node, nested):
            continue
        yield node
        todo.extend(ast.iter_child_nodes(node))


def _returns_none(node: ast.Return) -> bool:
    value = node.value
    return value is None or (isinstance(value, ast.Constant) and value.value is None)


@contextmanager
def set_environ(**kwargs: str) -> Iterator[None]:
    """Set environment variables for the duration of a ``with`` block, then restore them."""
    original = {name: os.environ.get(name) for name in kwargs}
    os.environ.update(kwargs)
    try:
        yield
    finally:
        for name, value in original.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def create_instance(objcls: type[T], settings: Any, crawler: CrawlerProtocol, *args: Any, **kwargs: Any) -> T:
    """Deprecated in Scrapy: build through from_crawler, from_settings or the constructor."""
    warnings.warn(
        "The create_instance() function is deprecated. Please use build_from_crawler() instead.",
        ScrapyDeprecationWarning,
        stacklevel=2,
    )
    if settings is None:
        if crawler is None:
            raise ValueError("Specify at least one of settings and crawler.")
        settings = crawler.settings
    if crawler is not None and hasattr(objcls, "from_crawler"):
        return build_from_crawler(objcls, crawler, *args, **kwargs)
    return build_from_settings(objcls, settings, *args, **kwargs)
