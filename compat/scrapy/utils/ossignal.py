"""scrapy.utils.ossignal: Scrapy's names, from ascrapy.utils.ossignal."""

from ascrapy.utils.ossignal import SignalHandlerT, install_shutdown_handlers, signal_names
