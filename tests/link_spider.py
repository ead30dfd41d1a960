"""The spider of the link site (tests/sites/link.py): an item for each page, every link
followed. In-process tests import ``Pages``; process tests run this file with
``ascrapy runspider`` (``-a base=URL``)."""

import ascrapy


class Pages(ascrapy.Spider):
    name = "pages"

    def __init__(self, base: str = "", **kwargs):
        super().__init__(**kwargs)
        if base:
            self.start_urls = [base + "/"]

    def parse(self, response):
        if response.css("article.page"):
            yield {"url": response.url}
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
