"""scrapy.extensions.feedexport is ascrapy.extensions.feedexport itself: tests patch its FeedSlot."""

import sys

import ascrapy.extensions.feedexport

sys.modules[__name__] = ascrapy.extensions.feedexport
