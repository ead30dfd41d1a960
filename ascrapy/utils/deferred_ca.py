"""Import aiohttp without reading the system CA bundle at import time.

aiohttp builds two default SSL contexts when ``aiohttp.connector`` is imported, and each
reads and parses every certificate of the system bundle: about 80 ms of CPU per process,
a few percent of a whole crawl, paid again by every ``ascrapy`` command and every
Kubernetes Job. ascrapy gives its session a context of its own, so those two are used
only by code that calls aiohttp directly. While aiohttp is imported, contexts that ask
for the default verify paths get them on first use instead (a handshake, or a look at
their certificates), so they verify exactly as before, only later.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# What an SSLContext does with its trust store: each loads the deferred paths first.
_USES_TRUST_STORE = ("wrap_bio", "wrap_socket", "get_ca_certs", "cert_store_stats")
_load_default_verify_paths: Callable[[ssl.SSLContext], None] = ssl.SSLContext.set_default_verify_paths
_loading = threading.Lock()


@contextmanager
def deferred_default_verify_paths() -> Iterator[None]:
    """Within this block, ``SSLContext.set_default_verify_paths()`` takes effect on first use.

        with deferred_default_verify_paths():
            import aiohttp
    """
    if "set_default_verify_paths" in vars(ssl.SSLContext):
        yield  # someone already overrides it: leave their version alone
        return
    ssl.SSLContext.set_default_verify_paths = _defer  # type: ignore[method-assign]
    try:
        yield
    finally:
        del ssl.SSLContext.set_default_verify_paths


def _defer(context: ssl.SSLContext) -> None:
    """Stand in for set_default_verify_paths: wrap the methods that need the trust store."""
    for name in _USES_TRUST_STORE:
        setattr(context, name, _loading_first(context, name))


def _loading_first(context: ssl.SSLContext, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        with _loading:  # the first use of any of them loads the paths, once
            if name in vars(context):
                _load_default_verify_paths(context)
                for wrapped in _USES_TRUST_STORE:
                    vars(context).pop(wrapped, None)
        return getattr(context, name)(*args, **kwargs)

    call.__name__ = name
    return call
