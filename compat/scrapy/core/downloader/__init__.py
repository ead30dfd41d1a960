"""scrapy.core.downloader: Scrapy's names, from ascrapy.engine.downloader."""

from ascrapy.engine.downloader import Downloader
from ascrapy.engine.slots import Slot
