"""scrapy.extensions.remote_control: Scrapy's names, from ascrapy.extensions.remote_control."""

from ascrapy.extensions.remote_control import (
    RemoteControl,
    STOP_TIMEOUT,
    _cap,
    _compile,
    _effective_timeout,
)
