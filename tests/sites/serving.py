"""Serving an app on a free 127.0.0.1 port: in the running loop (``start_app``), in a thread
of its own (``serve_app_in_thread``), or as a command of its own that prints its URL
(``serve_command``); and ``crawl_links``, a plain aiohttp crawl that checks a site is whole."""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import aiohttp
from aiohttp import web
from parsel import Selector


async def start_app(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, str]:
    """Serve ``app`` on ``port`` (a free one by default) of ``host`` in the running loop.

    Returns the runner (``await runner.cleanup()`` stops it) and the base URL.
    """
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, f"http://{host}:{runner.addresses[0][1]}"


@contextmanager
def serve_app_in_thread(app: web.Application, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` from a thread with its own event loop; yield the base URL, then stop.

    For callers that block (a subprocess, code that runs its own loop), where a server in
    the caller's loop would never get to answer.
    """
    loop = asyncio.new_event_loop()
    started = threading.Event()
    outcome: dict[str, object] = {}

    async def run() -> None:
        try:
            runner, outcome["url"] = await start_app(app, host)
        except BaseException as exc:  # reported to the caller's thread below
            outcome["error"] = exc
            started.set()
            return
        stop = asyncio.Event()
        outcome["stop"] = stop
        started.set()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    async def cancel_leftovers() -> None:
        """Handlers still sleeping (e.g. /slow) would otherwise die noisily with the loop."""
        leftovers = asyncio.all_tasks() - {asyncio.current_task()}
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)
        await loop.shutdown_asyncgens()

    def run_loop() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(run())
            loop.run_until_complete(cancel_leftovers())
        finally:
            loop.close()

    thread = threading.Thread(target=run_loop, name="test-site-server", daemon=True)
    thread.start()
    started.wait()
    try:
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        yield str(outcome["url"])
    finally:
        stop = outcome.get("stop")
        if isinstance(stop, asyncio.Event):
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)



@contextmanager
def serve_command(command: Sequence[str], cwd: str | Path | None = None) -> Iterator[str]:
    """Run a server ``command`` that prints its base URL on its first line; yield the URL.

    The process is stopped on exit (SIGTERM, SIGKILL after 10 s if it does not go).
    """
    process = subprocess.Popen(list(command), cwd=cwd, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"{command} printed {url!r}, not its URL (exit status {process.poll()})")
        yield url
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


async def crawl_links(start_url: str, concurrency: int = 16) -> dict[str, tuple[int, str]]:
    """Follow every <a href> of HTML pages on the start URL's origin; URL -> (status, text).

    Independent of ascrapy on purpose: it checks the sites, not the crawler.
    """
    origin = start_url.split("/", 3)[:3]
    results: dict[str, tuple[int, str]] = {}
    seen = {start_url}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start_url)

    async def visit(session: aiohttp.ClientSession, url: str) -> None:
        async with session.get(url) as response:
            text = await response.text()
            results[url] = (response.status, text)
            if response.content_type != "text/html":
                return
        for href in Selector(text=text).css("a::attr(href)").getall():
            link = urldefrag(urljoin(url, href)).url
            if link.split("/", 3)[:3] == origin and link not in seen:
                seen.add(link)
                queue.put_nowait(link)

    async def worker(session: aiohttp.ClientSession) -> None:
        while True:
            url = await queue.get()
            try:
                await visit(session, url)
            except Exception as error:  # recorded, so that one bad page does not hang the crawl
                results[url] = (-1, repr(error))
            finally:
                queue.task_done()

    async with aiohttp.ClientSession() as session:
        workers = [asyncio.create_task(worker(session)) for _ in range(concurrency)]
        await queue.join()
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return results
