# Scrapy settings for forum project
#
# For simplicity, this file contains only settings considered important or
# commonly used. You can find more settings consulting the documentation:
#
#     https://docs.scrapy.org/en/latest/topics/settings.html
#     https://docs.scrapy.org/en/latest/topics/downloader-middleware.html
#     https://docs.scrapy.org/en/latest/topics/spider-middleware.html

BOT_NAME = "forum"

SPIDER_MODULES = ["forum.spiders"]
NEWSPIDER_MODULE = "forum.spiders"

# Crawl responsibly by identifying yourself (and your website) on the user-agent
USER_AGENT = "forum-archiver/1.0 (+http://127.0.0.1/)"

# Obey robots.txt rules
ROBOTSTXT_OBEY = True

# The example forum is local and small: no delay, a few requests at a time.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0

# The forum session lives in a cookie (enabled by default; said here because the crawl needs it)
COOKIES_ENABLED = True

# Enable or disable downloader middlewares
# See https://docs.scrapy.org/en/latest/topics/downloader-middleware.html
DOWNLOADER_MIDDLEWARES = {
    "forum.middlewares.ForumClientHeaderMiddleware": 543,
}

# Configure item pipelines
# See https://docs.scrapy.org/en/latest/topics/item-pipeline.html
ITEM_PIPELINES = {
    "forum.pipelines.ThreadValidationPipeline": 300,
}

# The project's own settings, read by the spiders, the middleware and the pipeline.
FORUM_USERNAME = "crawler"
FORUM_PASSWORD = "correct-horse-battery"
FORUM_CLIENT_NAME = "forum-archiver/1.0"
FORUM_MIN_POSTS = 1

# Set settings whose default value is deprecated to a future-proof value
FEED_EXPORT_ENCODING = "utf-8"
