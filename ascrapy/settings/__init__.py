"""Settings with per-key priorities, Scrapy's API.

A value set at a lower priority never replaces one set at a higher priority, so the
defaults, the project, add-ons, the spider and the command line can each write their
layer in any order.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from importlib import import_module
from pprint import pformat
from types import ModuleType
from typing import Any, TypeVar

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.settings import defaults as default_settings
from ascrapy.settings._components import ComponentPriorityDictMixin, merged_components

__all__ = [
    "SETTINGS_PRIORITIES",
    "BaseSettings",
    "Settings",
    "SettingsAttribute",
    "default_settings",
    "get_settings_priority",
    "iter_default_settings",
    "overridden_settings",
]

SelfT = TypeVar("SelfT", bound="BaseSettings")

SETTINGS_PRIORITIES: dict[str, int] = {
    "default": 0,
    "command": 10,
    "addon": 15,
    "project": 20,
    "spider": 30,
    "cmdline": 40,
}

# Reading these warns, as in Scrapy; a frozenset check keeps get() cheap for all others.
_DEPRECATED_READS = frozenset({"CONCURRENT_REQUESTS_PER_IP", "DNS_RESOLVER"})

_MISSING: Any = object()


def get_settings_priority(priority: int | str) -> int:
    """The number for a priority name ('project', ...); numbers pass through."""
    if isinstance(priority, str):
        return SETTINGS_PRIORITIES[priority]
    return priority


class SettingsAttribute:
    """One setting's value and the priority it was set with."""

    def __init__(self, value: Any, priority: int):
        self.value: Any = value
        self.priority: int
        if isinstance(value, BaseSettings):
            self.priority = max(value.maxpriority(), priority)
        else:
            self.priority = priority

    def set(self, value: Any, priority: int) -> None:
        """Replace the value unless the current one has a higher priority."""
        if priority < self.priority:
            return
        if isinstance(self.value, BaseSettings):
            # A nested settings object stays one, so its keys keep per-key priorities.
            value = BaseSettings(value, priority=priority)
        self.value = value
        self.priority = priority

    def __repr__(self) -> str:
        return f"<SettingsAttribute value={self.value!r} priority={self.priority}>"


