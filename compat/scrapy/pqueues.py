"""scrapy.pqueues: Scrapy's names, from ascrapy.pqueues."""

from ascrapy.pqueues import (
    DownloaderAwarePriorityQueue,
    DownloaderInterface,
    QueueProtocol,
    ScrapyPriorityQueue,
    _path_safe,
)
