# Define here the models for your spider middleware
#
# See documentation in:
# https://docs.scrapy.org/en/latest/topics/downloader-middleware.html

from scrapy import signals
from scrapy.exceptions import NotConfigured


class ForumClientHeaderMiddleware:
    """Names the crawler to the forum in a header of every request, and counts them in stats."""

    header = "X-Forum-Client"

    def __init__(self, client_name, stats):
        self.client_name = client_name
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        client_name = crawler.settings.get("FORUM_CLIENT_NAME")
        if not client_name:
            raise NotConfigured("FORUM_CLIENT_NAME is not set")
        middleware = cls(client_name, crawler.stats)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def process_request(self, request, spider):
        request.headers.setdefault(self.header, self.client_name)
        self.stats.inc_value("forum_client/requests")
        return None

    def spider_opened(self, spider):
        spider.logger.info("Requests carry %s: %s", self.header, self.client_name)
