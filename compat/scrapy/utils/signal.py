"""scrapy.utils.signal: Scrapy's names, from ascrapy.utils.signal."""

from ascrapy.utils.signal import (
    disconnect_all,
    send_catch_log,
    send_catch_log_async,
    send_catch_log_deferred,
)
