"""An unmodified Scrapy spider: follows every link of the generated site, one item per page.

The benchmarks run this same file with real Scrapy and with ascrapy's `scrapy` command.
"""

import scrapy


class LinksSpider(scrapy.Spider):
    name = "links"

    def __init__(self, base="http://127.0.0.1:8000", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]

    def parse(self, response):
        if response.css("article.page"):
            yield {
                "url": response.url,
                "title": response.css("h1::text").get(),
                "price": response.css("dd.price::text").get(),
                "tags": response.css("li.tag::text").getall(),
            }
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
