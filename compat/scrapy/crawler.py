"""scrapy.crawler is ascrapy.crawler itself."""

import ascrapy.crawler
from ascrapy.utils.module_alias import alias_module
from ascrapy.engine.engine import ExecutionEngine
from ascrapy.spiderloader import SpiderLoaderProtocol
from ascrapy.utils.defer import deferred_from_coro
from ascrapy.utils.log import log_reactor_info
from ascrapy.utils.ossignal import install_shutdown_handlers, signal_names
from ascrapy.utils.reactor import (
    install_reactor,
    is_asyncio_reactor_installed,
    is_reactor_installed,
    set_asyncio_event_loop,
    verify_installed_asyncio_event_loop,
    verify_installed_reactor,
)
from ascrapy.utils.reactorless import (
    ReactorImportHook,
    install_reactor_import_hook,
    uninstall_reactor_import_hook,
)

alias_module(
    __name__,
    ascrapy.crawler,
    ExecutionEngine=ExecutionEngine,
    ReactorImportHook=ReactorImportHook,
    SpiderLoaderProtocol=SpiderLoaderProtocol,
    deferred_from_coro=deferred_from_coro,
    install_reactor=install_reactor,
    install_reactor_import_hook=install_reactor_import_hook,
    install_shutdown_handlers=install_shutdown_handlers,
    is_asyncio_reactor_installed=is_asyncio_reactor_installed,
    is_reactor_installed=is_reactor_installed,
    log_reactor_info=log_reactor_info,
    set_asyncio_event_loop=set_asyncio_event_loop,
    signal_names=signal_names,
    uninstall_reactor_import_hook=uninstall_reactor_import_hook,
    verify_installed_asyncio_event_loop=verify_installed_asyncio_event_loop,
    verify_installed_reactor=verify_installed_reactor,
)
