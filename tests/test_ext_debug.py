"""StackTraceDump and Debugger: their signal handlers, and a dump taken during a real crawl."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

import pytest

import ascrapy
from ascrapy.extensions import debug
from ascrapy.extensions.debug import Debugger, StackTraceDump
from ascrapy.utils.misc import build_from_crawler
from ascrapy.utils.test import get_crawler
from ascrapy.utils.trackref import object_ref

from .crawl_helpers import crawl

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGUSR2 and SIGQUIT are POSIX-only")


@pytest.fixture(autouse=True)
def restore_signal_handlers():
    signums = [getattr(signal, name) for name in ("SIGUSR2", "SIGQUIT") if hasattr(signal, name)]
    saved = {signum: signal.getsignal(signum) for signum in signums}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@posix_only
def test_stacktracedump_handles_sigquit_and_sigusr2():
    extension = build_from_crawler(StackTraceDump, get_crawler())
    assert signal.getsignal(signal.SIGUSR2) == extension.dump_stacktrace
    assert signal.getsignal(signal.SIGQUIT) == extension.dump_stacktrace


def test_without_those_signals_the_extensions_do_nothing(monkeypatch):
    monkeypatch.delattr(signal, "SIGUSR2", raising=False)
    assert isinstance(build_from_crawler(StackTraceDump, get_crawler()), StackTraceDump)
    assert isinstance(Debugger(), Debugger)


def test_thread_stacks_name_every_thread():
    extension = build_from_crawler(StackTraceDump, get_crawler())
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, name="dump-test-thread")
    worker.start()
    try:
        stacks = extension._thread_stacks()
    finally:
        stop.set()
        worker.join()
    assert "# Thread: MainThread(" in stacks
    assert f"# Thread: dump-test-thread({worker.ident})" in stacks
    assert "in test_thread_stacks_name_every_thread" in stacks


class TrackedThing(object_ref):
    """Something trackref counts, alive while the dump is taken."""


class SignalSpider(ascrapy.Spider):
    name = "signal_spider"

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [f"{base_url}/status/200"]
        self.tracked = TrackedThing()

    def parse(self, response):
        os.kill(os.getpid(), signal.SIGUSR2)
        return []


@posix_only
async def test_sigusr2_during_a_crawl_logs_the_dump(test_server_url, caplog):
    settings = {"EXTENSIONS": {"ascrapy.extensions.debug.StackTraceDump": 0}}
    with caplog.at_level(logging.INFO, logger="scrapy.extensions.debug"):
        crawler = await crawl(SignalSpider, settings, base_url=test_server_url)
    [record] = [r for r in caplog.records if r.name == "scrapy.extensions.debug"]
    message = record.getMessage()
    assert message.startswith("Dumping stack trace and engine status\nExecution engine status")
    assert f"{'engine.spider.name':<47} : signal_spider" in message
    assert f"{'engine.running':<47} : True" in message
    assert "Live References" in message
    assert "TrackedThing" in message
    assert "# Thread: MainThread" in message and "in parse" in message
    assert record.crawler is crawler


def test_debugger_enters_pdb_in_the_interrupted_frame(monkeypatch):
    entered = []

    class RecordingPdb:
        def set_trace(self, frame):
            entered.append(frame)

    monkeypatch.setattr(debug, "Pdb", RecordingPdb)
    extension = Debugger()
    if hasattr(signal, "SIGUSR2"):
        assert signal.getsignal(signal.SIGUSR2) == extension._enter_debugger
    frame = sys._getframe()
    extension._enter_debugger(0, frame)
    assert entered == [frame.f_back]
