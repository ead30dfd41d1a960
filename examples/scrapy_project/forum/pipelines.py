# Define your item pipelines here
#
# Don't forget to add your pipeline to the ITEM_PIPELINES setting
# See: https://docs.scrapy.org/en/latest/topics/item-pipeline.html

from collections import Counter

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from forum.items import ThreadItem


class ThreadValidationPipeline:
    """Drops threads that are removed (fewer than FORUM_MIN_POSTS posts), incomplete, or seen
    before under another URL; other items pass untouched."""

    required_fields = ("thread_id", "title", "author", "url")

    def __init__(self, min_posts, stats):
        self.min_posts = min_posts
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(min_posts=crawler.settings.getint("FORUM_MIN_POSTS", 1), stats=crawler.stats)

    def open_spider(self, spider):
        self.seen_ids = set()
        self.outcomes = Counter()

    def close_spider(self, spider):
        for outcome, count in sorted(self.outcomes.items()):
            self.stats.set_value(f"forum/threads/{outcome}", count)
        spider.logger.info("Threads: %s", dict(self.outcomes))

    def process_item(self, item, spider):
        if not isinstance(item, ThreadItem):
            return item
        adapter = ItemAdapter(item)
        if adapter.get("post_count", 0) < self.min_posts:
            self.drop("too_few_posts", f"Too few posts ({adapter.get('post_count', 0)}) in {adapter.get('url')}")
        missing = [name for name in self.required_fields if not adapter.get(name)]
        if missing:
            self.drop("incomplete", f"Missing {', '.join(missing)} in {adapter.get('url')}")
        if adapter["thread_id"] in self.seen_ids:
            self.drop("duplicate", f"Duplicate thread {adapter['thread_id']} at {adapter['url']}")
        self.seen_ids.add(adapter["thread_id"])
        self.outcomes["kept"] += 1
        return item

    def drop(self, outcome, reason):
        self.outcomes[outcome] += 1
        raise DropItem(reason)
