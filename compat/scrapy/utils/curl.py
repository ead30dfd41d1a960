"""scrapy.utils.curl: Scrapy's names, from ascrapy.utils.curl."""

from ascrapy.utils.curl import (
    CurlParser,
    DataAction,
    curl_parser,
    curl_to_request_kwargs,
    safe_to_ignore_arguments,
)
