"""Debugging a running crawl from outside: signals that dump state or open a debugger.

StackTraceDump (``kill -QUIT <pid>`` or ``kill -USR2 <pid>``) logs the engine status, the
live object counts of ascrapy.utils.trackref and the stack of every thread. Debugger
(``kill -USR2 <pid>``) stops the process in pdb where it was. Both are off by default;
enable them in EXTENSIONS. Windows has neither signal, so there they do nothing.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
import traceback
from pdb import Pdb
from types import FrameType
from typing import TYPE_CHECKING

from ascrapy.utils.engine import format_engine_status
from ascrapy.utils.trackref import format_live_refs

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

__all__ = ["Debugger", "StackTraceDump"]

logger = logging.getLogger("scrapy.extensions.debug")


class StackTraceDump:
    """Logs the engine status, live references and thread stacks on SIGQUIT or SIGUSR2."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        self.crawler = crawler
        with contextlib.suppress(AttributeError):  # no SIGUSR2/SIGQUIT on Windows
            signal.signal(signal.SIGUSR2, self.dump_stacktrace)
            signal.signal(signal.SIGQUIT, self.dump_stacktrace)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> StackTraceDump:
        return cls(crawler)

    def dump_stacktrace(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler: one INFO log record with the whole report."""
        logger.info(
            "Dumping stack trace and engine status\n%(enginestatus)s\n%(liverefs)s\n%(stackdumps)s",
            {
                "stackdumps": self._thread_stacks(),
                "enginestatus": format_engine_status(self.crawler.engine),
                "liverefs": format_live_refs(),
            },
            extra={"crawler": self.crawler},
        )

    def _thread_stacks(self) -> str:
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        parts = []
        for ident, frame in sys._current_frames().items():
            stack = "".join(traceback.format_stack(frame))
            parts.append(f"# Thread: {names.get(ident, '')}({ident})\n{stack}\n")
        return "".join(parts)


class Debugger:
    """Enters pdb, in the frame the process was running, on SIGUSR2."""

    def __init__(self) -> None:
        with contextlib.suppress(AttributeError):  # no SIGUSR2 on Windows
            signal.signal(signal.SIGUSR2, self._enter_debugger)

    def _enter_debugger(self, signum: int, frame: FrameType | None) -> None:
        assert frame is not None
        Pdb().set_trace(frame.f_back)
