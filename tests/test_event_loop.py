"""ASYNCIO_EVENT_LOOP picks the loop CrawlerProcess runs on (uvloop is optional)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from ascrapy.utils.event_loop import event_loop_factory
from ascrapy.settings import Settings

SCRIPT = textwrap.dedent('''
    import asyncio, sys
    import ascrapy
    from ascrapy.crawler import CrawlerProcess

    class Loop(ascrapy.Spider):
        name = "loop"

        async def start(self):
            print(type(asyncio.get_running_loop()).__module__, flush=True)
            return
            yield

    process = CrawlerProcess({"ASYNCIO_EVENT_LOOP": sys.argv[1], "LOG_ENABLED": False})
    process.crawl(Loop)
    process.start()
''')


def test_default_is_asyncio_and_auto_falls_back_when_uvloop_is_missing(monkeypatch):
    assert event_loop_factory(Settings()) is None
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now fails
    assert event_loop_factory(Settings({"ASYNCIO_EVENT_LOOP": "auto"})) is None
    with pytest.raises(ImportError):
        event_loop_factory(Settings({"ASYNCIO_EVENT_LOOP": "uvloop"}))


@pytest.mark.parametrize(("choice", "module"), [("uvloop", "uvloop"), ("asyncio.SelectorEventLoop", "asyncio.unix_events")])
def test_crawl_runs_on_the_chosen_loop(choice, module):
    pytest.importorskip("uvloop")
    done = subprocess.run([sys.executable, "-c", SCRIPT, choice], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == module
