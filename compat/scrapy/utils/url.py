"""scrapy.utils.url: Scrapy's names, from ascrapy.utils.url."""

from ascrapy.utils.url import (
    UrlT,
    _is_filesystem_path,
    add_http_if_no_scheme,
    guess_scheme,
    strip_url,
    url_has_any_extension,
    url_is_from_any_domain,
    url_is_from_spider,
)
