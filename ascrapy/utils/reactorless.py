"""Scrapy's reactorless-mode helpers: ascrapy always runs without a Twisted reactor.

Plugins ask ``is_reactorless()`` to choose between Deferreds and asyncio, and code that must
never start a reactor by accident installs the import hook, which makes importing
``twisted.internet.reactor`` (which installs one) fail loudly.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

from ascrapy.utils.asyncio import is_asyncio_available
from ascrapy.utils.reactor import is_reactor_installed

REACTOR_MODULE = "twisted.internet.reactor"


def is_reactorless() -> bool:
    """Whether this runs on asyncio with no Twisted reactor installed (always, in a crawl)."""
    return is_asyncio_available() and not is_reactor_installed()


class ReactorImportHook(MetaPathFinder):
    """Refuses the import of ``twisted.internet.reactor``, which would install a reactor."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname == REACTOR_MODULE:
            raise ImportError(
                f"Import of {fullname} is forbidden when running without a Twisted reactor:"
                " importing it installs a reactor."
            )
        return None


def install_reactor_import_hook() -> ReactorImportHook:
    """Put a new hook first in ``sys.meta_path`` and return it (for the uninstall)."""
    hook = ReactorImportHook()
    sys.meta_path.insert(0, hook)
    return hook


def uninstall_reactor_import_hook(hook: ReactorImportHook) -> None:
    """Take ``hook`` out of ``sys.meta_path``; nothing happens if it is not there."""
    with contextlib.suppress(ValueError):
        sys.meta_path.remove(hook)
