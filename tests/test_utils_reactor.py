"""Scrapy's reactor helpers on ascrapy, which never installs a Twisted reactor."""

from __future__ import annotations

import asyncio
import sys

import pytest

from ascrapy.utils.defer import TwistedRequiredError
from ascrapy.utils.reactor import (
    ASYNCIO_REACTOR_PATH,
    install_reactor,
    is_asyncio_reactor_installed,
    is_reactor_installed,
    listen_tcp,
    set_asyncio_event_loop,
    verify_installed_asyncio_event_loop,
    verify_installed_reactor,
)
from ascrapy.utils.reactorless import (
    ReactorImportHook,
    install_reactor_import_hook,
    is_reactorless,
    uninstall_reactor_import_hook,
)


class CustomLoop(asyncio.SelectorEventLoop):
    pass


@pytest.fixture
def fresh_loop():
    """Leaves this thread's event loop as it found it."""
    asyncio.set_event_loop(None)
    yield
    loop = asyncio.get_event_loop_policy().get_event_loop()
    asyncio.set_event_loop(None)
    loop.close()


def test_install_reactor_sets_the_named_event_loop(fresh_loop):
    install_reactor(ASYNCIO_REACTOR_PATH, f"{__name__}.CustomLoop")
    assert isinstance(set_asyncio_event_loop(None), CustomLoop)
    assert not is_reactor_installed()
    with pytest.warns(UserWarning, match="asyncio only"):
        install_reactor("twisted.internet.selectreactor.SelectReactor")


def test_asyncio_is_always_there_and_no_reactor_is():
    assert is_asyncio_reactor_installed()
    assert is_reactorless() == ("twisted.internet.reactor" not in sys.modules)
    with pytest.raises(RuntimeError, match="called without an installed reactor"):
        verify_installed_reactor(ASYNCIO_REACTOR_PATH)
    with pytest.raises(RuntimeError, match="called without an installed reactor"):
        verify_installed_asyncio_event_loop("asyncio.SelectorEventLoop")
    with pytest.raises(TwistedRequiredError, match="create_server"):
        listen_tcp([], "127.0.0.1", object())


def test_the_import_hook_refuses_only_the_reactor_module():
    hook = install_reactor_import_hook()
    try:
        assert sys.meta_path[0] is hook
        with pytest.raises(ImportError, match="forbidden"):
            hook.find_spec("twisted.internet.reactor", None)
        assert hook.find_spec("json", None) is None
    finally:
        uninstall_reactor_import_hook(hook)
    assert hook not in sys.meta_path
    uninstall_reactor_import_hook(ReactorImportHook())  # not installed: nothing happens
