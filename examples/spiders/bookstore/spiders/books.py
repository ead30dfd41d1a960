"""Every book of the store: categories, their pages, then one BookItem per book page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ascrapy
from ascrapy.http import Response
from bookstore.items import BookLoader
from bookstore.spiders import DEFAULT_BASE_URL


class BooksSpider(ascrapy.Spider):
    name = "books"
    base_url = DEFAULT_BASE_URL  # -a base_url=... replaces it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = [f"{self.base_url.rstrip('/')}/"]

    def parse(self, response: Response) -> Iterator[ascrapy.Request]:
        """The home page: follow each category."""
        yield from response.follow_all(css="ul.categories a", callback=self.parse_category)

    def parse_category(self, response: Response) -> Iterator[ascrapy.Request]:
        """A page of a category: its books, then the next page if there is one."""
        yield from response.follow_all(css="article.product_pod h3 a", callback=self.parse_book)
        next_page = response.css("ul.pager li.next a::attr(href)").get()
        if next_page is not None:
            yield response.follow(next_page, callback=self.parse_category)

    def parse_book(self, response: Response) -> Any:
        loader = BookLoader(response=response)
        loader.add_css("title", "div.product_main h1::text")
        loader.add_css("price", "div.product_main p.price_color::text")
        loader.add_css("availability", "div.product_main p.availability::text")
        loader.add_css("category", "ul.breadcrumb li:nth-child(2) a::text")
        loader.add_value("url", response.url)
        return loader.load_item()
