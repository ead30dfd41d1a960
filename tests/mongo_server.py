"""A MongoDB server for the tests: nx-27017 (a MongoDB wire-protocol server on SQLite) on a
free port of 127.0.0.1, started and stopped by PID; or the server MONGO_URI names.

``MongoServer`` is plain Python (bench/ uses it too); the fixtures, registered in
tests/conftest.py, are:

- ``mongo_uri`` (session): the URI of a shared server, ``MONGO_URI`` from the environment
  when set (a real mongod), else an in-memory nx-27017 started once for the session.
- ``mongo_server`` (test): a ``MongoServer`` of the test's own, on a database file so that
  data outlives ``stop()`` / ``restart()`` (for tests that take the server away mid-crawl).

nx-27017 0.8.1 cannot store Decimal128 values (it answers "Object of type Decimal128 is not
JSON serializable"); ``USING_NX`` lets a test skip that one check unless MONGO_URI is set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .service_process import ServiceProcess, free_port

USING_NX = not os.environ.get("MONGO_URI")


def nx_27017_script() -> Path:
    """The nx-27017 console script installed next to this Python."""
    return Path(sys.executable).parent / "nx-27017"



def ping(uri: str, timeout: float = 0.5) -> bool:
    """Whether a server at ``uri`` answers a ping within ``timeout`` seconds."""
    from pymongo import MongoClient

    client = MongoClient(uri, serverSelectionTimeoutMS=int(timeout * 1000), connectTimeoutMS=int(timeout * 1000))
    try:
        client.admin.command("ping")
        return True
    except Exception:
        return False
    finally:
        client.close()


class MongoServer(ServiceProcess):
    """One nx-27017 process owned by its creator: start, stop (SIGTERM, then wait), restart
    on the same port. ``db`` is ``"memory"`` or a database file that survives restarts."""

    name = "nx-27017"

    def __init__(self, db: str = "memory", port: int | None = None) -> None:
        self.script = nx_27017_script()
        if not self.script.exists():
            raise RuntimeError(f"nx-27017 is not installed next to {sys.executable}: pip install nx-27017==0.8.1")
        self.db = db
        super().__init__(port)

    @property
    def uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def command(self) -> list[str]:
        return [
            str(self.script), "--db", self.db, "--host", "127.0.0.1", "-p", str(self.port),
            "--log-file", str(self.workdir / "nx.log"), "--pid-file", str(self.workdir / "nx.pid"),
        ]

    def answers(self) -> bool:
        return ping(self.uri, timeout=0.25)

    def restart(self) -> None:
        self.stop()
        self.start()


def _own_server(db: str = "memory") -> MongoServer:
    if not nx_27017_script().exists():
        if os.environ.get("MONGO_URI"):
            pytest.skip("needs a server of its own to stop: nx-27017 is not installed")
        pytest.fail("nx-27017 is not installed (pip install nx-27017==0.8.1, in the test extra) "
                    "and MONGO_URI is not set")
    return MongoServer(db)


@pytest.fixture(scope="session")
def mongo_uri() -> Iterator[str]:
    """The URI of the session's MongoDB: $MONGO_URI, or an in-memory nx-27017 of our own."""
    if os.environ.get("MONGO_URI"):
        yield os.environ["MONGO_URI"]
        return
    with _own_server() as server:
        yield server.uri


@pytest.fixture
def mongo_server(tmp_path: Path) -> Iterator[MongoServer]:
    """An nx-27017 of this test's own, on a database file: it may be stopped and restarted."""
    with _own_server(str(tmp_path / "mongo.db")) as server:
        yield server
