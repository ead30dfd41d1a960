"""ftp_store_file and ftp_makedirs_cwd against a small FTP server on 127.0.0.1."""

from __future__ import annotations

import posixpath
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from ftplib import FTP
from io import BytesIO

import pytest

from ascrapy.utils.ftp import ftp_makedirs_cwd, ftp_store_file


class FTPState:
    def __init__(self) -> None:
        self.dirs: set[str] = {"/"}
        self.files: dict[str, bytes] = {}
        self.read_only: set[str] = set()  # folders in which MKD is refused
        self.user = ("user", "secret")


class _Handler(socketserver.StreamRequestHandler):
    """USER, PASS, TYPE, PWD, CWD, MKD, PASV, STOR, APPE, QUIT: what ftplib's upload uses."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        state: FTPState = self.server.state  # type: ignore[attr-defined]
        cwd, user, logged_in, passive = "/", "", False, None
        self.reply("220 test FTP ready")
        while raw := self.rfile.readline():
            verb, _, arg = raw.decode().strip().partition(" ")
            verb = verb.upper()
            target = posixpath.normpath(posixpath.join(cwd, arg)) if arg else cwd
            if verb == "USER":
                user = arg
                self.reply("331 password please")
            elif verb == "PASS":
                logged_in = (user, arg) == state.user
                self.reply("230 logged in" if logged_in else "530 bad login")
            elif not logged_in:
                self.reply("530 log in first")
            elif verb == "TYPE":
                self.reply("200 type set")
            elif verb == "PWD":
                self.reply(f'257 "{cwd}"')
            elif verb == "CWD":
                if target in state.dirs:
                    cwd = target
                    self.reply("250 ok")
                else:
                    self.reply("550 no such directory")
            elif verb == "MKD":
                if target in state.dirs:  # as real servers do
                    self.reply("550 already exists")
                elif posixpath.dirname(target) in state.read_only:
                    self.reply("550 permission denied")
                elif posixpath.dirname(target) not in state.dirs:
                    self.reply("550 parent missing")
                else:
                    state.dirs.add(target)
                    self.reply(f'257 "{target}" created')
            elif verb == "PASV":
                passive = socket.create_server(("127.0.0.1", 0))
                port = passive.getsockname()[1]
                self.reply(f"227 Entering Passive Mode (127,0,0,1,{port // 256},{port % 256})")
            elif verb in ("STOR", "APPE") and passive is not None:
                self.reply("150 send it")
                data_conn, _ = passive.accept()
                chunks = []
                while chunk := data_conn.recv(65536):
                    chunks.append(chunk)
                data_conn.close()
                passive.close()
                passive = None
                previous = state.files.get(target, b"") if verb == "APPE" else b""
                state.files[target] = previous + b"".join(chunks)
                self.reply("226 stored")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def ftp_server() -> Iterator[tuple[int, FTPState]]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = FTPState()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.state  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def store(port: int, path: str, data: bytes, **kwargs) -> BytesIO:
    file = BytesIO(data)
    file.seek(len(data))  # ftp_store_file rewinds by itself
    ftp_store_file(path=path, file=file, host="127.0.0.1", port=port, username="user", password="secret", **kwargs)
    return file


def test_store_creates_directories_uploads_and_closes_the_file():
    with ftp_server() as (port, state):
        file = store(port, "/feeds/2024/items.jl", b'{"a": 1}\n')
    assert {"/feeds", "/feeds/2024"} <= state.dirs
    assert state.files["/feeds/2024/items.jl"] == b'{"a": 1}\n'
    assert file.closed


def test_overwrite_false_appends():
    with ftp_server() as (port, state):
        store(port, "/out/items.jl", b"one\n")
        store(port, "/out/items.jl", b"two\n", overwrite=False)
        assert state.files["/out/items.jl"] == b"one\ntwo\n"
        store(port, "/out/items.jl", b"three\n")
        assert state.files["/out/items.jl"] == b"three\n"


def test_wrong_credentials_raise():
    from ftplib import error_perm

    with ftp_server() as (port, _), pytest.raises(error_perm):
        ftp_store_file(path="/x", file=BytesIO(b""), host="127.0.0.1", port=port, username="user", password="wrong")


def test_makedirs_cwd_creates_parents_and_enters_the_target():
    with ftp_server() as (port, state):
        ftp = connected(port)
        ftp_makedirs_cwd(ftp, "/a/b/c")
        assert ftp.pwd() == "/a/b/c"
        ftp.cwd("/")
        ftp_makedirs_cwd(ftp, "/a/b/c")  # exists: just entered
        assert ftp.pwd() == "/a/b/c"
        ftp.quit()
    assert {"/a", "/a/b", "/a/b/c"} <= state.dirs


def connected(port: int) -> FTP:
    ftp = FTP()
    ftp.connect("127.0.0.1", port)
    ftp.login("user", "secret")
    return ftp


def test_makedirs_cwd_tolerates_a_folder_created_meanwhile():
    with ftp_server() as (port, state):

        class Racing(FTP):
            """Another upload creates each folder between our CWD and our MKD."""

            def mkd(self, dirname: str) -> str:
                state.dirs.add(dirname)
                return super().mkd(dirname)

        ftp = Racing()
        ftp.connect("127.0.0.1", port)
        ftp.login("user", "secret")
        ftp_makedirs_cwd(ftp, "/shared/full")
        assert ftp.pwd() == "/shared/full"
        ftp.quit()


def test_makedirs_cwd_raises_when_a_folder_cannot_be_created():
    from ftplib import error_perm

    with ftp_server() as (port, state):
        state.dirs.add("/locked")
        state.read_only.add("/locked")
        ftp = connected(port)
        with pytest.raises(error_perm, match="permission denied"):
            ftp_makedirs_cwd(ftp, "/locked/a/b")
        ftp.quit()
    assert "/locked/a" not in state.dirs


def test_makedirs_cwd_with_a_relative_path_starts_from_the_current_folder():
    with ftp_server() as (port, state):
        state.dirs |= {"/home", "/home/feeds"}
        ftp = connected(port)
        ftp.cwd("/home")
        ftp_makedirs_cwd(ftp, "feeds/2024/05")  # entering feeds/ on the way must not move the base
        assert ftp.pwd() == "/home/feeds/2024/05"
        ftp.quit()
    assert {"/home/feeds/2024", "/home/feeds/2024/05"} <= state.dirs
