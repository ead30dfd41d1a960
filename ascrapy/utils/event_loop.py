"""How a crawling process runs its asyncio loop: which loop, and what it keeps out of the
cyclic garbage collector's way."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

from ascrapy.settings import Settings
from ascrapy.utils.misc import load_object


def event_loop_factory(settings: Settings) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The loop for CrawlerProcess: ASYNCIO_EVENT_LOOP is a class path, "uvloop", "auto"
    (uvloop when installed) or None (asyncio's default loop)."""
    choice = settings.get("ASYNCIO_EVENT_LOOP")
    if not choice:
        return None
    if choice in ("auto", "uvloop", "uvloop.Loop"):
        try:
            import uvloop  # noqa: PLC0415
        except ImportError:
            if choice == "auto":
                return None
            raise
        return uvloop.new_event_loop
    loop_class = load_object(choice)
    return loop_class


_frozen = False


def freeze_startup_objects() -> None:
    """Hide what exists when the first crawl starts (modules, settings, components: they
    live as long as the process) from the cyclic garbage collector, as pre-forking servers
    do: each full collection during the crawl then walks only the crawl's own objects.
    Done where the process is ascrapy's (CrawlerProcess), not in a CrawlerRunner's host,
    and once: a later crawl's start would also freeze the objects of crawls still running,
    which would then never be collected."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
