"""Quotes from a JSON document: no HTML, just response.json()."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ascrapy
from ascrapy.http import Response
from bookstore.spiders import DEFAULT_BASE_URL


class QuotesJsonSpider(ascrapy.Spider):
    name = "quotes_json"
    base_url = DEFAULT_BASE_URL  # -a base_url=... replaces it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [f"{self.base_url.rstrip('/')}/quotes.json"]

    def parse(self, response: Response) -> Iterator[dict[str, Any]]:
        for quote in response.json()["quotes"]:
            yield {"text": quote["text"], "author": quote["author"], "tags": quote["tags"]}
