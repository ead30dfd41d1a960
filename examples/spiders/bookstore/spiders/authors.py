"""Author pages as plain dicts; starts with ``async def start()`` and passes cb_kwargs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import ascrapy
from ascrapy.http import Response
from bookstore.spiders import DEFAULT_BASE_URL


class AuthorsSpider(ascrapy.Spider):
    name = "authors"
    base_url = DEFAULT_BASE_URL  # -a base_url=... replaces it

    async def start(self) -> AsyncIterator[ascrapy.Request]:
        yield ascrapy.Request(f"{self.base_url.rstrip('/')}/authors/index.html", callback=self.parse)

    def parse(self, response: Response) -> Iterator[ascrapy.Request]:
        """The author list: follow each author, carrying what the list says about them."""
        for entry in response.css("ul.authors li"):
            href = entry.css("a::attr(href)").get()
            listed_books = int(entry.css("span.count::text").re_first(r"\d+") or 0)
            yield response.follow(
                href,
                callback=self.parse_author,
                cb_kwargs={"slug": href.removesuffix(".html"), "listed_books": listed_books},
            )

    def parse_author(self, response: Response, slug: str, listed_books: int) -> dict[str, Any]:
        books = response.css("ul.books a::text").getall()
        if len(books) != listed_books:
            self.logger.warning("%s lists %d books, the index said %d", response.url, len(books), listed_books)
        return {
            "slug": slug,
            "name": response.css("h1.author-title::text").get(default="").strip(),
            "born_date": response.css("span.author-born-date::text").get(),
            "born_location": response.css("span.author-born-location::text").get(default="").removeprefix("in "),
            "bio": response.css("div.author-description::text").get(default="").strip(),
            "books": books,
            "listed_books": listed_books,
            "url": response.url,
        }
