"""CrawlerProcess hides its start-up objects from the cyclic collector; CrawlerRunner,
which runs inside someone else's process, leaves the collector alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent('''
    import asyncio, gc, sys
    import ascrapy
    from ascrapy.crawler import CrawlerProcess, CrawlerRunner

    class Frozen(ascrapy.Spider):
        name = "frozen"

        async def start(self):
            print(gc.get_freeze_count() > 0, flush=True)
            return
            yield

    settings = {"LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False}
    if sys.argv[1] == "process":
        process = CrawlerProcess(settings)
        process.crawl(Frozen)
        process.start()
    else:
        async def main():
            await CrawlerRunner(settings).crawl(Frozen)

        asyncio.run(main())
''')


@pytest.mark.parametrize(("runner", "frozen"), [("process", "True"), ("runner", "False")])
def test_objects_made_before_the_crawl_are_frozen_only_by_crawler_process(runner, frozen):
    done = subprocess.run([sys.executable, "-c", SCRIPT, runner], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == frozen


TWO_CRAWLS = textwrap.dedent('''
    import gc
    import ascrapy
    from ascrapy.crawler import CrawlerProcess

    counts = []

    class Counting(ascrapy.Spider):
        async def start(self):
            counts.append(gc.get_freeze_count())
            return
            yield

    process = CrawlerProcess({"LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False})
    process.crawl(type("First", (Counting,), {"name": "first"}))
    process.start()
    process = CrawlerProcess({"LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False})
    process.crawl(type("Second", (Counting,), {"name": "second"}))
    process.start()
    print(counts[0] > 0, counts[1] <= counts[0], flush=True)  # frozen objects may be freed, none added
''')


def test_objects_are_frozen_once_per_process_not_once_per_crawl():
    done = subprocess.run([sys.executable, "-c", TWO_CRAWLS], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
