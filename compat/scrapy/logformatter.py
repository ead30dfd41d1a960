"""scrapy.logformatter: Scrapy's names, from ascrapy.logformatter."""

from ascrapy.logformatter import (
    CRAWLEDMSG,
    DOWNLOADERRORMSG_LONG,
    DOWNLOADERRORMSG_SHORT,
    DROPPEDMSG,
    ITEMERRORMSG,
    LogFormatter,
    SCRAPEDMSG,
    SPIDERERRORMSG,
)
