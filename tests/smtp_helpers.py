"""A tiny SMTP server on 127.0.0.1 for mail tests: it records what it receives.

It speaks just enough of RFC 5321 for smtplib: EHLO/HELO, optional AUTH PLAIN, MAIL,
RCPT, DATA, RSET, NOOP, QUIT. Recipients listed in ``refuse`` get a 550, which makes
smtplib raise, to test the error path.
"""

from __future__ import annotations

import base64
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    auth: str | None


@dataclass
class SMTPRecorder:
    host: str = "127.0.0.1"
    port: int = 0
    credentials: tuple[str, str] | None = None  # advertise AUTH PLAIN and require these
    refuse: set[str] = field(default_factory=set)
    mails: list[ReceivedMail] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)


def _address(argument: str) -> str:
    start, end = argument.find("<"), argument.find(">")
    return argument[start + 1 : end] if start != -1 and end > start else argument.split(":", 1)[-1].strip()


class _SMTPHandler(socketserver.StreamRequestHandler):
    recorder: SMTPRecorder

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        recorder = self.server.recorder  # type: ignore[attr-defined]
        self.reply("220 127.0.0.1 test SMTP ready")
        mail_from, rcpt_to, auth = "", [], None
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode().rstrip("\r\n")
            verb, _, argument = line.partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                lines = ["250-127.0.0.1"]
                if recorder.credentials:
                    lines.append("250-AUTH PLAIN")
                lines.append("250 8BITMIME")
                self.wfile.write(("\r\n".join(lines) + "\r\n").encode())
                self.wfile.flush()
            elif verb == "HELO":
                self.reply("250 127.0.0.1")
            elif verb == "AUTH":
                mechanism, _, initial = argument.partition(" ")
                _, user, password = base64.b64decode(initial).decode().split("\0")
                if mechanism.upper() == "PLAIN" and (user, password) == recorder.credentials:
                    auth = user
                    self.reply("235 2.7.0 Authentication successful")
                else:
                    self.reply("535 5.7.8 Authentication failed")
            elif verb == "MAIL":
                if recorder.credentials and auth is None:
                    self.reply("530 5.7.0 Authentication required")
                    continue
                mail_from, rcpt_to = _address(argument), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = _address(argument)
                if address in recorder.refuse:
                    self.reply(f"550 5.1.1 <{address}> refused")
                else:
                    rcpt_to.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b""):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                recorder.mails.append(ReceivedMail(mail_from, rcpt_to, bytes(data), auth))
                recorder.received.set()
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def smtp_server(credentials: tuple[str, str] | None = None, refuse: set[str] | None = None) -> Iterator[SMTPRecorder]:
    """Serve SMTP on a free port of 127.0.0.1 in a thread; yield the recorder, then stop."""
    recorder = SMTPRecorder(credentials=credentials, refuse=set(refuse or ()))
    server = _Server(("127.0.0.1", 0), _SMTPHandler)
    server.recorder = recorder  # type: ignore[attr-defined]
    recorder.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="test-smtp-server", daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
