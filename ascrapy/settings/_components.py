"""Component priority dicts ({class or import path: order}) inside settings.

One component can be written several ways: as its class, as the path where it is
defined, or as a path that re-exports it (``scrapy.downloadermiddlewares.retry.X`` from
the compat package names ascrapy's own class). These helpers treat all the spellings of
one object as one key.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from ascrapy.utils.misc import load_object

logger = logging.getLogger("scrapy.settings")

# What a key that does not name an importable object raises from load_object.
_UNLOADABLE = (ImportError, NameError, TypeError, ValueError, AttributeError)


def object_path(obj: Any) -> Any:
    """``module.QualifiedName`` where ``obj`` is defined; ``obj`` itself if it has none."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if module is None or qualname is None:
        return obj
    return f"{module}.{qualname}"


def component_identity(key: Any) -> Any:
    """The same value for every spelling of one component; ``key`` if it does not load."""
    try:
        loaded = load_object(key)
    except _UNLOADABLE:
        return key
    try:
        hash(loaded)
    except TypeError:
        return object_path(loaded)
    return loaded  # the object itself: two classes may share a qualified name


def merged_components(base: Mapping[Any, Any] | None, overrides: Mapping[Any, Any] | None, name: str) -> dict[Any, Any]:
    """``base`` overridden by ``overrides``, spellings of one component merged: each
    component keeps the spelling it was last given; None values are dropped."""
    merged: dict[Any, tuple[Any, Any]] = {  # identity -> (the spelling last given, its order)
        component_identity(key): (key, value) for key, value in (base or {}).items()
    }
    seen: set[Any] = set()
    for key, value in (overrides or {}).items():
        identity = component_identity(key)
        if identity in seen:
            logger.warning(
                f"Setting {name} contains multiple keys that refer to the same object: "
                f"{identity}. Only the last one will be kept."
            )
        seen.add(identity)
        merged[identity] = (key, value)
    return {key: value for key, value in merged.values() if value is not None}


class _ComponentSettings(Protocol):
    """What the mixin below uses of the BaseSettings it is mixed into."""

    def getdict(self, name: str, default: dict[Any, Any] | None = None) -> dict[Any, Any]: ...

    def getpriority(self, name: str) -> int | None: ...

    def set(self, name: str, value: Any, priority: int | str = "project") -> None: ...


class ComponentPriorityDictMixin:
    """BaseSettings methods for component priority dict settings."""

    def replace_in_component_priority_dict(
        self: _ComponentSettings, name: str, old_cls: type, new_cls: type, priority: int | None = None
    ) -> None:
        """Put ``new_cls`` where ``old_cls`` was (KeyError if absent or disabled).

        Every spelling of ``old_cls`` goes; ``new_cls`` takes ``priority`` or the old
        order. The setting's own priority does not change.
        """
        components = self.getdict(name)
        old_order = None
        for key in tuple(components):
            if load_object(key) != old_cls:
                continue
            old_order = components.pop(key)
            if old_order is None:
                break
        if old_order is None:
            raise KeyError(f"{old_cls} not found in the {name} setting ({components!r}).")
        components[new_cls] = old_order if priority is None else priority
        self.set(name, components, priority=self.getpriority(name) or 0)

    def set_in_component_priority_dict(
        self: _ComponentSettings, name: str, cls: type, priority: int | None
    ) -> None:
        """Set ``cls`` to ``priority``, dropping import-path spellings of it."""
        components = self.getdict(name)
        for key in tuple(components):
            if isinstance(key, str) and load_object(key) == cls:
                del components[key]
        components[cls] = priority
        self.set(name, components, self.getpriority(name) or 0)

    def setdefault_in_component_priority_dict(
        self: _ComponentSettings, name: str, cls: type, priority: int | None
    ) -> None:
        """Set ``cls`` to ``priority`` unless it is already there in any spelling."""
        components = self.getdict(name)
        for key in components:
            if load_object(key) == cls:
                return
        components[cls] = priority
        self.set(name, components, self.getpriority(name) or 0)
