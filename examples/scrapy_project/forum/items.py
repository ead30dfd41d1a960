# Define here the models for your scraped items
#
# See documentation in:
# https://docs.scrapy.org/en/latest/topics/items.html

import scrapy


class ThreadItem(scrapy.Item):
    thread_id = scrapy.Field()
    section = scrapy.Field()
    title = scrapy.Field()
    author = scrapy.Field()
    started = scrapy.Field()
    post_count = scrapy.Field()
    tags = scrapy.Field()
    first_post = scrapy.Field()
    url = scrapy.Field()


class MemberItem(scrapy.Item):
    username = scrapy.Field()
    name = scrapy.Field()
    role = scrapy.Field()
    joined = scrapy.Field()
    posts = scrapy.Field()
    location = scrapy.Field()
