"""scrapy.utils.response: Scrapy's names, from ascrapy.utils.response."""

from ascrapy.utils.response import (
    get_base_url,
    get_meta_refresh,
    open_in_browser,
    response_from_dict,
    response_status_message,
)
