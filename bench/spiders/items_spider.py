"""Items without HTTP: ``count`` items shaped like the link site's pages, from start().

bench/kafka_bench.py runs it to measure what a sink costs per item when nothing else
(downloads, parsing) is in the way:

    ascrapy runspider bench/spiders/items_spider.py -a count=50000 -O items.jsonl
"""

import ascrapy


class ItemsSpider(ascrapy.Spider):
    name = "items"

    def __init__(self, count="50000", **kwargs):
        super().__init__(**kwargs)
        self.count = int(count)

    async def start(self):
        for n in range(self.count):
            yield {
                "url": f"http://127.0.0.1:8000/page/{n}",
                "title": f"Page {n}",
                "price": f"{n % 100}.99",
                "tags": ["crawler", "spider", "stream"],
            }
