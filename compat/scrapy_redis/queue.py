"""scrapy_redis.queue: scrapy-redis's names, from ascrapy.redis (SCHEDULER_QUEUE_CLASS)."""

from ascrapy.redis.queue import FifoQueue, LifoQueue, PriorityQueue
from ascrapy.redis.queue import FifoQueue as SpiderQueue
from ascrapy.redis.queue import LifoQueue as SpiderStack
from ascrapy.redis.queue import PriorityQueue as SpiderPriorityQueue
