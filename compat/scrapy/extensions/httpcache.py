"""scrapy.extensions.httpcache: Scrapy's names, from ascrapy.extensions.httpcache."""

from ascrapy.extensions.httpcache import (
    DbmCacheStorage,
    DummyPolicy,
    FilesystemCacheStorage,
    RFC2616Policy,
    parse_cachecontrol,
    rfc1123_to_epoch,
)
