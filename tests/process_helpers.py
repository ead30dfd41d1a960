"""Driving a crawl process from a test: read its log as it comes, hold its requests at the
server until the test lets them go, find a free port. Tests wait on these events, never on
the clock."""

from __future__ import annotations

import asyncio
import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from aiohttp import web

from tests.service_process import free_port
from tests.sites import serve_app_in_thread

REPO_ROOT = Path(__file__).resolve().parent.parent
WAIT = 60.0  # the longest any single wait may take before the test fails


def ascrapy_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ascrapy", *args]


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a crawl process: this checkout importable, no ASCRAPY_/SCRAPY_
    variables of the developer's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "ASCRAPY_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env



class LineReader:
    """Reads a process's stream line by line in a thread; ``wait_for`` blocks until a line
    matches (or the stream ends, which fails the test)."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float = WAIT) -> str:
        """The first line (after those already read) matching the regex ``pattern``."""
        matcher = re.compile(pattern)
        while True:
            try:
                line = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(
                    f"no line matching {pattern!r} within {timeout} s:\n{self.text()[-3000:]}"
                ) from None
            if line is None:
                raise AssertionError(f"the stream ended without a line matching {pattern!r}:\n{self.text()[-3000:]}")
            self.lines.append(line)
            if matcher.search(line):
                return line

    def rest(self) -> str:
        """The whole stream, once it has ended (call after the process exited)."""
        self._thread.join(WAIT)
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.lines.append(line)
        return self.text()

    def text(self) -> str:
        return "".join(self.lines)


@contextmanager
def crawl_process(args: list[str], cwd: Path, **env: str) -> Iterator[tuple[subprocess.Popen[str], LineReader]]:
    """``ascrapy ARGS`` with its stderr (the log) read line by line; killed if still running
    when the block ends."""
    process = subprocess.Popen(
        ascrapy_command(*args), cwd=cwd, env=child_env(**env),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    reader = LineReader(process.stderr)
    try:
        yield process, reader
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT)


class HeldSite:
    """A site whose / links to /held/0 .. /held/{count-1}; those answer only once the test
    calls ``release()``. ``arrived`` is set when the first held request reaches the server;
    ``wait_arrivals(n)`` waits for n of them."""

    def __init__(self, count: int = 4) -> None:
        self.count = count
        self.arrived = threading.Event()
        self._arrivals = 0
        self._arrival = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._gate: asyncio.Event | None = None

    def app(self) -> web.Application:
        async def home(request: web.Request) -> web.Response:
            links = "".join(f'<a href="/held/{n}">{n}</a>' for n in range(self.count))
            return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")

        async def held(request: web.Request) -> web.Response:
            if self._gate is None:
                self._loop, self._gate = asyncio.get_running_loop(), asyncio.Event()
            self.arrived.set()
            with self._arrival:
                self._arrivals += 1
                self._arrival.notify_all()
            await self._gate.wait()
            number = request.match_info["number"]
            return web.Response(text=f"<html><body><h1>held {number}</h1></body></html>",
                                content_type="text/html")

        app = web.Application()
        app.router.add_get("/", home)
        app.router.add_get("/held/{number}", held)
        return app

    def wait_arrivals(self, count: int) -> bool:
        """Wait until ``count`` held requests have reached the server (they are in flight)."""
        with self._arrival:
            return self._arrival.wait_for(lambda: self._arrivals >= count, timeout=WAIT)

    def release(self) -> None:
        if self._loop is not None and self._gate is not None:
            self._loop.call_soon_threadsafe(self._gate.set)

    @contextmanager
    def serve(self) -> Iterator[str]:
        with serve_app_in_thread(self.app()) as base:
            yield base


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of ``text`` parsed as one JSON object (fails on any line that is not)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]
