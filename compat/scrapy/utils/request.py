"""scrapy.utils.request: Scrapy's names, from ascrapy.utils.request."""

from ascrapy.utils.request import (
    RequestFingerprinter,
    RequestFingerprinterProtocol,
    _fingerprint_cache,
    _to_verbose_cookies,
    fingerprint,
    referer_str,
    request_from_dict,
    request_httprepr,
    request_to_curl,
)
