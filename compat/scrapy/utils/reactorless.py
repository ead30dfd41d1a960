"""scrapy.utils.reactorless: Scrapy's names, from ascrapy.utils.reactorless."""

from ascrapy.utils.reactorless import (
    ReactorImportHook,
    install_reactor_import_hook,
    is_reactorless,
    uninstall_reactor_import_hook,
)
