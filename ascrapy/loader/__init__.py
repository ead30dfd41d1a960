"""ItemLoader: itemloaders' loader, fed from a response and making ascrapy Items."""

from __future__ import annotations

from typing import Any

import itemloaders

from ascrapy.item import Item
from ascrapy.selector import Selector

__all__ = ["ItemLoader"]


class ItemLoader(itemloaders.ItemLoader):
    """Fills an item through field processors, from values, XPath or CSS.

    Given a ``response`` and no ``selector``, the selector is built from the response
    with :attr:`default_selector_class` (none for a response without text, so that
    add_xpath/add_css then raise). ``item``, ``selector``, ``response`` and any other
    keyword arguments make up the loader :attr:`context`. Without ``item`` a new
    :attr:`default_item_class` is created.
    """

    default_item_class: type = Item
    default_selector_class = Selector

    def __init__(
        self,
        item: Any = None,
        selector: Selector | None = None,
        response: Any = None,
        parent: itemloaders.ItemLoader | None = None,
        **context: Any,
    ):
        if selector is None and response is not None:
            try:
                selector = self.default_selector_class(response)
            except AttributeError:  # a plain Response has no .text to select from
                selector = None
        context.update(response=response)
        super().__init__(item=item, selector=selector, parent=parent, **context)
