"""scrapy.crawler is ascrapy.crawler itself."""

import ascrapy.crawler
from ascrapy.utils.module_alias import alias_module
from ascrapy.exceptions import CloseSpider
from ascrapy.engine.engine import ExecutionEngine
from ascrapy.utils.reactorless import ReactorImportHook
from ascrapy.settings import SETTINGS_PRIORITIES
from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.spiderloader import SpiderLoaderProtocol
from ascrapy.utils.defer import deferred_from_coro
from ascrapy.utils.reactor import install_reactor
from ascrapy.utils.reactorless import install_reactor_import_hook
from ascrapy.utils.ossignal import install_shutdown_handlers
from ascrapy.utils.reactor import is_asyncio_reactor_installed
from ascrapy.utils.reactor import is_reactor_installed
from ascrapy.utils.log import log_reactor_info
from ascrapy.utils.reactor import set_asyncio_event_loop
from ascrapy.utils.ossignal import signal_names
from ascrapy.utils.reactorless import uninstall_reactor_import_hook
from ascrapy.utils.reactor import verify_installed_asyncio_event_loop
from ascrapy.utils.reactor import verify_installed_reactor

alias_module(
    __name__,
    ascrapy.crawler,
    CloseSpider=CloseSpider,
    ExecutionEngine=ExecutionEngine,
    ReactorImportHook=ReactorImportHook,
    SETTINGS_PRIORITIES=SETTINGS_PRIORITIES,
    ScrapyDeprecationWarning=ScrapyDeprecationWarning,
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
