"""Item and Field: dict-like records whose keys are declared up front.

Declaring fields catches typos (an undeclared key raises KeyError) and gives each
field a place for metadata such as exporters' ``serializer`` or loaders' processors.
"""

from __future__ import annotations

import importlib.util
from abc import ABCMeta
from collections.abc import Iterator, KeysView, MutableMapping
from copy import deepcopy
from pprint import pformat
from typing import Any, NoReturn, TypeVar

__all__ = ["Field", "Item", "ItemMeta"]

ItemT = TypeVar("ItemT", bound="Item")


class Field(dict[str, Any]):
    """The metadata of one declared field (any keys; the field's value lives in the item)."""


def _declared_field_names(cls: type) -> list[str]:
    """Field attribute names of ``cls``: base classes first, each class in source order.

    A field redeclared in a subclass stays where it was first declared.
    """
    names: dict[str, None] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Field):
                names.setdefault(name, None)
    return list(names)


class ItemMeta(ABCMeta):
    """Collects Field attributes into the class's ``fields`` dict.

    The fields are gathered on a hidden twin class (``x_<Name>``, kept as ``_class``)
    built only from the twins of the Item bases, so that multiple inheritance resolves
    fields by the usual method order while plain mixins contribute no fields. The real
    class then gets ``fields`` and no Field attributes.
    """

    def __new__(mcs, class_name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> ItemMeta:
        # The super() cell belongs to the real class, not to the twin.
        classcell = attrs.pop("__classcell__", None)
        twin_bases = tuple(base._class for base in bases if hasattr(base, "_class"))
        twin = super().__new__(mcs, "x_" + class_name, twin_bases, attrs)

        fields = dict(getattr(twin, "fields", {}))
        for name in _declared_field_names(twin):
            fields[name] = getattr(twin, name)

        real_attrs = {name: value for name, value in attrs.items() if not isinstance(value, Field)}
        real_attrs["fields"] = fields
        real_attrs["_class"] = twin
        if classcell is not None:
            real_attrs["__classcell__"] = classcell
        return super().__new__(mcs, class_name, bases, real_attrs)


class Item(MutableMapping[str, Any], metaclass=ItemMeta):
    """A scraped record: a mutable mapping restricted to the declared ``fields``.

    Field values are read and written with ``item[name]``; attributes are for the
    class's own use and must start with an underscore.
    """

    #: Every declared field (not only the populated ones), in declaration order.
    fields: dict[str, Field]

    def __init__(self, *args: Any, **kwargs: Any):
        object.__setattr__(self, "_values", {})
        if args or kwargs:
            for key, value in dict(*args, **kwargs).items():
                self[key] = value

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self.fields:
            raise KeyError(f"{self.__class__.__name__} does not support field: {key}")
        self._values[key] = value

    def __delitem__(self, key: str) -> None:
        del self._values[key]

    def __getattr__(self, name: str) -> NoReturn:
        if name in self.fields:
            raise AttributeError(f"Use item[{name!r}] to get field value")
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            raise AttributeError(f"Use item[{name!r}] = {value!r} to set field value")
        super().__setattr__(name, value)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    # Items are mutable yet hashable by identity, as in Scrapy (sets of seen items).
    __hash__ = object.__hash__

    def keys(self) -> KeysView[str]:
        return self._values.keys()

    def __repr__(self) -> str:
        return pformat(dict(self))

    def copy(self: ItemT) -> ItemT:
        """A shallow copy: a new item of the same class with the same values."""
        return self.__class__(self)

    def deepcopy(self: ItemT) -> ItemT:
        """A deep copy: nested lists and dicts are copied too."""
        return deepcopy(self)


def _teach_itemadapter() -> None:
    """Make itemadapter treat ascrapy Items as Scrapy items.

    itemadapter knows ``scrapy.item.Item``; the compat ``scrapy`` package re-exports
    this class there, and then nothing is needed. Without any ``scrapy`` package an
    adapter for this class is registered.

    itemadapter imports ``scrapy`` while it is itself being imported, and the compat
    package imports this module; so this must never import itemadapter while
    itemadapter or a ``scrapy`` package is only half imported.
    """
    import sys

    adapter_module = sys.modules.get("itemadapter.adapter")
    if adapter_module is None:
        if "scrapy" in sys.modules or importlib.util.find_spec("scrapy") is not None:
            return  # itemadapter will find this class as scrapy.item.Item
        adapter_module = importlib.import_module("itemadapter.adapter")
    elif not hasattr(adapter_module, "ScrapyItemAdapter"):
        return  # itemadapter is importing scrapy, which is importing us
    ItemAdapter = adapter_module.ItemAdapter
    ScrapyItemAdapter: Any = adapter_module.ScrapyItemAdapter  # a class read off the module object

    if ScrapyItemAdapter.is_item_class(Item):
        return

    class AscrapyItemAdapter(ScrapyItemAdapter):
        """itemadapter's Scrapy Item adapter, matching ascrapy's Item class."""

        @classmethod
        def is_item(cls, item: Any) -> bool:
            return isinstance(item, Item)

        @classmethod
        def is_item_class(cls, item_class: type) -> bool:
            return isinstance(item_class, type) and issubclass(item_class, Item)

    ItemAdapter.ADAPTER_CLASSES.appendleft(AscrapyItemAdapter)


_teach_itemadapter()