class BaseSettings(ComponentPriorityDictMixin, MutableMapping[str, Any]):
    """A mapping whose keys carry priorities and which can be frozen.

    ``values`` are stored at ``priority``, except when ``values`` is itself a
    BaseSettings, whose own per-key priorities are kept.
    """

    def __init__(self, values: Any = None, priority: int | str = "project"):
        self.frozen: bool = False
        self.attributes: dict[str, SettingsAttribute] = {}
        if values:
            self.update(values, priority)

    # -- reading ---------------------------------------------------------------------

    def __getitem__(self, opt_name: str) -> Any:
        attribute = self.attributes.get(opt_name)
        return None if attribute is None else attribute.value

    def __contains__(self, name: Any) -> bool:
        return name in self.attributes

    def __iter__(self) -> Iterator[str]:
        return iter(self.attributes)

    def __len__(self) -> int:
        return len(self.attributes)

    def get(self, name: str, default: Any = None) -> Any:
        """The value as stored, or ``default`` when missing or None."""
        if name in _DEPRECATED_READS:
            self._warn_deprecated_read(name)
        attribute = self.attributes.get(name)
        if attribute is None:
            return default
        value = attribute.value
        return default if value is None else value

    def _warn_deprecated_read(self, name: str) -> None:
        if name == "DNS_RESOLVER":
            message = "The DNS_RESOLVER setting is deprecated, please use TWISTED_DNS_RESOLVER instead."
        else:
            value = self[name]
            if not isinstance(value, int) or value == 0:
                return
            message = (
                "The CONCURRENT_REQUESTS_PER_IP setting is deprecated, use "
                "CONCURRENT_REQUESTS_PER_DOMAIN instead."
            )
        warnings.warn(message, ScrapyDeprecationWarning, stacklevel=3)

    def getbool(self, name: str, default: bool = False) -> bool:
        """True for 1, '1', True, 'True', 'true'; False for 0, '0', False, 'False', 'false'."""
        value = self.get(name, default)
        try:
            return bool(int(value))
        except ValueError:
            if value in ("True", "true"):
                return True
            if value in ("False", "false"):
                return False
            raise ValueError(
                "Supported values for boolean settings are 0/1, True/False, '0'/'1', "
                "'True'/'False' and 'true'/'false'"
            ) from None

    def getint(self, name: str, default: int = 0) -> int:
        return int(self.get(name, default))

    def getfloat(self, name: str, default: float = 0.0) -> float:
        return float(self.get(name, default))

    def getlist(self, name: str, default: list[Any] | None = None) -> list[Any]:
        """A new list; a string is split on commas (environment and -s values)."""
        value = self.get(name, default or [])
        if not value:
            return []
        if isinstance(value, str):
            return value.split(",")
        return list(value)

    def getdict(self, name: str, default: dict[Any, Any] | None = None) -> dict[Any, Any]:
        """A new dict; a string is read as JSON, a nested BaseSettings loses its priorities."""
        value = self.get(name, default or {})
        if isinstance(value, str):
            value = json.loads(value)
        return dict(value)

    def getdictorlist(
        self, name: str, default: dict[Any, Any] | list[Any] | tuple[Any] | None = None
    ) -> dict[Any, Any] | list[Any]:
        """A copy as dict or list; a string is JSON (dict or list) or else split on commas."""
        value = self.get(name, default)
        if value is None:
            return {}
        if isinstance(value, str):
            try:
                loaded = json.loads(value)
            except ValueError:
                return value.split(",")
            if isinstance(loaded, (dict, list)):
                return loaded
            return value.split(",")
        if isinstance(value, tuple):
            return list(value)
        if not isinstance(value, (dict, list)):
            raise ValueError(
                f"Setting '{name}' must be a dict, list, tuple, or string, "
                f"got {type(value).__name__}: {value!r}"
            )
        return copy.deepcopy(value)

    def get_component_priority_dict_with_base(self, name: str) -> BaseSettings:
        """``NAME_BASE`` overridden by ``NAME``, spellings of one component merged (each
        keeps the spelling it was last given); None values are dropped."""
        if not isinstance(name, str):
            raise ValueError(f"Base setting key must be a string, got {name}")
        return BaseSettings(merged_components(self[name + "_BASE"], self[name], name))

    def getwithbase(self, name: str) -> BaseSettings:
        """``NAME_BASE`` updated with ``NAME``, each key keeping its priority."""
        if not isinstance(name, str):
            raise ValueError(f"Base setting key must be a string, got {name}")
        merged = BaseSettings()
        merged.update(self[name + "_BASE"])
        merged.update(self[name])
        return merged

    def getpriority(self, name: str) -> int | None:
        attribute = self.attributes.get(name)
        return None if attribute is None else attribute.priority

    def maxpriority(self) -> int:
        """The highest priority of any key, or 'default' when empty."""
        if self.attributes:
            return max(attribute.priority for attribute in self.attributes.values())
        return get_settings_priority("default")

    # -- writing ---------------------------------------------------------------------

    def __setitem__(self, name: str, value: Any) -> None:
        self.set(name, value)

    def set(self, name: str, value: Any, priority: int | str = "project") -> None:
        """Store ``value`` unless the key already holds a higher-priority value."""
        self._assert_mutability()
        priority = get_settings_priority(priority)
        attribute = self.attributes.get(name)
        if attribute is not None:
            attribute.set(value, priority)
        elif isinstance(value, SettingsAttribute):
            self.attributes[name] = value
        else:
            self.attributes[name] = SettingsAttribute(value, priority)

    def setdefault(
        self, name: str, default: Any = None, priority: int | str = "project"
    ) -> Any:
        attribute = self.attributes.get(name)
        if attribute is None:
            self.set(name, default, priority)
            return default
        return attribute.value

    def setdict(self, values: Any, priority: int | str = "project") -> None:
        self.update(values, priority)

    def setmodule(self, module: ModuleType | str, priority: int | str = "project") -> None:
        """Store every upper-case global of ``module`` (a module or its dotted path)."""
        self._assert_mutability()
        if isinstance(module, str):
            module = import_module(module)
        for key in dir(module):
            if key.isupper():
                self.set(key, getattr(module, key), priority)

    def update(self, values: Any, priority: int | str = "project") -> None:  # type: ignore[override]
        """Store a mapping, pairs or a JSON object string; a BaseSettings keeps its priorities."""
        self._assert_mutability()
        if isinstance(values, str):
            values = json.loads(values)
        if values is None:
            return
        if isinstance(values, BaseSettings):
            for name, attribute in list(values.attributes.items()):
                self.set(name, attribute.value, attribute.priority)
            return
        pairs = values.items() if hasattr(values, "items") else values
        for name, value in pairs:
            self.set(name, value, priority)

    def delete(self, name: str, priority: int | str = "project") -> None:
        """Remove the key unless it holds a higher-priority value."""
        if name not in self.attributes:
            raise KeyError(name)
        self._assert_mutability()
        if get_settings_priority(priority) >= self.attributes[name].priority:
            del self.attributes[name]

    def __delitem__(self, name: str) -> None:
        self._assert_mutability()
        del self.attributes[name]

    def pop(self, name: str, default: Any = _MISSING) -> Any:
        attribute = self.attributes.get(name)
        if attribute is None:
            if default is _MISSING:
                raise KeyError(name)
            return default
        del self[name]
        return attribute.value

    def add_to_list(self, name: str, item: Any) -> None:
        """Append ``item`` to a list setting if absent, keeping the setting's priority."""
        value = self.getlist(name)
        if item not in value:
            self.set(name, [*value, item], self.getpriority(name) or 0)

    def remove_from_list(self, name: str, item: Any) -> None:
        """Remove ``item`` from a list setting (ValueError if absent), keeping its priority."""
        value = self.getlist(name)
        if item not in value:
            raise ValueError(f"{item!r} not found in the {name} setting ({value!r}).")
        self.set(name, [v for v in value if v != item], self.getpriority(name) or 0)

    # -- copies and freezing ---------------------------------------------------------

    def _assert_mutability(self) -> None:
        if self.frozen:
            raise TypeError("Trying to modify an immutable Settings object")

    def copy(self: SelfT) -> SelfT:
        """A deep copy: later changes to either side do not show in the other."""
        return copy.deepcopy(self)

    def freeze(self) -> None:
        self.frozen = True

    def frozencopy(self: SelfT) -> SelfT:
        frozen = self.copy()
        frozen.freeze()
        return frozen

    def _to_dict(self) -> dict[str, Any]:
        return {
            str(key): value._to_dict() if isinstance(value, BaseSettings) else value
            for key, value in self.items()
        }

    def copy_to_dict(self) -> dict[str, Any]:
        """A plain nested dict copy of the values, without priorities (for printing)."""
        return self.copy()._to_dict()

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        """IPython's pretty printer hook (the shell's ``settings``)."""
        if cycle:
            p.text(repr(self))
        else:
            p.text(pformat(self.copy_to_dict()))


class Settings(BaseSettings):
    """BaseSettings that start from every default at priority 'default'.

    Default dict settings become BaseSettings, so that each of their keys has a priority
    of its own (setting the whole dict still replaces it, keeping it a BaseSettings).
    """

    def __init__(self, values: Any = None, priority: int | str = "project"):
        super().__init__()
        self.setmodule(default_settings, "default")
        for name, attribute in list(self.attributes.items()):
            if isinstance(attribute.value, dict):
                self.set(name, BaseSettings(attribute.value, "default"), "default")
        self.update(values, priority)


def iter_default_settings() -> Iterable[tuple[str, Any]]:
    """(name, value) of every default setting."""
    for name in dir(default_settings):
        if name.isupper():
            yield name, getattr(default_settings, name)


def overridden_settings(settings: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """(name, value) of the non-dict settings whose value differs from the default."""
    for name, default_value in iter_default_settings():
        value = settings[name]
        if not isinstance(default_value, dict) and value != default_value:
            yield name, value
