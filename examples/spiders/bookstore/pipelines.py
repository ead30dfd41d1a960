"""Cleaning and validating books before they reach the feed."""

from __future__ import annotations

import re
from typing import Any

from itemadapter import ItemAdapter

from ascrapy.exceptions import DropItem
from bookstore.items import BookItem

_PRICE_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def parse_price(text: str) -> float:
    """'£1,250.00' or ' £ 9.99 ' -> a float; ValueError when there is no number in it."""
    match = _PRICE_NUMBER.search(text)
    if match is None:
        raise ValueError(f"no price in {text!r}")
    return round(float(match.group().replace(",", "")), 2)


class BookPipeline:
    """Drops books without a title, turns the price text into a number; other items pass."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, BookItem):
            return item
        adapter = ItemAdapter(item)
        if not adapter.get("title"):
            raise DropItem(f"Missing title in {adapter.get('url')}")
        price = adapter.get("price")
        if price is None:
            raise DropItem(f"Missing price in {adapter.get('url')}")
        if isinstance(price, str):
            try:
                adapter["price"] = parse_price(price)
            except ValueError as error:
                raise DropItem(f"Bad price in {adapter.get('url')}: {error}") from None
        return item
