"""Helpers that keep renamed classes, paths and attributes working while telling users to move.

Everything here warns with ScrapyDeprecationWarning (or a category the caller picks), so
projects written for older Scrapy versions run and learn what to change.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any, overload

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.python import get_func_args_dict

__all__ = [
    "DEPRECATION_RULES",
    "argument_is_required",
    "attribute",
    "create_deprecated_class",
    "method_is_overridden",
    "update_classpath",
    "warn_on_deprecated_spider_attribute",
]

# (old prefix, new prefix) pairs that update_classpath rewrites, first match wins.
DEPRECATION_RULES: list[tuple[str, str]] = []


def attribute(obj: Any, oldattr: str, newattr: str, version: str = "0.12") -> None:
    """Warn that ``obj.oldattr`` is going away in favour of ``obj.newattr``."""
    name = type(obj).__name__
    warnings.warn(
        f"{name}.{oldattr} attribute is deprecated and will be no longer supported "
        f"in Scrapy {version}, use {name}.{newattr} attribute instead",
        ScrapyDeprecationWarning,
        stacklevel=3,
    )


def _class_path(cls: type, forced: str | None = None) -> str:
    return forced if forced is not None else f"{cls.__module__}.{cls.__name__}"


def create_deprecated_class(
    name: str,
    new_class: type,
    clsdict: dict[str, Any] | None = None,
    warn_category: type[Warning] = ScrapyDeprecationWarning,
    warn_once: bool = True,
    old_class_path: str | None = None,
    new_class_path: str | None = None,
    subclass_warn_message: str = "{cls} inherits from deprecated class {old}, please inherit from {new}.",
    instance_warn_message: str = "{cls} is deprecated, instantiate {new} instead.",
) -> type:
    """An alias of ``new_class`` under an old name that warns when used.

    Subclassing the alias or instantiating it warns; subclasses of the alias do not warn
    when instantiated. ``issubclass``/``isinstance`` against the alias also accept
    ``new_class`` and its subclasses, so checks written against the old name keep working.
    """
    base_meta: type = type(new_class)

    class DeprecatedClass(base_meta):
        # The first class this metaclass builds is the deprecated alias itself.
        deprecated_class: type | None = None
        warned_on_subclass: bool = False

        def __new__(meta, cls_name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            built = super().__new__(meta, cls_name, bases, namespace)
            if meta.deprecated_class is None:
                meta.deprecated_class = built
            return built

        def __init__(cls, cls_name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> None:
            meta = type(cls)
            alias = meta.deprecated_class
            if alias in bases and not (warn_once and meta.warned_on_subclass):
                meta.warned_on_subclass = True
                message = subclass_warn_message.format(
                    cls=_class_path(cls),
                    old=_class_path(alias, old_class_path),
                    new=_class_path(new_class, new_class_path),
                )
                if warn_once:
                    message += " (warning only on first subclass, there may be others)"
                warnings.warn(message, warn_category, stacklevel=2)
            super().__init__(cls_name, bases, namespace)

        def __instancecheck__(cls, instance: Any) -> bool:
            return cls.__subclasscheck__(type(instance)) or cls.__subclasscheck__(instance.__class__)

        def __subclasscheck__(cls, candidate: Any) -> bool:
            if cls is not DeprecatedClass.deprecated_class:
                # Subclasses of the alias are ordinary classes for these checks.
                return bool(super().__subclasscheck__(candidate))
            if not inspect.isclass(candidate):
                raise TypeError("issubclass() arg 1 must be a class")
            return any(ancestor is cls or ancestor is new_class for ancestor in getattr(candidate, "__mro__", ()))

        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            if cls is DeprecatedClass.deprecated_class:
                message = instance_warn_message.format(
                    cls=_class_path(cls, old_class_path),
                    new=_class_path(new_class, new_class_path),
                )
                warnings.warn(message, warn_category, stacklevel=2)
            return super().__call__(*args, **kwargs)

    alias = DeprecatedClass(name, (new_class,), dict(clsdict or {}))
    try:
        caller = inspect.stack(0)[1]
        module = inspect.getmodule(caller[0])
        if module is not None:
            alias.__module__ = module.__name__
    except Exception as error:
        # The module only improves the warning text; failing here would break an import.
        warnings.warn(f"Error detecting parent module: {error!r}", stacklevel=2)
    return alias


@overload
def update_classpath(path: str) -> str: ...


@overload
def update_classpath(path: Any) -> Any: ...


def update_classpath(path: Any) -> Any:
    """The current location of a class given by a deprecated import path (warning once per call)."""
    if not isinstance(path, str):
        return path
    for old_prefix, new_prefix in DEPRECATION_RULES:
        if path.startswith(old_prefix):
            new_path = new_prefix + path[len(old_prefix):]
            warnings.warn(
                f"`{path}` class is deprecated, use `{new_path}` instead",
                ScrapyDeprecationWarning,
                stacklevel=2,
            )
            return new_path
    return path


def method_is_overridden(subclass: type, base_class: type, method_name: str) -> bool:
    """True when ``subclass`` (or a class between it and ``base_class``) redefines the method."""
    inherited = getattr(base_class, method_name)
    current = getattr(subclass, method_name)
    return current.__code__ is not inherited.__code__


def argument_is_required(func: Callable[..., Any], arg_name: str) -> bool:
    """True when ``func`` takes ``arg_name`` and it has no default value."""
    parameter = get_func_args_dict(func).get(arg_name)
    return parameter is not None and parameter.default is inspect.Parameter.empty


def warn_on_deprecated_spider_attribute(attribute_name: str, setting_name: str) -> None:
    """Warn that a spider attribute now has to be given as a setting."""
    warnings.warn(
        f"The '{attribute_name}' spider attribute is deprecated. "
        "Use Spider.custom_settings or Spider.update_settings() instead. "
        f"The corresponding setting name is '{setting_name}'.",
        category=ScrapyDeprecationWarning,
        stacklevel=2,
    )


def warn_spider_arg(method_qualname: str, stacklevel: int = 3) -> None:
    """Warn that a caller still passes ``spider`` to a method that no longer needs it
    (the text projects filter on; ``stacklevel`` 3 points at the method's caller)."""
    warnings.warn(
        f"Passing a 'spider' argument to {method_qualname}() is deprecated and "
        "the argument will be removed in a future Scrapy version.",
        category=ScrapyDeprecationWarning,
        stacklevel=stacklevel,
    )
