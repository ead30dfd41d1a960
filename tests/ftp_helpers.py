"""An FTP server for the tests: pyftpdlib on a free port of 127.0.0.1, in a thread of its own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def ftp_server(root: Path, user: str = "user", password: str = "secret", *, anonymous: bool = False) -> Iterator[int]:
    """Serve ``root`` to ``user`` (and to anonymous users, read-only, when asked); yield the
    port. The server stops on exit."""
    pytest.importorskip("pyftpdlib", reason="pyftpdlib serves the FTP tests")
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import FTPServer

    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, str(root), perm="elradfmwMT")
    if anonymous:
        authorizer.add_anonymous(str(root))
    # A refused login is answered at once (pyftpdlib waits 3 s by default).
    handler = type("Handler", (FTPHandler,), {"authorizer": authorizer, "auth_failed_timeout": 0})
    server = FTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.address[1]
    finally:
        server.close_all()
        thread.join(timeout=5)
