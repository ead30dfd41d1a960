"""SIGINT/SIGTERM for a process that runs crawls on its own asyncio loop.

The first signal asks for a graceful stop (in-flight work finishes, batches flush), forced
after SHUTDOWN_TIMEOUT seconds when that is set; a second signal forces the stop at once.
Handlers run on the loop (``loop.add_signal_handler``), so they may log safely.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

logger = logging.getLogger("scrapy.crawler")

SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class GracefulShutdown:
    """Turns shutdown signals into calls of ``stop`` (graceful) and ``force`` (at once)."""

    def __init__(self, stop: Callable[[], object], force: Callable[[], object], timeout: float = 0) -> None:
        self._stop = stop
        self._force = force
        self._timeout = timeout
        self._received = 0
        self.stopped_by: int | None = None  # the first shutdown signal received, if any
        self._forcing: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        """Handle the shutdown signals on the running loop until ``uninstall``."""
        self._loop = asyncio.get_running_loop()
        for signum in SHUTDOWN_SIGNALS:
            self._loop.add_signal_handler(signum, self.received, signum)

    def uninstall(self) -> None:
        self.cancel_timeout()
        if self._loop is not None:
            for signum in SHUTDOWN_SIGNALS:
                self._loop.remove_signal_handler(signum)
            self._loop = None

    def received(self, signum: int) -> None:
        name = signal.Signals(signum).name
        self._received += 1
        if self._received == 1:
            self.stopped_by = signum
            logger.info("Received %(signame)s, shutting down gracefully. Send again to force",
                        {"signame": name})
            self._stop()
            if self._timeout > 0:
                self._forcing = asyncio.get_running_loop().call_later(self._timeout, self._timed_out)
        else:
            logger.info("Received %(signame)s twice, forcing unclean shutdown", {"signame": name})
            self.cancel_timeout()
            self._force()

    def _timed_out(self) -> None:
        self._forcing = None
        logger.warning("Graceful shutdown still running after SHUTDOWN_TIMEOUT (%(timeout)s s), "
                       "forcing unclean shutdown", {"timeout": self._timeout})
        self._force()

    def cancel_timeout(self) -> None:
        if self._forcing is not None:
            self._forcing.cancel()
            self._forcing = None
