"""A batch pipeline of your own: ascrapy hands it lists of items, not one item at a time.

Enable it next to the per-item pipelines, after them:
ITEM_PIPELINES = {"bookstore.pipelines.BookPipeline": 300, "bookstore.batch_pipelines.JsonLinesBatches": 800}
"""

import json

from itemadapter import ItemAdapter


class JsonLinesBatches:
    """Appends each batch to BATCHES_FILE, one JSON object per item, in one write."""

    batch_size = 8  # a batch is up to this many items...
    batch_timeout = 1.0  # ...or what arrived within this many seconds

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("BATCHES_FILE", "batches.jsonl"))

    async def process_batch(self, items: list) -> None:
        lines = [json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False) + "\n" for item in items]
        with open(self.path, "a", encoding="utf-8") as file:
            file.writelines(lines)
