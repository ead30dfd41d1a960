"""Settings of the bookstore project; any Scrapy setting name works the same here."""

BOT_NAME = "bookstore"

SPIDER_MODULES = ["bookstore.spiders"]
NEWSPIDER_MODULE = "bookstore.spiders"

# The bundled site is local and small: a few requests at a time are plenty.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 8
ROBOTSTXT_OBEY = False

ITEM_PIPELINES = {
    "bookstore.pipelines.BookPipeline": 300,
}

FEED_EXPORT_ENCODING = "utf-8"
