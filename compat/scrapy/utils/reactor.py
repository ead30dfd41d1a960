"""scrapy.utils.reactor: Scrapy's names, from ascrapy.utils.reactor."""

from ascrapy.utils.reactor import (
    ASYNCIO_REACTOR_PATH as _asyncio_reactor_path,
    install_reactor,
    is_asyncio_reactor_installed,
    is_reactor_installed,
    listen_tcp,
    set_asyncio_event_loop,
    set_asyncio_event_loop_policy,
    verify_installed_asyncio_event_loop,
    verify_installed_reactor,
)
