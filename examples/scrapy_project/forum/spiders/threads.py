from urllib.parse import urlparse

import scrapy
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

from forum.loaders import ThreadLoader


class ThreadsSpider(CrawlSpider):
    """Every thread of the forum: logs in first (start_requests), then the rules walk the
    sections and their pages and scrape each thread."""

    name = "threads"
    base_url = "http://127.0.0.1:8000"  # -a base_url=... replaces it

    rules = (
        # Sections and their pages; the section menu also holds "Log out", which would end the session.
        Rule(
            LinkExtractor(
                allow=r"/forum/[\w-]+(\?page=\d+)?$",
                deny=r"/logout$",
                restrict_css=("nav.sections", "ul.pager"),
            ),
            follow=True,
        ),
        # Threads of the list only (not the staff picks beside it); no reply forms, no PDFs.
        Rule(
            LinkExtractor(allow=r"/thread/\d+", deny=(r"/reply$", r"\.pdf$"), restrict_css="ul.threads"),
            callback="parse_thread",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base_url = self.base_url.rstrip("/")
        self.allowed_domains = [urlparse(base_url).hostname]
        self.login_url = f"{base_url}/login"
        self.start_urls = [f"{base_url}/forum"]

    def start_requests(self):
        yield scrapy.Request(self.login_url, callback=self.login)

    def login(self, response):
        return scrapy.FormRequest.from_response(
            response,
            formcss="form#login",
            formdata={
                "username": self.settings.get("FORUM_USERNAME"),
                "password": self.settings.get("FORUM_PASSWORD"),
            },
            callback=self.after_login,
        )

    def after_login(self, response):
        user = response.css("p.account b.username::text").get()
        if user is None:
            self.logger.error("Login failed: %s", response.css("p.error::text").get())
            return
        self.logger.info("Logged in as %s", user)
        for url in self.start_urls:
            yield scrapy.Request(url)  # no callback: the rules handle the response

    def parse_thread(self, response):
        loader = ThreadLoader(response=response)
        loader.add_css("thread_id", "article.thread::attr(data-thread-id)")
        loader.add_css("section", "nav.breadcrumb a:last-child::text")
        loader.add_css("title", "h1.thread-title::text")
        first_post = loader.nested_css("ol.posts li.post:first-child")
        first_post.add_css("author", "span.post-author::text")
        first_post.add_css("started", "time::attr(datetime)")
        first_post.add_css("first_post", "div.post-body p::text")
        loader.add_value("post_count", len(response.css("ol.posts li.post")))
        loader.add_css("tags", "ul.tags li::text")
        loader.add_value("url", response.urljoin(response.css("link[rel=canonical]::attr(href)").get()))
        return loader.load_item()
